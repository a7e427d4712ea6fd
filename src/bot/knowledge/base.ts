/**
 * The shop's knowledge base: Markdown files split into `##` sections, each section one
 * language's variant of an article, searched offline with MiniSearch (BM25, prefix and fuzzy
 * matching) over the language-aware terms of ./analyze.ts. Each language has its own index.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import MiniSearch, { type SearchOptions, type SearchResult } from 'minisearch';
import { analyze, type AnalysisOptions, isCjkTerm, terms } from './analyze.js';
import { confidenceOf, type Hit, Rescorer } from './rescore.js';
import { languageFolder, sameLanguage } from './languages.js';
import { type KnowledgeSection, parseMarkdown, uniqueIds } from './markdown.js';

/** A section found for a query. */
export interface Retrieval {
  section: KnowledgeSection;
  /** MiniSearch's BM25 score: only comparable within one query. */
  score: number;
  /** 0..1, comparable across queries; see {@link KnowledgeBase.search}. */
  confidence: number;
  /** How the confidence came about: the share of the question matched, and the evidence (tuning, reports). */
  explain?: { coverage: number; evidence: number };
}

/** Synonyms and truncations score lower than the shopper's own words in BM25. */
const ALTERNATIVE_BOOST = 0.6;
/** How much being worded like one of a section's example questions raises its rank. */
const NEAREST_QUESTION_BOOST = 1;
/** Searched fields and their boosts (a term only found in `context` counts less: ./rescore.ts). */
const FIELDS = ['title', 'questions', 'body', 'context'] as const;
const BOOST = { title: 2, questions: 1.5, body: 1, context: 0.5 };

/** Options of {@link KnowledgeBase.load}. */
export interface LoadOptions {
  /** The language of files outside a language folder (`shop.workingLanguage`). Default `en`. */
  workingLanguage?: string;
  /**
   * Drop stop words and question frames (default). Off for texts told apart by exactly those
   * words: the order intents ("where is my order" vs "cancel my order").
   */
  stopWords?: boolean;
}

/** A language's search structures, built from its sections on first use (see {@link LanguageIndex}). */
interface Built {
  search: MiniSearch<KnowledgeSection & { key: number }>;
  /** In how many sections each term occurs. */
  df: Map<string, number>;
  /** Inverse document frequency (BM25's) of each term of `df`. */
  idf: Map<string, number>;
  /** Each section's example questions, as their distinct terms. */
  questions: (readonly string[])[][];
}

/**
 * One language's sections and their index. The index is built on first search, not at load:
 * a knowledge base written in 15 languages costs ~25 MB of heap when every index is built (the
 * default sample), and a shop that serves fewer languages never searches the others. The
 * gateway builds the configured languages' indexes at start ({@link KnowledgeBase.prepare}),
 * so their first shopper does not wait for it.
 */
class LanguageIndex {
  readonly sections: KnowledgeSection[];
  #built: Built | undefined;

  constructor(
    readonly language: string,
    sections: readonly KnowledgeSection[],
    private readonly options: AnalysisOptions = {},
  ) {
    this.sections = [...sections];
  }

  /** Builds the index now if it is not built yet. */
  build(): Built {
    this.#built ??= buildIndex(this.language, this.sections, this.options);
    return this.#built;
  }

