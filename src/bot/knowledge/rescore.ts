/**
 * How well a section found by BM25 answers the question: the share of the question it matched
 * (coverage), how telling those matches are (evidence), and the confidence made of the two.
 */
import type { SearchResult } from 'minisearch';
import type { Analysis, QueryTerm } from './analyze.js';
import { isCjkTerm } from './analyze.js';

/** How much a match counts towards coverage, by how the section matched the term. */
const MATCH_WEIGHT = { exact: 1, prefix: 0.8, fuzzy: 0.6 } as const;
/** And by where the term came from: the shopper's own word, a synonym, or a shorter known term. */
const KIND_WEIGHT = { own: 1, synonym: 0.9, truncated: 0.8 } as const;
/** A term found only in the file's `#` heading (the `context` field) counts this much. */
const CONTEXT_ONLY = 0.3;
/** A Chinese or Japanese character's share of a word's evidence (see {@link Rescorer}). */
const CJK_CHAR_WEIGHT = 0.35;
/** Evidence at which confidence is 0.4 × coverage + 0.6 × (1 − 1/e): see {@link confidenceOf}. */
const EVIDENCE_SCALE = 1.2;

/** A section found, rescored. */
export interface Hit {
  result: SearchResult;
  /** BM25 per query term matched, times the units of the question matched. */
  score: number;
  coverage: number;
  evidence: number;
}

/** How one section matched one query term: the match's weight and the section's term it matched. */
interface Match {
  weight: number;
  docTerm: string;
}

/** Whether one section matched one query term; if so, `out` says how well and with which of its terms. */
function matchOf(term: QueryTerm, result: SearchResult, out: Match): boolean {
  const docTerms = result.terms;
  const kind = KIND_WEIGHT[term.kind];
  if (docTerms.includes(term.term)) return set(out, MATCH_WEIGHT.exact * kind * where(result, term.term), term.term);
  const prefixed = docTerms.find((d) => d.startsWith(term.term));
  if (prefixed) return set(out, MATCH_WEIGHT.prefix * kind * where(result, prefixed), prefixed);
  if (!result.queryTerms.includes(term.term)) return false;
  // A typo: the section's term closest to it is the one it stands for.
  let closest = docTerms[0] ?? term.term;
  let nearest = distance(closest, term.term);
  for (const d of docTerms) {
    const far = distance(d, term.term);
    if (far < nearest) [closest, nearest] = [d, far];
  }
  return set(out, MATCH_WEIGHT.fuzzy * kind * where(result, closest), closest);
}

function set(out: Match, weight: number, docTerm: string): true {
  out.weight = weight;
  out.docTerm = docTerm;
  return true;
}

/**
 * A section's term found only in the file's heading ("Shipping and returns") says little about
 * this section. (`isContext` is a module function, not a closure per match: the TypeScript
 * loader names every closure it creates, which showed in profiles of this loop.)
 */
function where(result: SearchResult, docTerm: string): number {
  return result.match[docTerm]?.every(isContext) ? CONTEXT_ONLY : 1;
}

function isContext(field: string): boolean {
  return field === 'context';
}

/** Levenshtein distance (short terms only: fuzzy matching is for words under ~20 letters). */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const next = [i];
    for (let j = 1; j <= b.length; j += 1) next[j] = Math.min((row[j] ?? 0) + 1, (next[j - 1] ?? 0) + 1, (row[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length] ?? 0;
}

/**
 * Scores the sections found for one question by the share of the question's units they matched
 * (coverage) and by how telling those matches are (evidence): the sum, over matched units, of
 * the match's weight times the IDF of the section's term it matched, in units of "a term only
 * one section uses", so that it means the same in a knowledge base of 5 articles or of 500. A
 * Chinese or Japanese character is a unit of its own but carries about a third of what a word does.
 *
 * MiniSearch multiplies a score by the number of query terms matched, and alternatives and
 * character pairs are query terms too: a section that happens to say "delivery", "dispatch"
 * and "shipping" would beat one that matches the country the shopper asked about. Ranking
 * by units matched undoes that.
 */
export class Rescorer {
  readonly #cjk: boolean[];
  readonly #weights: Float64Array;
  readonly #evidence: Float64Array;
  readonly #match: Match = { weight: 0, docTerm: '' };

  constructor(
    private readonly analysis: Analysis,
    private readonly idf: (term: string) => number,
    private readonly rarest: number,
  ) {
    this.#cjk = analysis.units.map(isCjkTerm);
    this.#weights = new Float64Array(analysis.units.length);
    this.#evidence = new Float64Array(analysis.units.length);
  }

  /** At least the score of any {@link hit} of `result`. */
  bound(result: SearchResult): number {
    return (result.score / Math.max(1, result.queryTerms.length)) * this.analysis.units.length;
  }

  hit(result: SearchResult): Hit {
    const [weights, evidence, match] = [this.#weights.fill(0), this.#evidence.fill(0), this.#match];
    for (const term of this.analysis.terms) {
      if (!matchOf(term, result, match)) continue;
      const telling = (match.weight * this.idf(match.docTerm)) / this.rarest;
      for (const u of term.covers) {
        weights[u] = Math.max(weights[u] ?? 0, match.weight);
        evidence[u] = Math.max(evidence[u] ?? 0, this.#cjk[u] ? telling * CJK_CHAR_WEIGHT : telling);
      }
    }
    let [matched, coverage, total] = [0, 0, 0];
    for (let u = 0; u < weights.length; u += 1) {
      if ((weights[u] as number) > 0) matched += 1;
      coverage += weights[u] as number;
      total += evidence[u] as number;
    }
    return { result, score: (result.score / Math.max(1, result.queryTerms.length)) * matched, coverage: coverage / weights.length, evidence: total };
  }
}

/**
 * confidence = 0.4 × coverage + 0.6 × (1 − e^(−evidence / 1.2)). Evidence is what tells a shop
 * question from an unrelated one: "I love my dog" matches one common word, a real question one
 * or two rare ones. Coverage keeps short clear questions high. Tuned on bench/kb (in-scope and
 * off-topic questions in 8 languages) to answer as many shop questions as it can while one
 * unrelated message in five still gets an article rather than "could you rephrase?".
 */
export function confidenceOf(hit: Hit): number {
  return Math.round((0.4 * hit.coverage + 0.6 * (1 - Math.exp(-hit.evidence / EVIDENCE_SCALE))) * 1000) / 1000;
}
