/**
 * The shop's glossary: terms that are never translated (brand and product names) and fixed
 * translations of product terms per language. The translator masks them like protected spans,
 * so no provider can get them wrong.
 */
import { baseOf, variantOf } from '../tags.js';
import type { GlossarySettings } from './types.js';

/** One term to mask in a text being translated `from` -> `to`, and what replaces it afterwards. */
export interface GlossaryEntry {
  /** The term as it appears in the source language. */
  source: string;
  /** What it becomes in the target language; undefined keeps the text as written (do-not-translate). */
  target?: string;
}

/**
 * The glossary of a shop whose terms are keyed in its working language.
 *
 * @example
 * ```ts
 * const g = new Glossary({ doNotTranslate: ['Pawsome'], terms: { 'Snuggle Bed': { es: 'Cama Nido' } } }, 'en');
 * g.entries('en', 'es'); // [{ source: 'Snuggle Bed', target: 'Cama Nido' }, { source: 'Pawsome' }]
 * g.entries('es', 'en'); // [{ source: 'Cama Nido', target: 'Snuggle Bed' }, { source: 'Pawsome' }]
 * ```
 */
export class Glossary {
  private readonly keep: readonly string[];
  private readonly terms: readonly [string, Readonly<Record<string, string>>][];

  constructor(
    settings: GlossarySettings | undefined,
    private readonly workingLanguage: string,
  ) {
    this.keep = (settings?.doNotTranslate ?? []).filter((t) => t.trim());
    this.terms = Object.entries(settings?.terms ?? {}).filter(([t]) => t.trim());
  }

  get size(): number {
    return this.keep.length + this.terms.length;
  }

  /** The entries for one direction, longest source first (so "Snuggle Bed XL" wins over "Snuggle Bed"). */
  entries(from: string, to: string): GlossaryEntry[] {
    const out: GlossaryEntry[] = this.keep.map((source) => ({ source }));
    for (const [term, translations] of this.terms) {
      const source = this.termIn(term, translations, from);
      const target = this.termIn(term, translations, to);
      if (source && target) out.push({ source, target });
    }
    return out.sort((a, b) => b.source.length - a.source.length);
  }

  private termIn(term: string, translations: Readonly<Record<string, string>>, tag: string): string | undefined {
    if (sameTag(tag, this.workingLanguage)) return term;
    const keys = Object.keys(translations);
    const key =
      keys.find((k) => k.toLowerCase() === tag.toLowerCase()) ??
      keys.find((k) => sameTag(k, tag)) ??
      keys.find((k) => k.toLowerCase() === baseOf(tag) && (baseOf(tag) !== 'zh' || !variantOf(tag) || variantOf(tag) === 'Hans'));
    return key ? translations[key] : undefined;
  }
}

/** Same language and, for Chinese, the same script: `zh-CN` ~ `zh-Hans`, `zh-TW` !~ `zh-CN`. */
export function sameTag(a: string, b: string): boolean {
  if (baseOf(a) !== baseOf(b)) return false;
  return baseOf(a) !== 'zh' || (variantOf(a) ?? 'Hans') === (variantOf(b) ?? 'Hans');
}
