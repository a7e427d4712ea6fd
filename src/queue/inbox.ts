import { defaultInputLimits, type InputLimits, normalizeInbound } from '../core/input.js';
import type { InboundEvent } from '../core/message.js';
import type { Clock, Logger } from '../core/ports.js';
import type { InboxItem, Store } from '../core/store.js';
import { renewEvery } from './heartbeat.js';
import { ClaimLoop } from './worker.js';

/** Options of the inbox. */
export interface InboxOptions {
  store: Store;
  clock: Clock;
  log: Logger;
  concurrency: number;
  maxAttempts: number;
  /** How long a claim holds an event; renewed every third of it while the turn runs. */
  leaseMs: number;
  pollMs: number;
  /** What text is kept from an event (config `limits`); {@link defaultInputLimits} when absent. */
  limits?: InputLimits;
}

/** Runs a turn; `next` is the conversation's next event, claimed in the turn's commit. */
type TurnRunner = (item: InboxItem) => Promise<{ next?: InboxItem[] }>;

/** The one way in for every event a channel receives (webhook, long polling, socket). */
export interface Inbox {
  /**
   * Makes verified, normalised events durable (duplicates dropped) and returns the accepted
   * ones: the platform may be acknowledged once this resolves. Events are claimed in the
   * commit that accepts them when the inbox has free slots, so a turn starts without waiting
   * for a claim; the rest are woken for the next claim. Every event is first made what the
   * store can hold and the turn can afford (src/core/input.ts): the same for every channel.
   */
  accept(events: InboundEvent[]): Promise<InboxItem[]>;
  /** Starts running turns. Events accepted before wait for the first claim. */
  start(runTurn: TurnRunner): void;
  /** Resolves when no turn is in flight. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Accepts and processes inbound events: the database hands out the oldest open event of each
 * conversation, so one conversation runs one turn at a time, in order, and different
 * conversations run in parallel. A running turn's lease is renewed (short leases: a dead
 * instance's events are taken over within one lease, a slow turn is never run twice while its
 * owner lives). A turn that throws is retried (its lease released) and
 * marked failed after `maxAttempts`. Built before the channels, which hand it their events;
 * the turn runner arrives with `start`.
 *
 * @example
 * ```ts
 * const inbox = createInbox({ store, clock, log, concurrency: 8, maxAttempts: 5, leaseMs: 30_000, pollMs: 1000 });
 * await inbox.accept(adapter.normalize(verified.request).events); // durable before the ack
 * inbox.start(pipeline.runTurn);
 * ```
 */
export function createInbox(options: InboxOptions): Inbox {
  const { store, clock, log } = options;
  let runTurn: TurnRunner | undefined;

  async function handle(item: InboxItem): Promise<void> {
    try {
      const { next } = await (runTurn as TurnRunner)(item);
      if (next?.length) loop.adopt(next);
    } catch (err) {
      const final = item.attempts >= options.maxAttempts;
      log.error({ err, inbox: item.id, channel: item.channelId, attempt: item.attempts, final }, 'turn failed');
      await store
        .failInbox(item.id, err instanceof Error ? err.message : String(err), final ? undefined : clock.now() + 1000 * 2 ** item.attempts, clock.now())
        .catch((e) => log.error({ err: e }, 'could not record the failure'));
    }
  }

  const loop = new ClaimLoop<InboxItem>({
    name: 'inbox',
    concurrency: options.concurrency,
    pollMs: options.pollMs,
    claim: (limit) => store.claimInbox(clock.now(), options.leaseMs, limit),
    handle,
    renew: renewEvery(options.leaseMs, (ids) => store.renewInboxLeases(ids, clock.now(), options.leaseMs)),
    log,
  });

  const limits = options.limits ?? defaultInputLimits;

  async function accept(received: InboundEvent[]): Promise<InboxItem[]> {
    if (received.length === 0) return [];
    const events = received.map((e) => normalizeInbound(e, limits));
    const slots = loop.reserve(events.length);
    let result: Awaited<ReturnType<Store['acceptInbound']>>;
    try {
      result = await store.acceptInbound(events, clock.now(), slots ? { claim: { leaseMs: options.leaseMs, limit: slots } } : {});
    } catch (err) {
      loop.adopt([], slots);
      throw err;
    }
    loop.adopt(result.claimed, slots);
    if (result.accepted.length > result.claimed.length) loop.wake();
    return result.accepted;
  }

  return {
    accept,
    start(runner) {
      runTurn = runner;
      loop.start();
    },
    idle: () => loop.idle(),
    stop: () => loop.stop(),
  };
}
