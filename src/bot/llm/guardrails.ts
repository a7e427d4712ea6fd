/**
 * Guardrails around the model. Input side: instructions hidden in shopper text or knowledge
 * documents are recognised (and cut from documents) — they are data, never instructions.
 * Output side: every reply is checked before the shopper sees it, read folded (NFKC, full
 * width, digits of any script, look-alike letters): a reply that states a number, link, code,
 * personal data or commitment the sources do not state, asks for secrets, changes persona or
 * insults, or leaks the system prompt, does not reach the shopper.
 */
import type { CountryCode } from 'libphonenumber-js';
import { findPii, type PiiKind } from '../pii/index.js';
import { foldForChecks } from '../text-fold.js';
import { type ClaimSource, checkClaims } from './claims/claims.js';
import { numberValue, quantities } from './claims/quantities.js';
import { INJECTION_PATTERNS, PROMISES, PROMPT_TALK } from './guardrail-terms.js';
import { findLinks, hostsIn, linkAllowed } from './links.js';

/** Why a reply was stopped. `detail` never carries shopper text, only the offending token or rule. */
export interface Violation {
  rule: 'system_prompt' | 'number' | 'promise' | 'placeholder' | 'url' | 'code' | 'order' | 'pii' | 'claim' | 'done' | 'secret' | 'tone' | 'persona';
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

const sentenceSegmenter = new Intl.Segmenter('und', { granularity: 'sentence' });

/**
 * Splits text into sentences (ICU's rules through `Intl.Segmenter`: "€5.95" and "e.g." do not
 * end one, "。！？" and line breaks do), keeping each sentence's punctuation and spacing, so the
 * pieces join back into the text.
 */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  for (const { segment } of sentenceSegmenter.segment(text)) {
    // ICU keeps a line break inside a sentence when no punctuation ends the line: lines are sentences too.
    for (const line of segment.split(/(?<=\n)/)) if (line) out.push(line);
  }
  return out.length ? out : [text];
}

/** Numbers, amounts, links and codes the sources state (read folded): what a reply may repeat. */
export interface GroundingCorpus {
  raw: string;
  numbers: Set<string>;
  money: Set<string>;
  percents: Set<string>;
  /** Hosts the sources link to or name (an order's tracking link). */
  hosts: Set<string>;
}

