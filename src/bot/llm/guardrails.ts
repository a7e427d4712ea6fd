/**
 * Guardrails around the model. Input side: instructions hidden in shopper text or knowledge
 * documents are recognised (and cut from documents) — they are data, never instructions.
 * Output side: every reply is checked before the shopper sees it; a reply that states a number,
 * link, code or promise the sources do not state, or that leaks the system prompt, is replaced.
 */
import type { CountryCode } from 'libphonenumber-js';
import { findPii } from '../pii/index.js';
import { INJECTION_PATTERNS, PROMISES, PROMPT_TALK } from './guardrail-terms.js';

/** Why a reply was stopped. `detail` never carries shopper text, only the offending token or rule. */
export interface Violation {
  rule: 'system_prompt' | 'number' | 'promise' | 'placeholder' | 'url' | 'code' | 'order' | 'pii';
  detail: string;
}

/** Whether `text` reads like instructions to the assistant (any supported language). */
export function detectInjection(text: string): boolean {
  return INJECTION_PATTERNS.some((re) => re.test(text));
}

/** `text` without the sentences that carry injected instructions, and how many were cut. */
export function sanitizeData(text: string): { text: string; removed: number } {
  if (!detectInjection(text)) return { text, removed: 0 };
  let removed = 0;
  const kept = splitSentences(text).filter((sentence) => {
    const bad = detectInjection(sentence);
    if (bad) removed++;
    return !bad;
  });
  return { text: kept.join('').trim(), removed };
}

