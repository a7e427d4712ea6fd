/**
 * MiniSearch's BM25 "OR" search over one language's sections, computed as MiniSearch 7
 * computes it (`executeQuerySpec`, `termResults`, the OR combinator, `search`): the same
 * radix tree (`minisearch/SearchableMap`, filled in the same order, so prefix and fuzzy
 * expansions come in the same order), the same scores to the last bit, the same result order.
 * What it leaves out is MiniSearch's cost per query, most of a turn's retrieval: option objects
 * spread for every term and field, a Map and a `match` object per term and result, scores a
 * build could compute. bm25.test.ts checks the results against MiniSearch's own.
 */
import SearchableMap from 'minisearch/SearchableMap';
import { TreeTerms } from './tree-terms.js';

/** MiniSearch's defaults: BM25+ parameters, prefix and fuzzy match weights, largest edit distance. */
const BM25 = { k: 1.2, b: 0.7, d: 0.5 } as const;
const PREFIX_WEIGHT = 0.375;
const FUZZY_WEIGHT = 0.45;
const MAX_FUZZY = 6;

/** One field's postings of a term: sections (ascending) and their BM25 score, computed at build. */
interface Postings {
  docs: number[];
  bm25: number[];
}
/** A term's postings, by field. */
type TermData = (Postings | undefined)[];

/** How one query term is searched (MiniSearch's query spec). */
export interface TermQuery {
  term: string;
  prefix: boolean;
  /** Largest edit distance as a share of the term's length, or no fuzzy match. */
  fuzzy: number | false;
  boost: number;
}

/** A section found: what base.ts reads of MiniSearch's `SearchResult`. */
export interface Candidate {
  /** The section's position in the list the index was built from. */
  doc: number;
  /** MiniSearch's score: BM25 summed over matches, times the number of query terms matched. */
  score: number;
  /** The section's terms that matched, in the order of `Object.keys(result.match)`. */
  terms: string[];
  /** By `terms`: matched only in the last field (MiniSearch keeps the fields of the last query term that matched it). */
  lastFieldOnly: boolean[];
  /** The query terms that matched, in query order. */
  queryTerms: string[];
}

/** What one query term found in one section, while the term is searched. */
interface Pending {
  score: number;
  /** The section's terms matched by this query term, and whether only in the last field. */
  terms: string[];
  lastFieldOnly: boolean[];
}

/**
 * A term index over documents given as their fields' terms, with the fields' boosts.
 *
 * @example
 * ```ts
 * const index = new TermIndex([[['ship', 'germani'], ['ship']]], [2, 1]);
 * index.search([{ term: 'germani', prefix: true, fuzzy: 0.2, boost: 1 }])[0]?.doc; // 0
 * ```
 */
export class TermIndex {
  /** Terms in a hash map: exact lookups are most of a query's, and cheaper here than down a tree. */
  readonly #terms: ReadonlyMap<string, TermData>;
  /** And in the orders of MiniSearch's radix tree, for prefix and fuzzy lookups. */
  readonly #tree: TreeTerms<TermData>;
  readonly #boosts: readonly number[];

  constructor(docs: readonly (readonly (readonly string[])[])[], boosts: readonly number[]) {
    this.#boosts = boosts;
    // MiniSearch's index, filled as `add` fills it: its shape decides the order of expansions.
    const map = new SearchableMap<TermData>();
    const lengths: number[][] = [];
    const average: number[] = [];
    const freqs = new Map<Postings, { field: number; tf: number[] }>();
    docs.forEach((fields, doc) => {
      lengths.push(boosts.map((_, f) => new Set(fields[f]).size));
      // MiniSearch's running mean, operation for operation (`addFieldLength`).
      boosts.forEach((_, f) => (average[f] = ((average[f] || 0) * doc + (lengths[doc]?.[f] ?? 0)) / (doc + 1)));
      boosts.forEach((_, f) => {
        for (const term of fields[f] ?? []) if (term) countTerm(map.fetch(term, emptyTermData), f, doc, freqs);
      });
    });
    for (const [postings, { field, tf }] of freqs) {
      postings.bm25 = postings.docs.map((doc, i) => bm25(tf[i] ?? 0, postings.docs.length, docs.length, lengths[doc]?.[field] ?? 0, average[field] ?? 0));
    }
    this.#tree = new TreeTerms(map);
    this.#terms = new Map(map);
  }

  /** Whether any document has the term. */
  has(term: string): boolean {
    return this.#terms.has(term);
  }

  /** The documents matching any query term, best first, as MiniSearch's `search(…, { combineWith: 'OR' })` ranks them. */
  search(queries: readonly TermQuery[]): Candidate[] {
    const found = new Map<number, Candidate>();
    for (const query of queries) if (query.term) this.#merge(found, query.term, this.#searchTerm(query));
    const out = [...found.values()];
    for (const c of out) {
      c.score *= c.queryTerms.length || 1;
      if (c.terms.some(isArrayIndex)) sortAsObjectKeys(c);
    }
    return out.sort((a, b) => b.score - a.score);
  }