const PLACEHOLDER_RE = /\[(?:EMAIL|PHONE|CARD|IBAN|CN_ID|ADDRESS)_\d{1,4}\]/g;
const URL_RE = /https?:\/\/[^\s<>"'`)\]]+/gi;
const ORDER_ID_RE = /\b[A-Z]{1,4}-\d{4,12}\b/g;
const NUMBER_RE = /\d[\d.,]*/g;
const CODE_AFTER_WORD =
  /(?:code|código|codigo|codice|gutscheincode|rabattcode|kortingscode|coupon|cupón|voucher|码|碼)\s*[:：]?\s*["'“]?([A-Za-z0-9][A-Za-z0-9_-]{3,})/gi;
const MIXED_CODE = /\b(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9][A-Z0-9-]{3,}\b/g;

/** Removes what is checked separately (placeholders, links, order ids, e-mail addresses) before numbers are read. */
function withoutTokens(text: string): string {
  return text
    .replace(PLACEHOLDER_RE, ' ')
    .replace(URL_RE, ' ')
    .replace(ORDER_ID_RE, ' ')
    .replace(/\S+@\S+/g, ' ');
}

interface Claims {
  money: string[];
  percents: string[];
  numbers: string[];
}

/** The numbers a (folded) text states, read as the claim checker reads them ("九十天" is 90 days, "5,95 €" money). */
function claims(text: string, language?: string): Claims {
  const money: string[] = [];
  const percents: string[] = [];
  const numbers: string[] = [];
  for (const q of quantities(withoutTokens(text), language)) {
    if (q.named) continue;
    const key = String(q.value);
    (q.unit === 'money' ? money : q.unit === 'percent' ? percents : numbers).push(key);
  }
  return { money, percents, numbers };
}

function indexText(text: string, language?: string): GroundingCorpus {
  const raw = foldForChecks(text);
  const c = claims(raw, language);
  const numbers = new Set([...c.numbers, ...c.money, ...c.percents]);
  // Order ids, dates and links carry numbers too: a reply may repeat those digits.
  for (const token of [...raw.matchAll(ORDER_ID_RE), ...raw.matchAll(URL_RE)])
    for (const n of token[0].matchAll(NUMBER_RE)) numbers.add(String(numberValue(n[0]) ?? ''));
  return { raw, numbers, money: new Set(c.money), percents: new Set(c.percents), hosts: hostsIn([text]) };
}

/** A text a reply may repeat numbers, links and codes from, with its language (for numbers written as words). */
export interface GroundingText {
  text: string;
  language?: string;
}

/** Knowledge sections repeat across turns: their index is kept (bounded, oldest dropped first). */
const indexCache = new Map<string, GroundingCorpus>();

function indexed(source: GroundingText): GroundingCorpus {
  const key = `${source.language ?? ''}\u0000${source.text}`;
  let corpus = indexCache.get(key);
  if (!corpus) {
    corpus = indexText(source.text, source.language);
    if (indexCache.size >= 2000) indexCache.delete(indexCache.keys().next().value as string);
    indexCache.set(key, corpus);
  }
  return corpus;
}

/** Indexes the grounding texts (knowledge sections, tool results, notes) a reply may repeat. */
export function buildCorpus(texts: readonly (string | GroundingText)[]): GroundingCorpus {
  const parts = texts.map((t) => indexed(typeof t === 'string' ? { text: t } : t));
  const union = <T>(pick: (c: GroundingCorpus) => Set<T>) => new Set(parts.flatMap((c) => [...pick(c)]));
  return {
    raw: parts.map((c) => c.raw).join('\n'),
    numbers: union((c) => c.numbers),
    money: union((c) => c.money),
    percents: union((c) => c.percents),
    hosts: union((c) => c.hosts),
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
  /** Numbers, links and codes of the sources. */
  corpus: GroundingCorpus;
  /**
   * The shop's texts a commitment may rest on: knowledge sections given to the model this turn
   * and tool results. Never anything the shopper wrote.
   */
  sources: readonly ClaimSource[];
  /** The language the reply is written in (the shopper's). */
  language: string;
  /** The shop's own domains (`shop.domains`): links may point here and to hosts the sources name. */
  shopDomains: readonly string[];
  prompt: PromptFingerprint;
  /** Order ids the shopper typed: the reply may name them (never their details). */
  shopperOrderIds?: ReadonlySet<string>;
  /** Whether a `[KIND_n]` placeholder was handed out for this conversation. */
  knownPlaceholder(placeholder: string): boolean;
  /**
   * Whether personal data written out was masked for this conversation (the shop's contacts in
   * a section, what the shopper typed): a reply may give those back, never anything else.
   */
  knownPii?(kind: PiiKind, value: string): boolean;
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

/** "1" and "0" ("one", "一次", a single item) say nothing a shop could be held to; amounts and percents always count. */
const TRIVIAL_NUMBERS = new Set(['0', '1']);

function checkNumbers(reply: string, corpus: GroundingCorpus, language: string, out: Violation[]): void {
  const c = claims(reply.replace(/^\s*\d{1,2}[.)]\s/gm, ' '), language);
  for (const key of c.percents) if (!corpus.percents.has(key)) out.push({ rule: 'number', detail: `${key}%` });
  for (const key of c.money) if (!corpus.money.has(key)) out.push({ rule: 'number', detail: `money ${key}` });
  for (const key of c.numbers) if (!corpus.numbers.has(key) && !TRIVIAL_NUMBERS.has(key)) out.push({ rule: 'number', detail: key });
}

function withoutPii(text: string, ctx: ReplyCheckContext): string {
  let out = text;
  for (const span of findPii(text, ctx.defaultCountry ? { defaultCountry: ctx.defaultCountry } : {}).reverse())
    out = `${out.slice(0, span.start)} ${out.slice(span.end)}`;
  return out;
}

/** Placeholders, personal data, links, order ids and codes: only those the sources hold. */
function checkTokens(original: string, folded: string, ctx: ReplyCheckContext, out: Violation[]): void {
  for (const p of folded.match(PLACEHOLDER_RE) ?? []) if (!ctx.knownPlaceholder(p)) out.push({ rule: 'placeholder', detail: p });
  // Replies are checked masked: personal data written out was not given to the model by Parley.
  for (const span of findPii(original, ctx.defaultCountry ? { defaultCountry: ctx.defaultCountry } : {})) {
    if (!ctx.corpus.raw.includes(foldForChecks(span.value)) && !ctx.knownPii?.(span.kind, span.value)) out.push({ rule: 'pii', detail: span.kind });
  }
  const policy = { shopDomains: ctx.shopDomains, sourceHosts: ctx.corpus.hosts };
  for (const link of findLinks(original)) {
    if (!linkAllowed(link, policy)) out.push({ rule: 'url', detail: link.problem ?? 'host not allowed' });
  }
  for (const m of folded.matchAll(ORDER_ID_RE)) {
    if (!ctx.corpus.raw.includes(m[0]) && !ctx.shopperOrderIds?.has(m[0])) out.push({ rule: 'order', detail: m[0] });
  }
  const withoutOrders = folded.replace(ORDER_ID_RE, ' ').replace(URL_RE, ' ').replace(PLACEHOLDER_RE, ' ');
  // After "code", a token is a code when it has a digit or a capital ("one code works per order" is English).
  const codes = [...withoutOrders.matchAll(CODE_AFTER_WORD)].map((m) => m[1] as string).filter((c) => /\d/.test(c) || c !== c.toLowerCase());
  codes.push(...(withoutOrders.match(MIXED_CODE) ?? []));
  for (const code of codes) if (!ctx.corpus.raw.includes(code)) out.push({ rule: 'code', detail: code });
}

/** Binding language and personal commitments: never the shop's voice, whatever the sources say. */
function checkBinding(folded: string, out: Violation[]): void {
  const lower = folded.toLowerCase();
  for (const family of PROMISES) {
    if (family.terms.some((term) => termMatches(lower, term))) out.push({ rule: 'promise', detail: family.family });
  }
}

/**
 * Every reason `reply` (still masked: placeholders, not personal data) must not reach the
 * shopper. Empty means it may be sent.
 *
 * @example
 * ```ts
 * checkReply('Good news: 50% off with code PAWS50!', ctx);
 * // [{ rule: 'number', detail: '50%' }, { rule: 'code', detail: 'PAWS50' }, { rule: 'claim', detail: 'discount' }]
 * ```
 */
export function checkReply(reply: string, ctx: ReplyCheckContext): Violation[] {
  const out: Violation[] = [];
  const folded = foldForChecks(reply);
  checkPromptLeak(folded, ctx, out);
  // The digits of a phone number or an address are checked as personal data, not as numbers.
  const unmasked = withoutPii(folded, ctx);
  checkNumbers(unmasked, ctx.corpus, ctx.language, out);
  checkTokens(reply, folded, ctx, out);
  checkBinding(folded, out);
  for (const v of checkClaims(unmasked, ctx.language, ctx.sources)) out.push(v);
  return out;
}
