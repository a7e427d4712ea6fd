/**
 * Maps what detection finds (a base code such as `zh`, maybe a script variant) onto the tags the
 * shop configured (`zh-CN`, `pt-BR`, `es-419` ...). Detection never returns a tag the shop did not
 * configure.
 */
import type { HanVariant } from './han.js';

// Deprecated or alternative primary subtags still sent by platforms and browsers.
const ALIASES: Readonly<Record<string, string>> = {
  iw: 'he',
  in: 'id',
  ji: 'yi',
  jw: 'jv',
  fil: 'tl',
  nb: 'no',
  nn: 'no',
  zsm: 'ms',
};

// Phone country -> the language most shoppers there write; only a last-resort hint.
const COUNTRY_LANGUAGE: Readonly<Record<string, string>> = {
  US: 'en',
  GB: 'en',
  AU: 'en',
  CA: 'en',
  NZ: 'en',
  IE: 'en',
  ES: 'es',
  MX: 'es',
  AR: 'es',
  CO: 'es',
  CL: 'es',
  PE: 'es',
  FR: 'fr',
  BE: 'fr',
  DE: 'de',
  AT: 'de',
  CH: 'de',
  IT: 'it',
  PT: 'pt',
  BR: 'pt',
  NL: 'nl',
  PL: 'pl',
  TR: 'tr',
  RU: 'ru',
  UA: 'uk',
  SA: 'ar',
  AE: 'ar',
  EG: 'ar',
  IL: 'he',
  IR: 'fa',
  IN: 'hi',
  TH: 'th',
  VN: 'vi',
  ID: 'id',
  MY: 'ms',
  BN: 'ms',
  JP: 'ja',
  KR: 'ko',
  CN: 'zh-CN',
  SG: 'zh-CN',
  TW: 'zh-TW',
  HK: 'zh-TW',
  MO: 'zh-TW',
  GR: 'el',
};

/** The primary subtag of a BCP-47 tag, lower-cased and de-aliased: `pt_BR` -> `pt`. */
export function baseOf(tag: string): string {
  const base = tag.slice(0, firstSeparator(tag)).toLowerCase();
  return ALIASES[base] ?? base;
}

/** Index of the first `-` or `_`, else the length (a scan: detection asks on every message). */
function firstSeparator(tag: string): number {
  for (let i = 0; i < tag.length; i++) {
    const code = tag.charCodeAt(i);
    if (code === 0x2d || code === 0x5f) return i;
  }
  return tag.length;
}

/** The Chinese script a tag implies, if any: `zh-TW` -> Hant, `zh-Hans-SG` -> Hans, `zh` -> none. */
export function variantOf(tag: string): HanVariant | undefined {
  // Most tags are a bare language (`en`): no subtags, no split.
  if (firstSeparator(tag) === tag.length) return undefined;
  const rest = tag.toLowerCase().split(/[-_]/).slice(1);
  if (rest.some((part) => part === 'hant' || part === 'tw' || part === 'hk' || part === 'mo')) return 'Hant';
  if (rest.some((part) => part === 'hans' || part === 'cn' || part === 'sg' || part === 'my')) return 'Hans';
  return undefined;
}

// Enough for every tag platforms send in practice; beyond it, answers are computed, not kept.
const MATCH_MEMO_LIMIT = 1000;

/** The shop's configured tags, looked up by base code and Chinese variant. */
export class ConfiguredTags {
  readonly tags: readonly string[];
  /** Distinct base codes, in configuration order. */
  readonly bases: readonly string[];
  // Lookups precomputed from the fixed configuration: detection resolves tags on every message.
  private readonly byLowerCase = new Map<string, string>();
  private readonly byBase = new Map<string, string[]>();
  /**
   * Answers of `match` per tag the outside world sent. Keyed by tag (sticky languages, platform
   * locales, a few dozen in practice), never by message text; capped so odd input cannot grow it.
   */
  private readonly matched = new Map<string, string | undefined>();

  constructor(tags: readonly string[]) {
    this.tags = tags;
    this.bases = [...new Set(tags.map(baseOf))];
    for (const tag of tags) {
      const lower = tag.toLowerCase();
      // The first configured spelling wins, as a search in configuration order would find.
      if (!this.byLowerCase.has(lower)) this.byLowerCase.set(lower, tag);
      const base = baseOf(tag);
      const list = this.byBase.get(base) ?? [];
      list.push(tag);
      this.byBase.set(base, list);
    }
  }

  has(base: string): boolean {
    return this.bases.includes(base);
  }

  /**
   * The configured tag for a base code; for Chinese, the tag of the wanted script if configured,
   * else plain `zh`, else any Chinese tag.
   */
  resolve(base: string, variant?: HanVariant): string | undefined {
    const candidates = this.byBase.get(base);
    if (!candidates) return undefined;
    if (candidates.length <= 1 || base !== 'zh') return candidates[0];
    const wanted = variant ?? 'Hans';
    return candidates.find((tag) => variantOf(tag) === wanted) ?? candidates.find((tag) => variantOf(tag) === undefined) ?? candidates[0];
  }

  /** A configured tag matching any tag the outside world sent (`es-MX`, `zh-Hant`, `iw`). */
  match(tag: string | undefined): string | undefined {
    if (!tag) return undefined;
    if (this.matched.has(tag)) return this.matched.get(tag);
    const exact = this.byLowerCase.get(tag.toLowerCase().replace('_', '-'));
    const found = exact ?? this.resolve(baseOf(tag), variantOf(tag));
    if (this.matched.size < MATCH_MEMO_LIMIT) this.matched.set(tag, found);
    return found;
  }

  /** The configured tag a platform locale or phone country points at. */
  fromHints(hints: { locale?: string; country?: string } | undefined): string | undefined {
    const fromLocale = this.match(hints?.locale);
    if (fromLocale) return fromLocale;
    const country = hints?.country?.toUpperCase();
    return country ? this.match(COUNTRY_LANGUAGE[country]) : undefined;
  }
}
