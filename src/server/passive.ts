import type { ChannelAdapter, HttpAck } from '../core/adapter.js';
import type { Clock, Logger } from '../core/ports.js';
import type { InboundEvent } from '../core/message.js';
import type { InboxItem, OutboxItem, Store, StoredMessage } from '../core/store.js';
import { Heartbeat, renewEvery } from '../queue/heartbeat.js';

/** A reply that travels in the webhook's response; `settle` says whether the response was written. */
export interface PassiveAnswer {
  ack: HttpAck;
  settle(written: boolean): Promise<void>;
}

// Tencent retries a webhook it got no response to three times within about 15 s: a retry of an
// answered event gets the same answer again rather than a bare "success".
const RESERVE_MS = 30_000;

/**
 * Passive replies (WeChat's 5-second rule): the webhook waits, within the channel's budget,
 * for the turn of the event it just stored; if the answer is one message it claims that
 * message's outbox row and sends it in the HTTP response. The outbox holds such rows back for
 * the budget, and the claim is atomic, so a message goes one way, never both.
 *
 * The row counts as delivered only once the response is written: when the platform hung up
 * first, the row goes back to the outbox and travels through the platform's API instead.
 */
export function createPassiveReplies(options: { store: Store; clock: Clock; log: Logger; leaseMs: number; wakeOutbox(): void }) {
  const { store, clock } = options;
  // A claimed row's lease is renewed until the response is settled, as the outbox renews its own.
  const held = new Heartbeat<OutboxItem>({
    name: 'passive',
    log: options.log,
    ...renewEvery(options.leaseMs, (ids) => store.renewOutboxLeases(ids, clock.now(), options.leaseMs)),
  });
  const waiters = new Map<number, (messages: StoredMessage[]) => void>();
  // Turns that finished before anyone waited for them (the worker can be quicker than the route).
  const recent = new Map<number, StoredMessage[]>();

  function turnCommitted(inboxId: number, messages: StoredMessage[]): void {
    const waiter = waiters.get(inboxId);
    if (waiter) return waiter(messages);
    recent.set(inboxId, messages);
    if (recent.size > 500) recent.delete(recent.keys().next().value as number);
  }

  function waitForTurn(inboxId: number, ms: number): Promise<StoredMessage[] | undefined> {
    const done = recent.get(inboxId);
    if (done) return Promise.resolve(done);
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => {
          waiters.delete(inboxId);
          resolve(undefined);
        },
        Math.max(0, ms),
      );
      waiters.set(inboxId, (messages) => {
        clearTimeout(timer);
        waiters.delete(inboxId);
        resolve(messages);
      });
    });
  }

  // Answers served in a response, by channel and event, while the platform may still retry.
  const served = new Map<string, { ack: HttpAck; at: number }>();

  function servedBefore(adapter: ChannelAdapter, events: readonly InboundEvent[]): PassiveAnswer | undefined {
    const [event] = events;
    const hit = event && events.length === 1 ? served.get(`${adapter.id}\n${event.eventId}`) : undefined;
    if (!hit || clock.now() - hit.at > RESERVE_MS) return undefined;
    options.log.debug({ channel: adapter.id }, 'platform retried an answered event: same passive reply');
    return { ack: hit.ack, settle: async () => {} };
  }

  async function passiveReply(
    adapter: ChannelAdapter,
    events: readonly InboundEvent[],
    accepted: InboxItem[],
    startedAt: number,
  ): Promise<PassiveAnswer | undefined> {
    const [item] = accepted;
    if (!adapter.passiveReply) return undefined;
    if (accepted.length === 0) return servedBefore(adapter, events);
    if (accepted.length !== 1 || !item) return undefined;
    if (item.event.type !== 'message' && item.event.type !== 'postback') return undefined;
    const budget = (adapter.replyBudgetMs ?? 4000) - (clock.now() - startedAt);
    if (budget <= 0) return undefined;
    const messages = await waitForTurn(item.id, budget);
    recent.delete(item.id);
    const answer = messages?.find((m) => m.direction === 'out');
    if (!answer) return undefined;
    const row = await store.claimOutboxOf(answer.id, clock.now(), options.leaseMs);
    if (!row) return undefined;
    const ack = adapter.passiveReply(row.message, row.ref);
    if (!ack) {
      await store.recordDelivery(row.id, { ok: false, error: 'cannot travel as a passive reply', retryAt: clock.now() }, clock.now());
      options.wakeOutbox();
      return undefined;
    }
    const key = `${adapter.id}\n${item.event.eventId}`;
    const release = held.hold(row);
    const settle = async (written: boolean) => {
      if (written) {
        served.set(key, { ack, at: clock.now() });
        for (const [k, v] of served) if (clock.now() - v.at > RESERVE_MS) served.delete(k);
      }
      const outcome = written
        ? { ok: true as const, platformIds: [] }
        : { ok: false as const, error: 'the platform hung up before the passive reply', reason: 'transient' as const, retryAt: clock.now() };
      await store.recordDelivery(row.id, outcome, clock.now()).finally(release);
      // A later row of the conversation waited behind this one; or this one goes by the API now.
      options.wakeOutbox();
      options.log.debug(
        { channel: adapter.id, inbox: item.id, written },
        written ? 'answered as passive reply' : 'passive reply not written; sending through the API',
      );
    };
    return { ack, settle };
  }

  return { turnCommitted, passiveReply };
}
