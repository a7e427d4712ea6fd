/** Switching the widget's language: direction and picker at once, the words when they are loaded. */

import { formatTime } from './render/message.js';
import { settings } from './settings.js';
import { conn, state } from './state.js';
import { renderUnread } from './status.js';
import { LANG_KEY, storage } from './storage.js';
import { fetchStrings, normalizeLanguage, t, useStrings } from './strings.js';
import { sendEphemeral } from './transport/outbox.js';
import { ui } from './ui.js';

const RTL = new Set(['ar', 'he', 'fa', 'ur', 'ps', 'yi', 'dv', 'ckb', 'sd', 'ug']);

/** Re-reads every `data-i18n*` element and timestamp in the current language. */
export function applyStrings(): void {
  const rtl = RTL.has(state.lang.split('-')[0] ?? '');
  ui.root.dir = rtl ? 'rtl' : 'ltr';
  ui.root.lang = state.lang;
  const position = settings.options.position;
  const pos = position === 'left' || position === 'right' ? position : null;
  ui.root.dataset.side = pos || (rtl ? 'left' : 'right');
  ui.select.value = state.lang;
  for (const el of ui.root.querySelectorAll<HTMLElement>('[data-i18n]')) {
    if (!el.dataset.i18n) continue;
    el.textContent = t(el.dataset.i18n, el.dataset.i18nVars ? JSON.parse(el.dataset.i18nVars) : null);
  }
  for (const el of ui.root.querySelectorAll<HTMLElement>('[data-i18n-aria]')) el.setAttribute('aria-label', t(el.dataset.i18nAria ?? ''));
  for (const el of ui.root.querySelectorAll<HTMLInputElement>('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder ?? '');
  for (const el of ui.root.querySelectorAll<HTMLElement>('time[data-ts]')) formatTime(el);
  renderUnread();
}

let langRequest = 0;

/** `chosen`: the shopper picked it, so it is remembered and the gateway is told. */
export async function setLanguage(lang: string, chosen: boolean): Promise<void> {
  state.lang = normalizeLanguage(lang);
  if (chosen) {
    storage.set(LANG_KEY, state.lang);
    if (conn.ready) sendEphemeral({ type: 'language', language: state.lang });
    else state.languageDirty = true;
  }
  const request = ++langRequest;
  applyStrings();
  const strings = await fetchStrings(state.lang);
  if (request !== langRequest) return; // a later choice won
  useStrings(strings);
  applyStrings();
}