  /**
   * How close the question is to the section's nearest example question (Jaccard overlap of
   * their terms, 0..1): a shopper who words it the way an example does is asking that.
   */
  #nearestQuestion(section: number, query: ReadonlySet<string>): number {
    let best = 0;
    for (const q of this.build().questions[section] ?? []) {
      let shared = 0;
      for (const t of q) if (query.has(t)) shared += 1;
      best = Math.max(best, shared / (q.length + query.size - shared || 1));
    }
    return best;
  }

  /** Inverse document frequency (BM25's); a term no section's text uses counts as used once. */
  idf(term: string): number {
    return this.build().idf.get(term) ?? idfOf(this.sections.length, 1);
  }

  /** The IDF of a term only one section uses: evidence is counted in these. */
  #rarest(): number {
    return Math.log(1 + (this.sections.length - 0.5) / 1.5);
  }

  search(query: string, limit: number): Retrieval[] {
    const { df, search } = this.build();
    const analysis = analyze(query, this.language, (t) => df.has(t), this.options);
    if (analysis.units.length === 0) return [];
    const own = new Set(analysis.terms.filter((t) => t.kind === 'own').map((t) => t.term));
    const rescorer = new Rescorer(analysis, (t) => this.idf(t), this.#rarest());
    const results = search.search(analysis.terms.map((t) => t.term).join(' '), searchOptions(own));
    return this.#best(results, rescorer, own, Math.max(1, limit)).map((hit) => ({
      section: this.sections[Number(hit.result.id)] as KnowledgeSection,
      score: hit.ranked,
      confidence: confidenceOf(hit),
      explain: { coverage: hit.coverage, evidence: hit.evidence },
    }));
  }

  /**
   * The `limit` best of the sections found, ranked by their rescore raised by their nearest
   * example question, ties kept in the order of the rescore and then of BM25. Only sections that
   * can still make the list are rescored: the nearest question at most doubles a rescore, which
   * is at most {@link Rescorer.bound}, so candidates are taken by that bound, highest first,
   * until it falls below the `limit`th ranked score found.
   */
  #best(results: readonly SearchResult[], rescorer: Rescorer, own: OwnTerms, limit: number): Ranked[] {
    const most = 1 + NEAREST_QUESTION_BOOST;
    const bounds = results.map((r) => rescorer.bound(r) * most);
    const byBound = Array.from(results.keys()).sort((a, b) => (bounds[b] as number) - (bounds[a] as number));
    const kept: Ranked[] = [];
    const top: number[] = [];
    for (const order of byBound) {
      const least = top.length === limit ? (top[limit - 1] as number) : Number.NEGATIVE_INFINITY;
      if ((bounds[order] as number) < least) break;
      const { result, score, coverage, evidence } = rescorer.hit(results[order] as SearchResult);
      if (score * most < least) continue;
      const ranked = score * (1 + NEAREST_QUESTION_BOOST * this.#nearestQuestion(Number(result.id), own));
      kept.push({ result, score, coverage, evidence, ranked, order });
      keepTop(top, ranked, limit);
    }
    return kept.sort((a, b) => b.ranked - a.ranked || b.score - a.score || a.order - b.order).slice(0, limit);
  }
}

/** Adds `value` to the `limit` largest values so far, largest first. */
function keepTop(top: number[], value: number, limit: number): void {
  let at = top.length;
  while (at > 0 && (top[at - 1] as number) < value) at -= 1;
  if (at < limit) top.splice(at, 0, value);
  if (top.length > limit) top.pop();
}

function buildIndex(language: string, sections: readonly KnowledgeSection[], options: AnalysisOptions): Built {
  const tokenize = (text: string) => terms(text, language, options);
  const search = new MiniSearch<KnowledgeSection & { key: number }>({
    idField: 'key',
    fields: [...FIELDS],
    tokenize,
    processTerm: asIs,
    extractField: (doc, field) => (field === 'key' ? String(doc.key) : fieldText(doc, field)),
    // What every query shares, given once rather than spread from each query's options.
    searchOptions: SHARED_SEARCH_OPTIONS,
  });
  search.addAll(sections.map((s, key) => ({ ...s, key })));
  const df = new Map<string, number>();
  const questions: (readonly string[])[][] = [];
  for (const s of sections) {
    const seen = new Set(FIELDS.filter((f) => f !== 'context').flatMap((field) => tokenize(fieldText(s, field))));
    for (const t of seen) df.set(t, (df.get(t) ?? 0) + 1);
    questions.push(s.questions.map((q) => [...new Set(tokenize(q))]));
  }
  const idf = new Map([...df].map(([term, n]) => [term, idfOf(sections.length, n)]));
  return { search, df, idf, questions };
}

