/**
 * Language-aware text analysis for retrieval: the same function turns a knowledge-base section
 * and a shopper's question into terms, per language, or nothing matches.
 *
 * - words: `Intl.Segmenter` with the language's own rules (ICU dictionaries split Chinese,
 *   Japanese and Thai, which are written without spaces);
 * - folding: NFKC (full-width letters and digits), lower case, Latin and Cyrillic diacritics
 *   dropped (shoppers often type without them), Arabic letter variants unified, Traditional
 *   Chinese read as Simplified (OpenCC), so zh-TW and zh-CN variants match either script;
 * - stop words: the `stopword` package's lists plus the question frames of ./stopwords.ts;
 * - stemming: the Snowball stemmers of `@orama/stemmers` where the language has one;
 * - Chinese and Japanese: also every two adjacent characters, because ICU's dictionary often
 *   splits a shop's vocabulary ("退货运费" as 退|货运|费); Vietnamese: also two adjacent
 *   syllables, its words ("giao hàng");
 * - alternatives for a question's words: the shop's synonyms (./synonyms.ts), and the longest
 *   known term a word starts with (German compounds "versandkosten" -> "versand", Korean
 *   particles "배송비는" -> "배송비", stems a stemmer missed on unaccented words).
 */
import { stemmer as arabic } from '@orama/stemmers/arabic';
import { stemmer as dutch } from '@orama/stemmers/dutch';
import { stemmer as english } from '@orama/stemmers/english';
import { stemmer as french } from '@orama/stemmers/french';
import { stemmer as german } from '@orama/stemmers/german';
import { stemmer as indonesian } from '@orama/stemmers/indonesian';
import { stemmer as italian } from '@orama/stemmers/italian';
import { stemmer as portuguese } from '@orama/stemmers/portuguese';
import { stemmer as russian } from '@orama/stemmers/russian';
import { stemmer as spanish } from '@orama/stemmers/spanish';
import { stemmer as turkish } from '@orama/stemmers/turkish';
import * as stopwordLists from 'stopword';
import { words as asciiSafeWords, stripApostrophes } from '../text.js';
import { ASCII, foldFor, primary } from './fold.js';
import { namesOf, placesIn } from './places.js';
import { QUESTION_FRAMES } from './stopwords.js';
import { PHRASES, SYNONYMS } from './synonyms.js';

/** Snowball stemmers by primary language subtag. */
const STEMMERS: Readonly<Record<string, (word: string) => string>> = {
  ar: arabic,
  de: german,
  en: english,
  es: spanish,
  fr: french,
  id: indonesian,
  it: italian,
  ms: indonesian,
  nl: dutch,
  pt: portuguese,
  ru: russian,
  tr: turkish,
};

/** The `stopword` package's list names (ISO 639-3) by primary language subtag. */
const STOPWORD_LISTS: Readonly<Record<string, string>> = {
  ar: 'ara',
  de: 'deu',
  en: 'eng',
  es: 'spa',
  fr: 'fra',
  id: 'ind',
  it: 'ita',
  ja: 'jpn',
  ko: 'kor',
  ms: 'msa',
  nl: 'nld',
  pl: 'pol',
  pt: 'por',
  ru: 'rus',
  th: 'tha',
  tr: 'tur',
  vi: 'vie',
  zh: 'zho',
};

/** Scripts read character by character (no spaces between words). */
const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const HANGUL = /\p{Script=Hangul}/u;
const NUMBER = /^[\d.,:]+$/;

/** How a question's word is matched: its own form, a synonym, or a shorter known term it starts with. */
type TermKind = 'own' | 'synonym' | 'truncated';

/** One search term of a question and the units (content words, or CJK characters) it stands for. */
export interface QueryTerm {
  term: string;
  kind: TermKind;
  /** Indexes into {@link Analysis.units}. */
  covers: readonly number[];
}

/** A question, analysed. */
export interface Analysis {
  /** What must be found for a full match: content words, or the characters of Chinese and Japanese words. */
  units: readonly string[];
  terms: readonly QueryTerm[];
}

/** Everything one language's analysis needs, built once. */
interface Profile {
  language: string;
  segmenter: Intl.Segmenter;
  stop: ReadonlySet<string>;
  stem: (word: string) => string;
  phrases: readonly { from: readonly string[]; to: string }[];
  synonyms: ReadonlyMap<string, readonly string[]>;
  /** Chinese and Japanese: characters are units, adjacent pairs are terms. */
  chars: boolean;
  /** Vietnamese: adjacent syllables are terms too. */
  syllablePairs: boolean;
}

const profiles = new Map<string, Profile>();

