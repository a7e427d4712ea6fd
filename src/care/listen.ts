import { plainText } from '../core/message.js';
import type { Conversation, StoredMessage } from '../core/store.js';
import { deliverCare } from './deliver.js';
import type { CareDeps } from './deps.js';
import type { CareIntercept } from './intercept.js';

/**
 * Listens to shoppers' messages on the conversation bus, after their turn is stored: a shopper
 * who writes again reopens a closed messaging window, so messages held for them are retried.
 * Opt-outs and rating answers are taken before the bot answers (`care.intercept`, a pipeline
 * port); only an opt-out written while a person owns the conversation, which the pipeline
 * never offers care, is recorded (and confirmed) here.
 */
export function listenToShoppers(deps: CareDeps, claims: CareIntercept) {
  const { care, log } = deps;
  const chains = new Map<string, Promise<void>>();

  async function confirmOptOut(conv: Conversation, message: StoredMessage): Promise<void> {
    await claims.optOut(conv.shopperId, conv.id);
    const locale = deps.localizer.resolve(conv.language ?? deps.shop.defaultLanguage);
    const text = deps.localizer.forLanguage(locale)('care.optout_confirm');
    await deps.send(conv.id, { id: `care-optout-${message.id}`, role: 'bot', parts: [{ kind: 'text', text }], language: locale });
  }

  async function handle(conv: Conversation, message: StoredMessage): Promise<void> {
    // `conv` is the conversation after the turn: not the bot's means the pipeline did not ask care.
    if (conv.state !== 'bot' && claims.asksOptOut({ text: message.originalText ?? plainText(message.parts) })) await confirmOptOut(conv, message);
    for (const held of await care.heldFor(conv.shopperId)) await deliverCare(deps, held.id);
  }

  function enqueue(conv: Conversation, message: StoredMessage): void {
    const previous = chains.get(conv.id) ?? Promise.resolve();
    const next = previous
      .then(() => handle(conv, message))
      .catch((err) => log.error({ err, conversation: conv.id }, 'care listener failed'))
      .finally(() => {
        if (chains.get(conv.id) === next) chains.delete(conv.id);
      });
    chains.set(conv.id, next);
  }

  const off = deps.bus.on((event) => {
    if (event.type !== 'messages') return;
    for (const m of event.messages) if (m.role === 'shopper' && m.direction === 'in') enqueue(event.conversation, m);
  });

  return {
    stop: off,
    /** Resolves when every queued shopper message has been handled. */
    async idle(): Promise<void> {
      while (chains.size) await Promise.all([...chains.values()]);
    },
  };
}
