import type { Part } from '../core/message.js';
import type { Intercepted, InterceptTurn } from '../core/pipeline.js';
import { type CareDeps, DAY_MS } from './deps.js';
import { isOptOut, normalizeCommand, parseRating } from './optout.js';

/**
 * The shopper messages care answers itself, so the bot does not answer them too: an opt-out
 * word or the unsubscribe button (`care.optout`) ends marketing and is confirmed; an answer
 * to an open rating request (the rating, then the comment) is stored with the order and
 * thanked. The pipeline asks before the bot answers (`PipelineDeps.intercept`).
 *
 * @example
 * ```ts
 * const care = createCareIntercept(deps);
 * createPipeline({ ...pipelineDeps, intercept: (turn) => care.intercept(turn) });
 * await care.intercept({ conversation, text: 'Baja', language: 'es' });
 * // { handled: true, reply: [{ kind: 'text', text: 'Te hemos dado de baja …' }] }
 * ```
 */
export function createCareIntercept(deps: CareDeps) {
  const { care, clock, log } = deps;
  const optOutLabels = deps.localizer.languages.map((l) => deps.localizer.forLanguage(l)('care.optout_button'));
  const ratingLabels = new Map<string, number>();
  for (const l of deps.localizer.languages) {
    for (const n of [1, 2, 3, 4, 5]) ratingLabels.set(normalizeCommand(deps.localizer.forLanguage(l)(`care.rating.${n}`)), n);
  }

  function reply(language: string, key: string): Intercepted {
    const t = deps.localizer.forLanguage(deps.localizer.resolve(language));
    const parts: Part[] = [{ kind: 'text', text: t(key) }];
    return { handled: true, reply: parts };
  }

  /** Whether a message (its button payload, else its text) asks to stop marketing. */
  function asksOptOut(turn: Pick<InterceptTurn, 'text' | 'payload'>): boolean {
    return isOptOut(turn.payload ?? turn.text, optOutLabels);
  }

  async function optOut(shopperId: string, conversationId: string): Promise<void> {
    await care.patchProfile(shopperId, { optedOutAt: clock.now(), marketingOptIn: false }, clock.now());
    log.info({ conversation: conversationId }, 'shopper opted out of marketing');
  }

  /** The reply key when the message answers an open rating request. */
  async function feedback(turn: InterceptTurn): Promise<string | undefined> {
    const since = clock.now() - deps.settings.feedback.answerWindowDays * DAY_MS;
    const open = await care.openFeedback(turn.conversation.id, since, turn.messageId);
    if (!open) return undefined;
    // This very message answered already (the turn is retried after a crash): the same reply, recorded once.
    if (turn.messageId && open.answeredBy === turn.messageId) return open.status === 'done' ? 'care.feedback_thanks' : 'care.feedback_ask_comment';
    const answered = { answeredAt: clock.now(), ...(turn.messageId ? { answeredBy: turn.messageId } : {}) };
    if (open.status === 'awaiting_rating') {
      const rating = parseRating(turn.payload ?? turn.text, ratingLabels);
      if (rating === undefined) return undefined;
      await care.updateFeedback(open.id, { rating, status: 'awaiting_comment', ...answered });
      return 'care.feedback_ask_comment';
    }
    // A button is not a comment: it goes to the bot.
    if (turn.payload || !turn.text.trim()) return undefined;
    await care.updateFeedback(open.id, { comment: turn.text.slice(0, 4000), status: 'done', ...answered });
    return 'care.feedback_thanks';
  }

  return {
    asksOptOut,
    optOut,
    /** Takes an opt-out or a feedback answer (and replies); undefined lets the bot answer. */
    async intercept(turn: InterceptTurn): Promise<Intercepted | undefined> {
      if (asksOptOut(turn)) {
        await optOut(turn.conversation.shopperId, turn.conversation.id);
        return reply(turn.language, 'care.optout_confirm');
      }
      const key = await feedback(turn);
      return key ? reply(turn.language, key) : undefined;
    },
  };
}

/** What {@link createCareIntercept} returns. */
export type CareIntercept = ReturnType<typeof createCareIntercept>;