/** BM25's inverse document frequency of a term `df` of `n` sections use. */
function idfOf(n: number, df: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

/** A section rescored and ranked: `ranked` with its nearest question; `order`, its place in BM25's ranking. */
interface Ranked extends Hit {
  ranked: number;
  order: number;
}

function fieldText(doc: KnowledgeSection, field: string): string {
  switch (field) {
    case 'title':
      return doc.title;
    case 'questions':
      return doc.questions.join('\n');
    case 'body':
      // Link targets are URLs, not words a shopper would type: index the label only.
      return doc.body.replace(/\]\([^)]*\)/g, ']');
    default:
      return doc.context ?? '';
  }
}

const MAX_FUZZY_LENGTH = 40;

/** The shopper's own words (not alternatives the analysis added) of a query. */
type OwnTerms = ReadonlySet<string>;

// Module functions bound per query rather than closures: the TypeScript loader names every
// closure it creates, which showed in profiles of the search.
const splitTerms = (text: string) => text.split(' ');
const asIs = (term: string) => term;

/** The options every query shares: its terms were analysed already, split only, never re-analyse. */
const SHARED_SEARCH_OPTIONS: SearchOptions = { tokenize: splitTerms, processTerm: asIs, boost: BOOST, combineWith: 'OR' };

// Only the shopper's own words match loosely: a prefix or a typo of an alternative is a guess
// built on a guess ("based" -> "bas" -> "basket").
function prefixOf(own: OwnTerms, term: string): boolean {
  return own.has(term) && ([...term].length >= 3 || (isCjkTerm(term) && [...term].length >= 2));
}
// Typos in words of 5 to 40 letters: MiniSearch's fuzzy match allocates a matrix of the term's
// length squared (1.6 GB for a 40,000-character "word").
function fuzzyOf(own: OwnTerms, term: string): number | false {
  return own.has(term) && [...term].length >= 5 && term.length <= MAX_FUZZY_LENGTH && !isCjkTerm(term) ? 0.2 : false;
}
function boostOf(own: OwnTerms, term: string): number {
  return own.has(term) ? 1 : ALTERNATIVE_BOOST;
}

/** A query's own options: how each of its terms matches, by whether it is the shopper's own word. */
function searchOptions(own: OwnTerms): SearchOptions {
  return {
    prefix: prefixOf.bind(undefined, own),
    fuzzy: fuzzyOf.bind(undefined, own),
    boostTerm: boostOf.bind(undefined, own),
  };
}

/**
 * An in-memory, offline knowledge base over the shop's Markdown files, one index per language.
 *
 * Files directly under the folder (or in folders that are not language tags) are in the
 * working language; files under a language folder (`de/`, `zh-CN/`, `pt-BR/`) are in that
 * language. Sections with the same `{#id}` are one article in several languages.
 *
 * @example
 * ```ts
 * const kb = await KnowledgeBase.load('config/knowledge', { workingLanguage: 'en' });
 * const [best] = kb.search('Wie lange dauert der Versand nach Deutschland?', 'de');
 * best?.section.id;         // 'shipping-germany'
 * best?.section.language;   // 'de'
 * kb.variant('shipping-germany', 'es')?.title; // 'Envíos a Alemania'
 * ```
 */
export class KnowledgeBase {
  readonly #indexes: readonly LanguageIndex[];
  readonly #articles: ReadonlyMap<string, readonly KnowledgeSection[]>;
  readonly workingLanguage: string;

