/**
 * What the shopper reads about the handoff, built from `locales/<lng>/handoff.json` in the
 * shopper's own language (no translation round trip). Button payloads are stable ids.
 */
import type { Part } from '../core/message.js';
import type { Localize } from '../core/ports.js';

/** The shopper's "back to the bot" / cancel button. */
export const CANCEL_PAYLOAD = 'handoff.cancel';
/** Rating buttons: `feedback.1` … `feedback.5`. */
const FEEDBACK_PREFIX = 'feedback.';

/** The rating a payload carries, or undefined. */
export function ratingOf(payload: string | undefined): number | undefined {
  const m = payload ? /^feedback\.([1-5])$/.exec(payload) : null;
  return m ? Number(m[1]) : undefined;
}

const backToBot = (t: Localize): Part => ({ kind: 'choices', choices: [{ label: t('handoff.back_to_bot'), payload: CANCEL_PAYLOAD }] });

/** Queued while the team works: the usual notice and a way back to the bot. */
export function queuedNotice(t: Localize): Part[] {
  return [{ kind: 'text', text: t('bot.handoff_queued') }, backToBot(t)];
}

/** Queued outside business hours: when a person will reply, and that a message can be left. */
export function closedNotice(t: Localize, when: string): Part[] {
  return [{ kind: 'text', text: t('handoff.closed', { when }) }, backToBot(t)];
}

/** Nobody took the conversation in time. */
export function noAgentNotice(t: Localize): Part[] {
  return [{ kind: 'text', text: t('handoff.no_agent') }, backToBot(t)];
}

export function text(value: string): Part[] {
  return [{ kind: 'text', text: value }];
}

/** The 1–5 rating question with one button per score. */
export function ratingRequest(t: Localize, lead: string): Part[] {
  return [
    { kind: 'text', text: `${lead}\n\n${t('handoff.rate')}` },
    {
      kind: 'choices',
      title: t('handoff.rate_title'),
      choices: [1, 2, 3, 4, 5].map((n) => ({ label: t(`handoff.rating_${n}`), payload: `${FEEDBACK_PREFIX}${n}` })),
    },
  ];
}