/** Splits after `.!?。！？` and newlines, keeping the delimiters with their sentence. */
export function splitSentences(text: string): string[] {
  return text.match(/[^.!?。！？\n]*(?:[.!?。！？]+["'”’)]*\s*|\n+|$)/g)?.filter((s) => s.length > 0) ?? [text];
}

/** Numbers, amounts, links and codes the sources state: what a reply may repeat. */
export interface GroundingCorpus {
  lower: string;
  raw: string;
  numbers: Set<string>;
  money: Set<string>;
  percents: Set<string>;
  /** Promise families the texts themselves state (so a reply may repeat them). */
  backed: Set<string>;
}

const PLACEHOLDER_RE = /\[(?:EMAIL|PHONE|CARD|IBAN|CN_ID|ADDRESS)_\d{1,4}\]/g;
const URL_RE = /https?:\/\/[^\s<>"'`)\]]+/gi;
const ORDER_ID_RE = /\b[A-Z]{1,4}-\d{4,12}\b/g;
const CURRENCY = '(?:[€$£¥]|EUR|USD|GBP|CNY|RMB|JPY|euros?|dollars?|pounds?|yuan|元|円|块)';
const MONEY_RE = new RegExp(`(?:${CURRENCY}\\s?(\\d[\\d.,]*))|(?:(\\d[\\d.,]*)\\s?${CURRENCY})`, 'gi');
const PERCENT_RE = /(?:(\d[\d.,]*)\s?(?:%|％|percent|per cent|prozent|por ciento|pour cent|procent|per cento|por cento))|(?:百分之(\d+))/gi;
const NUMBER_RE = /\d[\d.,]*/g;
const CODE_AFTER_WORD = /(?:code|código|codigo|codice|gutscheincode|rabattcode|kortingscode|coupon|cupón|voucher|码|碼)\s*[:：]?\s*["'“]?([A-Za-z0-9][A-Za-z0-9_-]{3,})/gi;
const MIXED_CODE = /\b(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9][A-Z0-9-]{3,}\b/g;

/** `1,000` and `1.000` → 1000; `5,95` → 5.95; `129.00` → 129. */
function numberKey(raw: string): string | undefined {
  const s = raw.replace(/[.,]+$/, '');
  if (!s) return undefined;
  const n = /^\d{1,3}([.,]\d{3})+$/.test(s) ? Number(s.replace(/[.,]/g, '')) : Number(s.replace(',', '.').replace(/,/g, ''));
  return Number.isFinite(n) ? String(n) : undefined;
}

/** Removes what is checked separately (placeholders, links, order ids) before numbers are read. */
function withoutTokens(text: string): string {
  return text.replace(PLACEHOLDER_RE, ' ').replace(URL_RE, ' ').replace(ORDER_ID_RE, ' ');
}

interface Claims {
  money: string[];
  percents: string[];
  numbers: string[];
}

function claims(text: string): Claims {
  let rest = withoutTokens(text);
  const money: string[] = [];
  const percents: string[] = [];
  rest = rest.replace(PERCENT_RE, (_m, a?: string, b?: string) => {
    const key = numberKey(a ?? b ?? '');
    if (key) percents.push(key);
    return ' ';
  });
  rest = rest.replace(MONEY_RE, (_m, a?: string, b?: string) => {
    const key = numberKey(a ?? b ?? '');
    if (key) money.push(key);
    return ' ';
  });
  const numbers = [...rest.matchAll(NUMBER_RE)].map((m) => numberKey(m[0])).filter((k): k is string => k !== undefined);
  return { money, percents, numbers };
}

function indexText(raw: string): GroundingCorpus {
  const c = claims(raw);
  const numbers = new Set([...c.numbers, ...c.money, ...c.percents]);
  // Order ids, dates and links carry numbers too: a reply may repeat those digits.
  for (const token of [...raw.matchAll(ORDER_ID_RE), ...raw.matchAll(URL_RE)]) for (const n of token[0].matchAll(NUMBER_RE)) numbers.add(numberKey(n[0]) ?? '');
  const lower = raw.toLowerCase();
  const backed = new Set(PROMISES.filter((f) => !f.always && f.terms.some((term) => termMatches(lower, term))).map((f) => f.family));
  return { raw, lower, numbers, money: new Set(c.money), percents: new Set(c.percents), backed };
}

/** Knowledge sections repeat across turns: their index is kept (bounded, oldest dropped first). */
const indexCache = new Map<string, GroundingCorpus>();

function indexed(text: string): GroundingCorpus {
  let corpus = indexCache.get(text);
  if (!corpus) {
    corpus = indexText(text);
    if (indexCache.size >= 2000) indexCache.delete(indexCache.keys().next().value as string);
    indexCache.set(text, corpus);
  }
  return corpus;
}

/** Indexes the grounding texts (knowledge sections, tool results, notes) a reply may repeat. */
export function buildCorpus(texts: readonly string[]): GroundingCorpus {
  const parts = texts.map(indexed);
  const union = <T>(pick: (c: GroundingCorpus) => Set<T>) => new Set(parts.flatMap((c) => [...pick(c)]));
  return {
    raw: parts.map((c) => c.raw).join('\n'),
    lower: parts.map((c) => c.lower).join('\n'),
    numbers: union((c) => c.numbers),
    money: union((c) => c.money),
    percents: union((c) => c.percents),
    backed: union((c) => c.backed),
  };
}

/** What the reply must not echo: word 6-grams of the system prompt, and its canary. */
export interface PromptFingerprint {
  canary: string;
  shingles: Set<string>;
}

const words = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

function shingles(text: string, n = 6): string[] {
  const w = words(text);
  const out: string[] = [];
  for (let i = 0; i + n <= w.length; i++) out.push(w.slice(i, i + n).join(' '));
  return out;
}

/** Fingerprints a system prompt (its fixed instructions, without the per-turn data). */
export function fingerprint(systemPrompt: string, canary: string): PromptFingerprint {
  return { canary, shingles: new Set(shingles(systemPrompt)) };
}

/** What a reply is checked against. */
export interface ReplyCheckContext {
  corpus: GroundingCorpus;
  prompt: PromptFingerprint;
  /** Order ids the shopper typed: the reply may name them (never their details). */
  shopperOrderIds?: ReadonlySet<string>;
  /** Whether a `[KIND_n]` placeholder was handed out for this conversation. */
  knownPlaceholder(placeholder: string): boolean;
  /** Region for phone numbers without a country code. */
  defaultCountry?: CountryCode;
}

const termRegexCache = new Map<string, RegExp>();

/** CJK terms match anywhere; short Latin words match whole, longer ones (stems) at a word start. */
function termMatches(text: string, term: string): boolean {
  if (!/^[\p{Script=Latin}\p{Script=Cyrillic}\s'%-]+$/u.test(term)) return text.includes(term);
  let re = termRegexCache.get(term);
  if (!re) {
    const escaped = term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const wordLike = /^\p{L}+$/u.test(term) && term.length <= 6;
    const start = /^\p{L}/u.test(term) ? '(?<![\\p{L}\\p{N}])' : '';
    re = new RegExp(`${start}${escaped}${wordLike ? '(?![\\p{L}])' : ''}`, 'u');
    termRegexCache.set(term, re);
  }
  return re.test(text);
}

function checkPromptLeak(reply: string, ctx: ReplyCheckContext, out: Violation[]): void {
  if (reply.includes(ctx.prompt.canary)) out.push({ rule: 'system_prompt', detail: 'canary' });
  else if (shingles(reply).some((s) => ctx.prompt.shingles.has(s))) out.push({ rule: 'system_prompt', detail: 'overlap' });
  else if (PROMPT_TALK.some((re) => re.test(reply))) out.push({ rule: 'system_prompt', detail: 'mentions instructions' });
}

function checkNumbers(reply: string, corpus: GroundingCorpus, out: Violation[]): void {
  const c = claims(reply.replace(/^\s*\d{1,2}[.)]\s/gm, ' '));
  for (const key of c.percents) if (!corpus.percents.has(key)) out.push({ rule: 'number', detail: `${key}%` });
  for (const key of c.money) if (!corpus.money.has(key)) out.push({ rule: 'number', detail: `money ${key}` });
  for (const key of c.numbers) if (!corpus.numbers.has(key)) out.push({ rule: 'number', detail: key });
}

function checkTokens(reply: string, ctx: ReplyCheckContext, out: Violation[]): void {
  for (const p of reply.match(PLACEHOLDER_RE) ?? []) if (!ctx.knownPlaceholder(p)) out.push({ rule: 'placeholder', detail: p });
  // Replies are checked masked: personal data written out was not given to the model by Parley.
  for (const span of findPii(reply, ctx.defaultCountry ? { defaultCountry: ctx.defaultCountry } : {})) {
    if (!ctx.corpus.raw.includes(span.value)) out.push({ rule: 'pii', detail: span.kind });
  }
  for (const m of reply.matchAll(URL_RE)) {
    const url = m[0].replace(/[.,;:!?]+$/, '');
    if (!ctx.corpus.raw.includes(url)) out.push({ rule: 'url', detail: 'link not in sources' });
  }
  for (const m of reply.matchAll(ORDER_ID_RE)) {
    if (!ctx.corpus.raw.includes(m[0]) && !ctx.shopperOrderIds?.has(m[0])) out.push({ rule: 'order', detail: m[0] });
  }
  const withoutOrders = reply.replace(ORDER_ID_RE, ' ').replace(URL_RE, ' ').replace(PLACEHOLDER_RE, ' ');
  const codes = [...withoutOrders.matchAll(CODE_AFTER_WORD)].map((m) => m[1] as string);
  codes.push(...(withoutOrders.match(MIXED_CODE) ?? []));
  for (const code of codes) if (!ctx.corpus.raw.includes(code)) out.push({ rule: 'code', detail: code });
}

function checkPromises(reply: string, corpus: GroundingCorpus, out: Violation[]): void {
  const lower = reply.toLowerCase();
  for (const family of PROMISES) {
    const used = family.terms.find((term) => termMatches(lower, term));
    if (!used) continue;
    if (family.always || !corpus.backed.has(family.family)) out.push({ rule: 'promise', detail: family.family });
  }
}

/**
 * Every reason `reply` (still masked: placeholders, not personal data) must not reach the
 * shopper. Empty means it may be sent.
 *
 * @example
 * ```ts
 * checkReply('Good news: 50% off with code PAWS50!', ctx);
 * // [{ rule: 'number', detail: '50%' }, { rule: 'code', detail: 'PAWS50' }, { rule: 'promise', detail: 'discount' }]
 * ```
 */
export function checkReply(reply: string, ctx: ReplyCheckContext): Violation[] {
  const out: Violation[] = [];
  checkPromptLeak(reply, ctx, out);
  checkNumbers(reply, ctx.corpus, out);
  checkTokens(reply, ctx, out);
  checkPromises(reply, ctx.corpus, out);
  return out;
}