/** How text is analysed: with the language's stop words dropped (retrieval), or every word kept (intents). */
export interface AnalysisOptions {
  /** Drop stop words and question frames. Default true; intents keep them ("where", "dónde" tell them apart). */
  stopWords?: boolean;
}

function profile(language: string, options: AnalysisOptions = {}): Profile {
  const base = primary(language);
  const key = options.stopWords === false ? `${base}:all` : base;
  let p = profiles.get(key);
  if (p) return p;
  const stemmer = STEMMERS[base];
  const listName = STOPWORD_LISTS[base];
  const list = listName ? ((stopwordLists as unknown as Record<string, readonly string[]>)[listName] ?? []) : [];
  const segmenter = new Intl.Segmenter(safeLocale(language), { granularity: 'word' });
  const fold = (text: string) => foldFor(base, text);
  const stop = new Set(options.stopWords === false ? [] : [...list, ...(QUESTION_FRAMES[base] ?? [])].map(fold));
  const split = (text: string) => segment(segmenter, fold(text));
  p = {
    language: base,
    segmenter,
    stop,
    stem: stemmer ? (w) => fold(stemmer(w)) : (w) => w,
    phrases: Object.entries(PHRASES[base] ?? {})
      .map(([from, to]) => ({ from: split(from), to: fold(to) }))
      .sort((a, b) => b.from.length - a.from.length),
    synonyms: new Map(),
    chars: base === 'zh' || base === 'ja',
    syllablePairs: base === 'vi',
  };
  profiles.set(key, p);
  (p as { synonyms: ReadonlyMap<string, readonly string[]> }).synonyms = synonymIndex(SYNONYMS[base] ?? [], (w) => stemWord(p as Profile, w));
  return p;
}

function safeLocale(language: string): string {
  try {
    return Intl.getCanonicalLocales(language)[0] ?? 'und';
  } catch {
    return 'und';
  }
}

function segment(segmenter: Intl.Segmenter, text: string): string[] {
  // Plain ASCII splits the same in every language, and without the segmenter's cost.
  if (ASCII.test(text)) return asciiSafeWords(text);
  const out: string[] = [];
  for (const { segment: s, isWordLike } of segmenter.segment(text)) {
    if (!isWordLike) continue;
    const word = s.includes("'") ? stripApostrophes(s) : s;
    if (word) out.push(word);
  }
  return out;
}

function stemWord(p: Profile, word: string): string {
  return /\p{L}/u.test(word) && !CJK_CHAR.test(word) ? p.stem(word) : word;
}

/** Synonym lookup by stemmed term. */
function synonymIndex(groups: readonly (readonly string[])[], stem: (w: string) => string): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const group of groups) {
    const stems = [...new Set(group.map(stem))];
    for (const s of stems) index.set(s, [...(index.get(s) ?? []), ...stems.filter((o) => o !== s)]);
  }
  return index;
}

/** A word of the text with its phrase rewrite applied. */
interface Word {
  text: string;
  /** Not a stop word, not a lone Latin letter. */
  content: boolean;
}

function wordsOf(p: Profile, text: string): Word[] {
  const raw = segment(p.segmenter, foldFor(p.language, text));
  const out: Word[] = [];
  for (let i = 0; i < raw.length; i += 1) {
    const hit = p.phrases.find(({ from }) => from.length > 0 && from.every((w, k) => raw[i + k] === w));
    const word = hit ? hit.to : (raw[i] as string);
    if (hit) i += hit.from.length - 1;
    out.push({ text: word, content: !p.stop.has(word) && !(word.length === 1 && /\p{Script=Latin}/u.test(word)) });
  }
  return out;
}

/**
 * The terms a section is indexed under (and a question searched with, without alternatives).
 *
 * @example
 * ```ts
 * terms('How long does shipping to Germany take?', 'en'); // ['ship', 'germani']
 * terms('退货运费谁出', 'zh-CN');                          // ['退', '货运', '费', '退货', '货运', '运费']
 * ```
 */
export function terms(text: string, language: string, options: AnalysisOptions = {}): string[] {
  return analyzeWith(profile(language, options), text).terms.map((t) => t.term);
}

/**
 * A question analysed for search: its units and its terms, with alternatives (synonyms; the
 * longest known term a word starts with, when `known` says which terms exist).
 */
