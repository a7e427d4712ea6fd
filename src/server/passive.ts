import type { ChannelAdapter, HttpAck } from '../core/adapter.js';
import type { Clock, Logger } from '../core/ports.js';
import type { InboxItem, Store, StoredMessage } from '../core/store.js';

/**
 * Passive replies (WeChat's 5-second rule): the webhook waits, within the channel's budget,
 * for the turn of the event it just stored; if the answer is one message it claims that
 * message's outbox row and sends it in the HTTP response. The outbox holds such rows back for
 * the budget, and the claim is atomic, so a message goes one way, never both.
 */
export function createPassiveReplies(options: { store: Store; clock: Clock; log: Logger; leaseMs: number; wakeOutbox(): void }) {
  const { store, clock } = options;
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

  async function passiveReply(adapter: ChannelAdapter, accepted: InboxItem[], startedAt: number): Promise<HttpAck | undefined> {
    const [item] = accepted;
    if (!adapter.passiveReply || accepted.length !== 1 || !item) return undefined;
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
    await store.recordDelivery(row.id, { ok: true, platformIds: [] }, clock.now());
    // A later row of the conversation waited behind this one.
    options.wakeOutbox();
    options.log.debug({ channel: adapter.id, inbox: item.id }, 'answered as passive reply');
    return ack;
  }

  return { turnCommitted, passiveReply };
}
