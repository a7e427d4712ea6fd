import type { Clock, Logger } from '../core/ports.js';
import type { InboxItem, Store } from '../core/store.js';
import { ClaimLoop } from './worker.js';

/** Options of the inbox. */
export interface InboxOptions {
  store: Store;
  /** Runs a turn; `next` is the conversation's next event, claimed in the turn's commit. */
  runTurn(item: InboxItem): Promise<{ next?: InboxItem[] }>;
  clock: Clock;
  log: Logger;
  concurrency: number;
  maxAttempts: number;
  leaseMs: number;
  pollMs: number;
}

/**
 * Processes accepted events: the database hands out the oldest open event of each
 * conversation, so one conversation runs one turn at a time, in order, and different
 * conversations run in parallel. A turn that throws is retried (its lease released) and
 * marked failed after `maxAttempts`.
 */
export function createInbox(options: InboxOptions) {
  const { store, clock, log } = options;

  async function handle(item: InboxItem): Promise<void> {
    try {
      const { next } = await options.runTurn(item);
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
    log,
  });
  return loop;
}
