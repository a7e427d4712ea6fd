/**
 * The shop's knowledge base: Markdown files split into `##` sections and searched offline
 * with MiniSearch (BM25, prefix and fuzzy matching) over terms from {@link ./text.ts}.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import MiniSearch, { type SearchResult } from 'minisearch';
import { fold, isCjk, synonymsOf, terms } from './text.js';

/** One `##` section of a knowledge-base file: the unit that answers a question. */
export interface KnowledgeSection {
  /** Stable id: `<file without .md>#<slug of the title>`, e.g. `shipping#shipping-to-germany`. */
  id: string;
  /** The `##` heading, shown to the shopper as the source. */
  title: string;
  /** The section's Markdown, without its heading. */
  body: string;
  /** Path relative to the knowledge-base folder, with `/` separators. */
  file: string;
  /** The file's `#` heading: searched (lightly) but never shown. */
  context?: string;
}

/** A section found for a query. */
export interface Retrieval {
  section: KnowledgeSection;
  /** MiniSearch's BM25 score: only comparable within one query. */
  score: number;
  /** 0..1, comparable across queries; see {@link KnowledgeBase.search}. */
  confidence: number;
}

/** A query term with the synonyms it was expanded to. */
interface TermGroup {
  term: string;
  alternatives: readonly string[];
}

/** How much a query term counts towards coverage, by how the section matched it. */
const MATCH_WEIGHT = { exact: 1, synonym: 0.9, prefix: 0.8, fuzzy: 0.6 } as const;
/** Synonym expansions score lower than the shopper's own words in BM25. */
const SYNONYM_BOOST = 0.6;

/** Splits one Markdown file into sections; text before the first `##` is a section of its own. */
export function parseMarkdown(markdown: string, file: string): KnowledgeSection[] {
  const sections: KnowledgeSection[] = [];
  let context: string | undefined;
  let title: string | undefined;
  let lines: string[] = [];
  let fenced = false;
  const flush = (): void => {
    const body = lines.join('\n').trim();
    const heading = title ?? context;
    if (body && heading) sections.push(makeSection(file, heading, body, context));
    lines = [];
  };
  for (const line of markdown.split(/\r?\n/)) {
    if (line.startsWith('```')) fenced = !fenced;
    const h1 = !fenced && /^#\s+(.+?)\s*#*\s*$/.exec(line);
    const h2 = !fenced && /^##\s+(.+?)\s*#*\s*$/.exec(line);
    if (h1 && context === undefined && title === undefined) context = h1[1];
    else if (h2) {
      flush();
      title = h2[1];
    } else lines.push(line);
  }
  flush();
  return uniqueIds(sections);
}

function makeSection(file: string, title: string, body: string, context?: string): KnowledgeSection {
  const slug = fold(title)
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-|-$/g, '');
  const id = `${file.replace(/\.md$/i, '')}#${slug}`;
  return context === undefined || context === title ? { id, title, body, file } : { id, title, body, file, context };
}

/** Two sections with the same title in one file keep distinct ids (`#faq`, `#faq-2`). */
function uniqueIds(sections: KnowledgeSection[]): KnowledgeSection[] {
  const seen = new Map<string, number>();
  return sections.map((section) => {
    const n = (seen.get(section.id) ?? 0) + 1;
    seen.set(section.id, n);
    return n === 1 ? section : { ...section, id: `${section.id}-${n}` };
  });
}

/** The `.md` files under a folder, recursively, in a stable order. */
async function markdownFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.toLowerCase().endsWith('.md'))
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
    .sort();
}

/** Link targets are URLs, not words a shopper would type: index the label only. */
function searchableText(markdown: string): string {
  return markdown.replace(/\]\([^)]*\)/g, ']');
}

/** For the coverage part of confidence: how well one section matched one query term. */
function matchWeight(group: TermGroup, result: SearchResult): number {
  const docTerms = result.terms;
  if (docTerms.includes(group.term)) return MATCH_WEIGHT.exact;
  if (group.alternatives.some((t) => docTerms.includes(t))) return MATCH_WEIGHT.synonym;
  if (docTerms.some((d) => d.startsWith(group.term))) return MATCH_WEIGHT.prefix;
  return result.queryTerms.includes(group.term) ? MATCH_WEIGHT.fuzzy : 0;
}

/**
 * confidence = coverage × (0.7 + 0.3 × separation), where separation is how far the section
 * stands above the best other section: (score − runnerUp) / score for the top result, 0 for
 * the rest. Coverage dominates because an unrelated question ("capital of Peru") matches few
 * of its own terms anywhere; separation only discounts ties between near-identical sections.
 */
function confidenceOf(coverageValue: number, score: number, runnerUp: number): number {
  const separation = score > 0 ? Math.max(0, (score - runnerUp) / score) : 0;
  return Math.round(coverageValue * (0.7 + 0.3 * separation) * 1000) / 1000;
}