export function analyze(text: string, language: string, known?: (term: string) => boolean, options: AnalysisOptions = {}): Analysis {
  const p = profile(language, options);
  const analysis = analyzeWith(p, text);
  const extra: QueryTerm[] = [];
  const seen = new Set(analysis.terms.map((t) => t.term));
  const add = (term: string, kind: TermKind, covers: readonly number[]) => {
    if (seen.has(term)) return;
    seen.add(term);
    extra.push({ term, kind, covers });
  };
  for (const t of analysis.terms) {
    for (const s of p.synonyms.get(t.term) ?? []) add(s, 'synonym', t.covers);
    const shorter = known && truncation(t.term, known);
    if (shorter) add(shorter, 'truncated', t.covers);
  }
  // A city or country stands for its country, as the shop's articles in this language name it.
  const isWord = (word: string) => p.stop.has(word) || Boolean(known?.(stemWord(p, word)));
  for (const place of placesIn(
    analysis.words.map((w) => w.text),
    p.language,
    isWord,
  )) {
    const covers = analysis.wordUnits.slice(place.from, place.to).flat();
    if (!covers.length) continue;
    for (const name of namesOf(place.country, language)) for (const t of analyzeWith(p, name).terms) add(t.term, 'synonym', covers);
  }
  return { units: analysis.units, terms: [...analysis.terms, ...extra] };
}

/**
 * Words longer than this are not shortened to a known term: no compound is that long, and the
 * cost grows with the square of the length (a pasted 40,000-character "word" took seconds).
 */
const MAX_TRUNCATED_WORD = 64;

/** The longest known term that a longer word starts with (at least 4 letters, 2 Hangul syllables, half the word). */
function truncation(term: string, known: (term: string) => boolean): string | undefined {
  if (term.length > MAX_TRUNCATED_WORD || CJK_CHAR.test(term) || known(term)) return undefined;
  const chars = [...term];
  const min = HANGUL.test(term) ? 2 : Math.max(4, Math.ceil(chars.length / 2));
  for (let n = chars.length - 1; n >= min; n -= 1) {
    const prefix = chars.slice(0, n).join('');
    if (known(prefix)) return prefix;
  }
  return undefined;
}

/** An analysis, with the units each word of the text produced (for alternatives of whole words). */
interface Analysed extends Analysis {
  words: readonly Word[];
  wordUnits: readonly (readonly number[])[];
}

function analyzeWith(p: Profile, text: string): Analysed {
  const units: string[] = [];
  const out: QueryTerm[] = [];
  const words = wordsOf(p, text);
  const wordUnits: number[][] = words.map(() => []);
  let run: { word: Word; index: number }[] = [];
  let previous: { term: string; unit: number } | undefined;
  const flushRun = () => {
    if (run.length) addCjkRun(run, units, out, wordUnits);
    run = [];
  };
  words.forEach((word, index) => {
    if (p.chars && CJK_CHAR.test(word.text)) {
      if (word.content) run.push({ word, index });
      else flushRun();
      previous = undefined;
      return;
    }
    flushRun();
    const term = word.content ? stemWord(p, word.text) : undefined;
    if (!term || p.stop.has(term)) {
      previous = undefined;
      return;
    }
    // A number ("€30 basket", "order 12") is searched, but is no topic: no unit of its own.
    if (NUMBER.test(term)) {
      out.push({ term, kind: 'own', covers: [] });
      previous = undefined;
      return;
    }
    const unit = units.push(term) - 1;
    wordUnits[index]?.push(unit);
    out.push({ term, kind: 'own', covers: [unit] });
    if (p.syllablePairs && previous) out.push({ term: `${previous.term}_${term}`, kind: 'own', covers: [previous.unit, unit] });
    previous = { term, unit };
  });
  flushRun();
  return { units, terms: dedupe(out), words, wordUnits };
}

/**
 * A run of Chinese or Japanese content words: its characters are units; each word and every
 * two adjacent characters of the run are terms, so ICU's "退|货运|费" still yields 退货 and 运费.
 */
function addCjkRun(run: readonly { word: Word; index: number }[], units: string[], out: QueryTerm[], wordUnits: number[][]): void {
  const first = units.length;
  for (const { word, index } of run) {
    const at = units.length;
    const wordChars = [...word.text];
    units.push(...wordChars);
    const covers = wordChars.map((_, i) => at + i);
    wordUnits[index]?.push(...covers);
    out.push({ term: word.text, kind: 'own', covers });
  }
  for (let u = first; u + 1 < units.length; u += 1) out.push({ term: `${units[u]}${units[u + 1]}`, kind: 'own', covers: [u, u + 1] });
}

function dedupe(terms: QueryTerm[]): QueryTerm[] {
  const byTerm = new Map<string, QueryTerm>();
  for (const t of terms) {
    const had = byTerm.get(t.term);
    byTerm.set(t.term, had ? { ...had, covers: [...new Set([...had.covers, ...t.covers])] } : t);
  }
  return [...byTerm.values()];
}

/** Whether a term is written in Chinese or Japanese characters (prefix from one character, no typos). */
export function isCjkTerm(term: string): boolean {
  return CJK_CHAR.test(term);
}
