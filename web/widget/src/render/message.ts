/** A message bubble: who wrote it (for screen readers), its parts, and when. */

import { h } from '../../../shared/dom.js';
import { state } from '../state.js';
import type { Role, WireMessage } from '../wire.js';
import { i18nSpan, type PartActions, renderPart } from './parts.js';

const SPEAKER_KEY: Record<Role, string> = { shopper: 'you', bot: 'bot', agent: 'agent', system: 'system' };

function roleOf(msg: WireMessage): Role {
  return msg.role && Object.prototype.hasOwnProperty.call(SPEAKER_KEY, msg.role) ? (msg.role as Role) : 'bot';
}

/** Milliseconds: the gateway sends ms, older stores seconds. */
function timestamp(msg: WireMessage): number {
  const ts = Number(msg.createdAt) || Date.now();
  return ts < 1e11 ? ts * 1000 : ts;
}

export function renderMessage(msg: WireMessage, pending: boolean, actions: PartActions): HTMLDivElement {
  const role = roleOf(msg);
  const ts = timestamp(msg);
  const time = h('time', { datetime: new Date(ts).toISOString(), 'data-ts': ts });
  const el = h(
    'div',
    { class: `parley-msg parley-from-${role}${pending ? ' parley-pending' : ''}`, 'data-id': msg.id || null },
    role === 'agent' ? i18nSpan('agent', null, 'parley-who') : h('span', { class: 'parley-sr' }, i18nSpan(SPEAKER_KEY[role]), ': '),
    h(
      'div',
      { class: 'parley-parts' },
      (msg.parts || []).map((p) => renderPart(p, role, actions)),
    ),
    h('div', { class: 'parley-meta' }, time, pending ? i18nSpan('sending', null, 'parley-state') : null),
  );
  formatTime(time);
  return el;
}

/** Time of day, with the date when it was not today, in the widget's language. */
export function formatTime(el: HTMLElement): void {
  const date = new Date(Number(el.dataset.ts));
  const sameDay = date.toDateString() === new Date().toDateString();
  const fmt: Intl.DateTimeFormatOptions = sameDay
    ? { hour: 'numeric', minute: '2-digit' }
    : { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' };
  try {
    el.textContent = new Intl.DateTimeFormat(state.lang, fmt).format(date);
  } catch {
    el.textContent = date.toLocaleTimeString();
  }
}