/**
 * An in-memory, offline knowledge base over the shop's Markdown files.
 *
 * @example
 * ```ts
 * const kb = await KnowledgeBase.load('config/knowledge');
 * const [best] = kb.search('How long does shipping to Germany take?');
 * best?.section.title; // 'Shipping to Germany'
 * best?.confidence;    // ~0.86; below 0.55 (DEFAULT_MIN_CONFIDENCE) it is probably not covered
 * ```
 */
export class KnowledgeBase {
  readonly #sections: ReadonlyMap<string, KnowledgeSection>;
  readonly #index: MiniSearch<KnowledgeSection>;

  private constructor(sections: readonly KnowledgeSection[]) {
    this.#sections = new Map(sections.map((s) => [s.id, s]));
    this.#index = new MiniSearch<KnowledgeSection>({
      fields: ['title', 'context', 'body'],
      tokenize: (text) => terms(text),
      processTerm: (term) => term,
      extractField: (doc, field) => searchableText(String(doc[field as keyof KnowledgeSection] ?? '')),
    });
    this.#index.addAll([...this.#sections.values()]);
  }

  /**
   * Reads every `*.md` file under `dir` (recursively) and splits it on `##` headings. A
   * file's `#` heading becomes the sections' `context`; text before the first `##` becomes a
   * section titled with the `#` heading.
   */
  static async load(dir: string): Promise<KnowledgeBase> {
    const sections: KnowledgeSection[] = [];
    for (const path of await markdownFiles(dir)) {
      const file = relative(dir, path).split(sep).join('/');
      sections.push(...parseMarkdown(await readFile(path, 'utf8'), file));
    }
    return new KnowledgeBase(sections);
  }

  /** Builds a knowledge base from sections already in memory (tests, other sources). */
  static fromSections(sections: readonly KnowledgeSection[]): KnowledgeBase {
    return new KnowledgeBase(uniqueIds([...sections]));
  }

  /** Number of sections. */
  get size(): number {
    return this.#sections.size;
  }

  /**
   * The sections that best answer `query`, best first. Matching is fuzzy (typos in words of
   * five letters or more), by prefix, boosted on titles, and expanded with synonyms.
   * `confidence` = coverage × (0.7 + 0.3 × separation): coverage is the share of the query's
   * content terms the section matched (exact 1, synonym 0.9, prefix 0.8, typo 0.6);
   * separation is the top section's score margin over the runner-up (0 for the others).
   */
  search(query: string, limit = 3): Retrieval[] {
    const groups = termGroups(query);
    if (groups.length === 0) return [];
    const raw = this.#index.search(queryString(groups), searchOptions(groups));
    const ranked = rescore(groups, raw);
    return ranked.slice(0, Math.max(1, limit)).map((hit, i) => {
      const runnerUp = i === 0 ? (ranked[1]?.score ?? 0) : (ranked[0]?.score ?? 0);
      const section = this.#sections.get(String(hit.result.id)) as KnowledgeSection;
      return { section, score: hit.score, confidence: confidenceOf(hit.coverage, hit.score, runnerUp) };
    });
  }
}

interface Hit {
  result: SearchResult;
  score: number;
  coverage: number;
}

/**
 * MiniSearch multiplies a score by the number of query terms matched, and synonyms are query
 * terms too: a section that happens to say "delivery", "dispatch" and "shipping" would beat
 * one that matches the country the shopper asked about. Rescoring by matched *groups* (the
 * shopper's own words) undoes that.
 */
function rescore(groups: readonly TermGroup[], results: readonly SearchResult[]): Hit[] {
  return results
    .map((result) => {
      const weights = groups.map((group) => matchWeight(group, result));
      const matched = weights.filter((w) => w > 0).length;
      const score = (result.score / Math.max(1, result.queryTerms.length)) * matched;
      return { result, score, coverage: weights.reduce((a, b) => a + b, 0) / groups.length };
    })
    .sort((a, b) => b.score - a.score);
}

/** The query's distinct content terms, each with its synonyms. */
function termGroups(query: string): TermGroup[] {
  return [...new Set(terms(query))].map((term) => ({ term, alternatives: synonymsOf(term) }));
}

/** The already-analysed terms, space-separated for the search-time tokenizer below. */
function queryString(groups: readonly TermGroup[]): string {
  return [...new Set(groups.flatMap((g) => [g.term, ...g.alternatives]))].join(' ');
}

function searchOptions(groups: readonly TermGroup[]) {
  const own = new Set(groups.map((g) => g.term));
  return {
    // Terms were analysed by termGroups: split only, never re-stem or re-expand.
    tokenize: (text: string) => text.split(' '),
    processTerm: (term: string) => term,
    boost: { title: 2, context: 0.5, body: 1 },
    // Only the shopper's own words match loosely: a prefix or a typo of a synonym is a
    // guess built on a guess ("based" -> "bas" -> "basket").
    prefix: (term: string) => own.has(term) && (term.length >= 3 || isCjk(term)),
    fuzzy: (term: string) => (own.has(term) && term.length >= 5 && !isCjk(term) ? 0.2 : false),
    boostTerm: (term: string) => (own.has(term) ? 1 : SYNONYM_BOOST),
    combineWith: 'OR' as const,
  };
}
