/** The console's strings (GET /console/api/strings/:lng) in the agent's language, and locale formatting. */

import { translate, type Vars } from '../../shared/i18n.js';
import { API } from './api.js';
import { state } from './state.js';

export function t(key: string, vars?: Vars | null): string {
  return translate(key, vars, state.strings);
}

type Json = Record<string, unknown>;

function deepMerge(a: Json, b: Json | undefined): Json {
  const out = { ...a };
  for (const [k, v] of Object.entries(b || {})) {
    out[k] = v && typeof v === 'object' && !Array.isArray(v) ? deepMerge((a[k] as Json) || {}, v as Json) : v;
  }
  return out;
}

/** English first, the agent's language over it: a key missing in a translation still reads. */
export async function loadStrings(lang: string | undefined): Promise<void> {
  const base = (await fetch(`${API}/strings/en`)
    .then((r) => r.json())
    .catch(() => ({ strings: {} }))) as { strings?: Json };
  const own =
    lang && !/^en\b/i.test(lang)
      ? ((await fetch(`${API}/strings/${encodeURIComponent(lang)}`)
          .then((r) => (r.ok ? r.json() : null))
          .catch(() => null)) as { language: string; strings: Json } | null)
      : null;
  state.strings = deepMerge(base.strings || {}, own ? own.strings : {});
  state.lang = own ? own.language : 'en';
  document.documentElement.lang = state.lang;
  document.documentElement.dir = /^(ar|he|fa|ur)\b/.test(state.lang) ? 'rtl' : 'ltr';
  document.title = t('app_title');
}

/** A language's name in the agent's language. */
export function languageName(code: string): string {
  try {
    return new Intl.DisplayNames([state.lang], { type: 'language' }).of(code) || code;
  } catch {
    return code;
  }
}

export function waited(ms: number | undefined): string {
  const minutes = Math.floor((ms || 0) / 60000);
  return minutes < 1 ? t('just_now') : t('minutes', { count: minutes });
}

export function time(at: number): string {
  return new Intl.DateTimeFormat(state.lang, { hour: '2-digit', minute: '2-digit' }).format(new Date(at));
}