  private constructor(sections: readonly KnowledgeSection[], workingLanguage: string, options: AnalysisOptions = {}) {
    this.workingLanguage = workingLanguage;
    const byLanguage = new Map<string, KnowledgeSection[]>();
    const articles = new Map<string, KnowledgeSection[]>();
    for (const s of sections) {
      byLanguage.set(s.language, [...(byLanguage.get(s.language) ?? []), s]);
      articles.set(s.id, [...(articles.get(s.id) ?? []), s]);
    }
    this.#indexes = [...byLanguage].map(([language, list]) => new LanguageIndex(language, list, options));
    this.#articles = articles;
  }

  /**
   * Reads every `*.md` file under `dir` (recursively) and splits it on `##` headings. A
   * file's `#` heading becomes the sections' `context`; text before the first `##` becomes a
   * section titled with the `#` heading.
   */
  static async load(dir: string, options: LoadOptions = {}): Promise<KnowledgeBase> {
    const working = options.workingLanguage ?? 'en';
    const sections: KnowledgeSection[] = [];
    for (const path of await markdownFiles(dir)) {
      const file = relative(dir, path).split(sep).join('/');
      const folder = languageFolder(file);
      const idBase = folder ? file.slice(file.indexOf('/') + 1) : file;
      sections.push(...parseMarkdown(await readFile(path, 'utf8'), file, folder ?? working, idBase));
    }
    return new KnowledgeBase(uniqueIds(sections), working, options.stopWords === false ? { stopWords: false } : {});
  }

  /** Builds a knowledge base from sections already in memory (tests, other sources). */
  static fromSections(sections: readonly KnowledgeSection[], options: LoadOptions = {}): KnowledgeBase {
    return new KnowledgeBase(uniqueIds([...sections]), options.workingLanguage ?? 'en', options.stopWords === false ? { stopWords: false } : {});
  }

  /** Number of sections, every language's variants counted. */
  get size(): number {
    return this.#indexes.reduce((n, i) => n + i.sections.length, 0);
  }

  /** Article ids, each once. */
  get articles(): readonly string[] {
    return [...this.#articles.keys()];
  }

  /** The languages sections are written in. */
  get languages(): readonly string[] {
    return this.#indexes.map((i) => i.language);
  }

  /** Every section of every language. */
  get sections(): readonly KnowledgeSection[] {
    return this.#indexes.flatMap((i) => i.sections);
  }

  /** The index that serves `language`: its own, or one of the same language (pt for pt-BR). */
  #indexFor(language: string): LanguageIndex | undefined {
    return this.#indexes.find((i) => i.language.toLowerCase() === language.toLowerCase()) ?? this.#indexes.find((i) => sameLanguage(i.language, language));
  }

  /**
   * Builds now the indexes that will serve `languages` (the shop's), which are otherwise built
   * on their first search: a shopper's first question then does not wait for it.
   */
  prepare(languages: readonly string[]): this {
    for (const language of languages) this.#indexFor(language)?.build();
    return this;
  }

  /** Whether any section is written in `language` (or a tag that serves it, see {@link sameLanguage}). */
  serves(language: string): boolean {
    return this.#indexFor(language) !== undefined;
  }

  /** The article's variant for `language`, if it has one. */
  variant(id: string, language: string): KnowledgeSection | undefined {
    const variants = this.#articles.get(id) ?? [];
    return variants.find((s) => s.language.toLowerCase() === language.toLowerCase()) ?? variants.find((s) => sameLanguage(s.language, language));
  }

  /**
   * The sections of `language` that best answer `query`, best first; none when no section is
   * written in that language. Matching is fuzzy (typos in words of five letters or more), by
   * prefix, boosted on titles and example questions, and expanded with synonyms and shorter
   * known terms. `confidence` (0..1, comparable across questions) weighs how much of the
   * question the section matched and how telling those matches are: see {@link confidenceOf}.
   */
  search(query: string, language: string = this.workingLanguage, limit = 3): Retrieval[] {
    return this.#indexFor(language)?.search(query, limit) ?? [];
  }
}

/** The `.md` files under a folder, recursively, in a stable order. */
async function markdownFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.toLowerCase().endsWith('.md'))
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
    .sort();
}
