import { plainText } from '../core/message.js';
import type { Conversation, StoredMessage } from '../core/store.js';
import { deliverCare } from './deliver.js';
import { type CareDeps, DAY_MS } from './deps.js';
import { isOptOut, normalizeCommand, parseRating } from './optout.js';

/**
 * Listens to shoppers' messages on the conversation bus (no pipeline change): an opt-out word
 * or the unsubscribe button ends marketing and is confirmed in the shopper's language; an
 * answer to an open rating request is stored with the order; a shopper who writes again
 * reopens a closed messaging window, so messages held for them are retried.
 */
export function listenToShoppers(deps: CareDeps) {
  const { care, clock, log } = deps;
  const chains = new Map<string, Promise<void>>();
  const optOutLabels = deps.localizer.languages.map((l) => deps.localizer.forLanguage(l)('care.optout_button'));
  const ratingLabels = new Map<string, number>();
  for (const l of deps.localizer.languages) {
    for (const n of [1, 2, 3, 4, 5]) ratingLabels.set(normalizeCommand(deps.localizer.forLanguage(l)(`care.rating.${n}`)), n);
  }

  async function reply(conv: Conversation, id: string, key: string): Promise<void> {
    const locale = deps.localizer.resolve(conv.language ?? deps.shop.defaultLanguage);
    await deps.send(conv.id, { id, role: 'bot', parts: [{ kind: 'text', text: deps.localizer.forLanguage(locale)(key) }], language: locale });
  }

  async function optOut(conv: Conversation, message: StoredMessage): Promise<void> {
    await care.patchProfile(conv.shopperId, { optedOutAt: clock.now(), marketingOptIn: false }, clock.now());
    log.info({ conversation: conv.id }, 'shopper opted out of marketing');
    await reply(conv, `care-optout-${message.id}`, 'care.optout_confirm');
  }

  /** True when the message answered an open rating request. */
  async function feedback(conv: Conversation, text: string): Promise<boolean> {
    const open = await care.openFeedback(conv.id, clock.now() - deps.settings.feedback.answerWindowDays * DAY_MS);
    if (!open) return false;
    if (open.status === 'awaiting_rating') {
      const rating = parseRating(text, ratingLabels);
      if (rating === undefined) return false;
      await care.updateFeedback(open.id, { rating, status: 'awaiting_comment', answeredAt: clock.now() });
      await reply(conv, `care-${open.id}-rated`, 'care.feedback_ask_comment');
      return true;
    }
    await care.updateFeedback(open.id, { comment: text.slice(0, 4000), status: 'done', answeredAt: clock.now() });
    await reply(conv, `care-${open.id}-thanks`, 'care.feedback_thanks');
    return true;
  }

  async function handle(conv: Conversation, message: StoredMessage): Promise<void> {
    const text = message.originalText ?? plainText(message.parts);
    if (isOptOut(text, optOutLabels)) return optOut(conv, message);
    await feedback(conv, text);
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
