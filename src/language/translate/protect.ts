/**
 * Protected spans: what must reach the shopper exactly as written (order numbers, SKUs, URLs,
 * e-mails, phone numbers, prices, @mentions, emoji, glossary terms) is replaced by numbered
 * placeholders `⟦1⟧` before a provider sees the text, and put back afterwards.
 *
 * Why `⟦n⟧`: mathematical brackets are not words in any language, so MT engines and LLMs copy
 * them, and unlike `<x id="1"/>` they need no HTML/XML mode (which would change escaping) and
 * unlike `{1}` or `[1]` they do not collide with Markdown or templates in shop texts. Providers
 * sometimes add spaces inside (`⟦ 1 ⟧`): tolerated. Anything else, a dropped, duplicated,
 * renumbered or half-eaten placeholder, fails the check and the text goes out untranslated.
 */
import type { GlossaryEntry } from './glossary.js';

/** A text with its protected spans masked. */
export interface Masked {
  /** The text sent to providers. */
  text: string;
  /** Placeholder `⟦i+1⟧` stands for `spans[i]`: what it restores to. */
  spans: string[];
}

/** What restoring a provider's output found. */
export type Restored = { ok: true; text: string } | { ok: false; problem: string };

const NUM = String.raw`\d+(?:[.,\u00a0\u202f ]\d{3})*(?:[.,]\d{1,2})?`;
const CODES = 'EUR|USD|GBP|CNY|RMB|JPY|KRW|CHF|AUD|CAD|HKD|TWD|SGD|SEK|NOK|DKK|PLN|CZK|BRL|MXN|INR|RUB|TRY|THB|VND|IDR|MYR|AED|SAR';
const SYMBOLS = '$€£¥₩₹₽₺฿₫';

/** Span patterns; where two overlap, the one starting first (then the longer) wins. */
const PATTERNS: readonly RegExp[] = [
  /⟦[^⟧\n]*⟧/gu, // the text's own brackets, so they cannot pose as placeholders
  // A URL ends at a space or at CJK text written right after it ("在https://…/PS-100234查询").
  /\b(?:https?:\/\/|www\.)[^\s<>"'`，。！？、；：（）「」『』【】\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+/giu,
  /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/gu,
  /(?<![\w@.])@\w(?:[\w.]*\w)?/gu,
  new RegExp(String.raw`(?:[A-Z]{0,3}[${SYMBOLS}]|R\$)\s?${NUM}`, 'gu'),
  new RegExp(String.raw`${NUM}\s?(?:[${SYMBOLS}元円]|(?:${CODES})\b)`, 'gu'),
  new RegExp(String.raw`\b(?:${CODES})\s?${NUM}`, 'gu'),
  /\+\d[\d\s().-]{6,}\d/gu, // international phone numbers
  /#(?=[A-Za-z0-9-]*\d)[A-Za-z0-9][A-Za-z0-9-]*/gu, // #A1234
  /\b[A-Z]{1,6}-\d[\dA-Z]*(?:-[\dA-Z]+)*\b/gu, // PS-100234, INV-2024-001
  /\b(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9]{2,}(?:-[A-Z0-9]+)*\b/gu, // SKUs: AB12345, SKU-4411-BLU
  /\b\d{6,}\b/gu, // long references: 1234567890
  /(?:\p{Extended_Pictographic}(?:\uFE0F|\u200D\p{Extended_Pictographic}|\p{Emoji_Modifier})*|\p{Regional_Indicator}{2})+/gu,
];

const TRAILING = /[.,;:!?)\]}'"»]+$/u;

interface Span {
  start: number;
  end: number;
  restore: string;
}

/**
 * Masks protected spans and glossary terms.
 *
 * @example
 * ```ts
 * protect('Order PS-100234 (€12.90) shipped: https://track.example.com/PS-100234', []);
 * // { text: 'Order ⟦1⟧ (⟦2⟧) shipped: ⟦3⟧', spans: ['PS-100234', '€12.90', 'https://track.example.com/PS-100234'] }
 * ```
 */
export function protect(text: string, glossary: readonly GlossaryEntry[] = []): Masked {
  const found: Span[] = [];
  for (const pattern of PATTERNS) {
    for (const m of text.matchAll(pattern)) {
      const value = pattern === PATTERNS[1] ? m[0].replace(TRAILING, '') : m[0];
      if ([...value].length >= (pattern === PATTERNS[10] ? 4 : 1)) found.push({ start: m.index, end: m.index + value.length, restore: value });
    }
  }
  for (const entry of glossary) {
    for (const m of text.matchAll(termPattern(entry.source))) {
      found.push({ start: m.index, end: m.index + m[0].length, restore: entry.target ?? m[0] });
    }
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const spans: string[] = [];
  let out = '';
  let at = 0;
  for (const span of found) {
    if (span.start < at) continue;
    spans.push(span.restore);
    out += `${text.slice(at, span.start)}⟦${spans.length}⟧`;
    at = span.end;
  }
  return { text: out + text.slice(at), spans };
}

/** A glossary term, case-insensitive, as a whole word in spaced scripts. */
function termPattern(term: string): RegExp {
  const escaped = term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const spaced = /^[\p{L}\p{N}]/u.test(term) && !/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u.test(term);
  return new RegExp(spaced ? `(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])` : escaped, 'giu');
}

const PLACEHOLDER = /⟦\s*([0-9０-９]+)\s*⟧/gu;

/**
 * Puts the spans back into a provider's output, checking that every placeholder came back
 * exactly once and nothing placeholder-like is left over.
 *
 * @example
 * ```ts
 * restore('Pedido ⟦1⟧ enviado', { text: 'Order ⟦1⟧ shipped', spans: ['PS-100234'] }); // { ok: true, text: 'Pedido PS-100234 enviado' }
 * restore('Pedido enviado', { text: 'Order ⟦1⟧ shipped', spans: ['PS-100234'] });     // { ok: false, problem: 'placeholder ⟦1⟧ missing' }
 * ```
 */
export function restore(translated: string, masked: Masked): Restored {
  const seen = new Map<number, number>();
  for (const m of translated.matchAll(PLACEHOLDER)) {
    const id = Number((m[1] ?? '').normalize('NFKC'));
    seen.set(id, (seen.get(id) ?? 0) + 1);
  }
  for (let id = 1; id <= masked.spans.length; id++) {
    const count = seen.get(id) ?? 0;
    if (count !== 1) return { ok: false, problem: `placeholder ⟦${id}⟧ ${count === 0 ? 'missing' : `repeated ${count} times`}` };
  }
  const unknown = [...seen.keys()].find((id) => id < 1 || id > masked.spans.length);
  if (unknown !== undefined) return { ok: false, problem: `unknown placeholder ⟦${unknown}⟧` };
  // A half-eaten placeholder ("⟦2", "2⟧"): the text's own brackets were masked, so none may remain.
  if (/[⟦⟧]/u.test(translated.replace(PLACEHOLDER, ''))) return { ok: false, problem: 'mangled placeholder' };
  return { ok: true, text: translated.replace(PLACEHOLDER, (_m, id: string) => masked.spans[Number(id.normalize('NFKC')) - 1] ?? '') };
}

/** Whether anything is left to translate once the spans are masked (letters outside placeholders). */
export function hasTranslatableText(masked: Masked): boolean {
  return /\p{L}/u.test(masked.text.replace(PLACEHOLDER, ''));
}
