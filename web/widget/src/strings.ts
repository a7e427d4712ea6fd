/** The widget's fixed strings: built-in English, the shopper's language fetched from the gateway. */

import { lookup, translate, type Vars } from '../../shared/i18n.js';
// Built in so the widget works even when the locale fetch fails; bundled from the locale file
// itself, so the two cannot drift apart.
import en from '../../../locales/en/widget.json';
import { settings } from './settings.js';

const EN: unknown = en;
let current: unknown = EN;
const cache = new Map<string, unknown>();

/** The shopper-visible string for `key` in the current language, English where it has none. */
export function t(key: string, vars?: Vars | null): string {
  return translate(key, vars, current, EN);
}

/** Whether `key` names a built-in string (an order status Parley knows, say). */
export function isKnownKey(key: string): boolean {
  return typeof lookup(EN, key) === 'string';
}

export function useStrings(strings: unknown): void {
  current = strings;
}

/** `en`, `es`, ... and `zh-CN` / `zh-TW` (Simplified / Traditional), as the gateway names them. */
export function normalizeLanguage(raw: unknown): string {
  let locale: Intl.Locale;
  try {
    locale = new Intl.Locale(String(raw || 'en').trim());
  } catch {
    return 'en';
  }
  if (locale.language !== 'zh') return locale.language;
  return locale.maximize().script === 'Hant' ? 'zh-TW' : 'zh-CN';
}

/** The language's name in itself ("Español"), for the picker. */
export function languageName(code: string): string {
  const tag = code === 'zh-CN' ? 'zh-Hans' : code === 'zh-TW' ? 'zh-Hant' : code;
  try {
    const name = new Intl.DisplayNames([code], { type: 'language' }).of(tag) || code;
    return name.charAt(0).toLocaleUpperCase(code) + name.slice(1);
  } catch {
    return code;
  }
}

export async function fetchStrings(lang: string): Promise<unknown> {
  if (lang === 'en') return EN;
  if (cache.has(lang)) return cache.get(lang);
  try {
    const res = await fetch(`${settings.origin}/webchat/locales/${encodeURIComponent(lang)}`);
    if (!res.ok) return EN;
    const body: unknown = await res.json();
    const strings = body && typeof (body as { widget?: unknown }).widget === 'object' ? (body as { widget: unknown }).widget : body;
    cache.set(lang, strings);
    return strings;
  } catch {
    return EN;
  }
}