  /** One term's matches: exact, then by prefix, then fuzzy (`executeQuerySpec`). */
  #searchTerm(query: TermQuery): Map<number, Pending> {
    const { term, boost } = query;
    const pending = new Map<number, Pending>();
    this.#add(pending, term, 1, boost, this.#terms.get(term));
    if (query.prefix) {
      this.#tree.forEachPrefixed(term, (found, data) => {
        const distance = found.length - term.length;
        if (distance) this.#add(pending, found, (PREFIX_WEIGHT * found.length) / (found.length + 0.3 * distance), boost, data);
      });
    }
    const maxDistance = query.fuzzy === false ? 0 : Math.min(MAX_FUZZY, Math.round(term.length * query.fuzzy));
    if (maxDistance) {
      this.#tree.forEachWithin(term, maxDistance, (found, data, distance) => {
        // The exact term, and terms found by prefix, count once, as such (MiniSearch drops them from the fuzzy matches).
        if (distance && !(query.prefix && found.startsWith(term)))
          this.#add(pending, found, (FUZZY_WEIGHT * found.length) / (found.length + distance), boost, data);
      });
    }
    return pending;
  }

  /** A matched term's postings added to the term's results (`termResults`). */
  #add(pending: Map<number, Pending>, found: string, weight: number, boost: number, data: TermData | undefined): void {
    if (!data) return;
    const last = this.#boosts.length - 1;
    for (let f = 0; f <= last; f += 1) {
      const postings = data[f];
      if (!postings) continue;
      const w = weight * boost * (this.#boosts[f] ?? 1);
      for (let i = 0; i < postings.docs.length; i += 1) {
        const doc = postings.docs[i] as number;
        const score = w * (postings.bm25[i] as number);
        const p = pending.get(doc);
        if (!p) pending.set(doc, { score, terms: [found], lastFieldOnly: [f === last] });
        else {
          p.score += score;
          // A term's fields come one after the other: the term seen last is this one, or it is new.
          if (p.terms[p.terms.length - 1] === found) {
            p.lastFieldOnly[p.terms.length - 1] = false;
          } else {
            p.terms.push(found);
            p.lastFieldOnly.push(f === last);
          }
        }
      }
    }
  }

  /** One term's results combined into the query's (MiniSearch's OR combinator). */
  #merge(found: Map<number, Candidate>, queryTerm: string, pending: Map<number, Pending>): void {
    for (const [doc, p] of pending) {
      const had = found.get(doc);
      if (!had) {
        found.set(doc, { doc, score: p.score, terms: p.terms, lastFieldOnly: p.lastFieldOnly, queryTerms: [queryTerm] });
        continue;
      }
      had.score = had.score + p.score;
      if (!had.queryTerms.includes(queryTerm)) had.queryTerms.push(queryTerm);
      // Object.assign: a term already there keeps its place and takes the new fields.
      p.terms.forEach((t, i) => {
        const at = had.terms.indexOf(t);
        if (at >= 0) {
          had.lastFieldOnly[at] = p.lastFieldOnly[i] as boolean;
        } else {
          had.terms.push(t);
          had.lastFieldOnly.push(p.lastFieldOnly[i] as boolean);
        }
      });
    }
  }
}

const emptyTermData = (): TermData => [];

function countTerm(data: TermData, f: number, doc: number, freqs: Map<Postings, { field: number; tf: number[] }>): void {
  let postings = data[f];
  if (!postings) freqs.set((postings = data[f] = { docs: [], bm25: [] }), { field: f, tf: [] });
  const { tf } = freqs.get(postings) as { tf: number[] };
  if (postings.docs[postings.docs.length - 1] === doc) {
    tf[tf.length - 1] = (tf[tf.length - 1] ?? 0) + 1;
  } else {
    postings.docs.push(doc);
    tf.push(1);
  }
}

/** MiniSearch's `calcBM25Score`, written the same way so that it rounds the same way. */
function bm25(termFreq: number, matchingCount: number, totalCount: number, fieldLength: number, avgFieldLength: number): number {
  const { k, b, d } = BM25;
  const invDocFreq = Math.log(1 + (totalCount - matchingCount + 0.5) / (matchingCount + 0.5));
  return invDocFreq * (d + (termFreq * (k + 1)) / (termFreq + k * (1 - b + (b * fieldLength) / avgFieldLength)));
}

/** A key JavaScript orders before the others in an object ("30", "2024"). */
function isArrayIndex(key: string): boolean {
  return /^(?:0|[1-9]\d*)$/.test(key) && Number(key) < 2 ** 32 - 1;
}

/** Terms in `Object.keys` order: array indexes first, ascending, then the rest as inserted. */
function sortAsObjectKeys(c: Candidate): void {
  const order = c.terms
    .map((t, i) => i)
    .sort((a, b) => {
      const [x, y] = [c.terms[a] as string, c.terms[b] as string];
      const [ix, iy] = [isArrayIndex(x), isArrayIndex(y)];
      if (ix && iy) return Number(x) - Number(y);
      return ix === iy ? a - b : ix ? -1 : 1;
    });
  [c.terms, c.lastFieldOnly] = [order.map((i) => c.terms[i] as string), order.map((i) => c.lastFieldOnly[i] as boolean)];
}
