import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import i18next, { type i18n } from 'i18next';
import type { Localize } from '../core/ports.js';

/** Fixed strings: every `locales/<lng>/<file>.json`, addressed as `<file>.<key>`. */
export interface Localizer {
  /** The locales that have files. */
  readonly languages: readonly string[];
  /** A `t` bound to the best available locale for `language`. */
  forLanguage(language: string | undefined): Localize;
  /** The best available locale for a requested tag: exact, then base language, then `en`. */
  resolve(language: string | undefined): string;
  /** The raw resources of one file for one locale (the widget fetches its strings). */
  bundle(language: string, file: string): Record<string, unknown> | undefined;
}

/** Reads `locales/` into one i18next instance. */
export async function loadLocales(dir: string, fallback = 'en'): Promise<Localizer> {
  const resources: Record<string, { translation: Record<string, unknown> }> = {};
  for (const lng of readdirSync(dir)) {
    if (!statSync(join(dir, lng)).isDirectory()) continue;
    const translation: Record<string, unknown> = {};
    for (const file of readdirSync(join(dir, lng)).filter((f) => f.endsWith('.json'))) {
      translation[basename(file, '.json')] = JSON.parse(readFileSync(join(dir, lng, file), 'utf8'));
    }
    resources[lng] = { translation };
  }
  const instance: i18n = i18next.createInstance();
  await instance.init({
    resources,
    fallbackLng: { 'zh-TW': ['zh-CN', fallback], 'zh-HK': ['zh-TW', 'zh-CN', fallback], default: [fallback] },
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  const languages = Object.keys(resources);
  const byLower = new Map(languages.map((l) => [l.toLowerCase(), l]));
  const resolve = (language: string | undefined): string => {
    if (!language) return fallback;
    const exact = byLower.get(language.toLowerCase());
    if (exact) return exact;
    const base = language.split(/[-_]/)[0]?.toLowerCase() ?? '';
    if (base === 'zh') return /tw|hk|mo|hant/i.test(language) && byLower.has('zh-tw') ? 'zh-TW' : (byLower.get('zh-cn') ?? fallback);
    return byLower.get(base) ?? languages.find((l) => l.toLowerCase().startsWith(`${base}-`)) ?? fallback;
  };
  const cache = new Map<string, Localize>();
  return {
    languages,
    resolve,
    forLanguage(language) {
      const lng = resolve(language);
      let t = cache.get(lng);
      if (!t) {
        const fixed = instance.getFixedT(lng);
        t = (key, vars) => fixed(key, vars ?? {}) as string;
        cache.set(lng, t);
      }
      return t;
    },
    bundle(language, file) {
      return resources[resolve(language)]?.translation[file] as Record<string, unknown> | undefined;
    },
  };
}
