import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import MiniSearch from 'minisearch';
import SearchableMap from 'minisearch/SearchableMap';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, isCjkTerm, terms } from './analyze.js';
import { type Candidate, TermIndex, type TermQuery } from './bm25.js';
import { KnowledgeBase } from './index.js';
import { TreeTerms } from './tree-terms.js';

const root = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));
const FIELDS = ['title', 'questions', 'body', 'context'];
const BOOSTS = [2, 1.5, 1, 0.5];

/** Questions of the retrieval benchmarks (in-scope, held out, off-topic) in one language. */
function questions(language: string): string[] {
  return ['bench/kb/questions.tsv', 'test/fixtures/kb-holdout/questions.tsv', 'bench/kb/offtopic.tsv'].flatMap((file) =>
    readFileSync(root(file), 'utf8')
      .split('\n')
      .map((line) => line.split('\t'))
      .filter(([lang, , question]) => lang === language && question)
      .map(([, , question]) => question as string),
  );
}

/** A query as base.ts builds one: own words loose (prefix, typos), alternatives exact and boosted less. */
function queriesOf(question: string, language: string, known: (term: string) => boolean): TermQuery[] {
  return analyze(question, language, known).terms.map(({ term, kind }) => ({
    term,
    prefix: kind === 'own' && [...term].length >= (isCjkTerm(term) ? 2 : 3),
    fuzzy: kind === 'own' && term.length >= 5 && !isCjkTerm(term) ? 0.2 : false,
    boost: kind === 'own' ? 1 : 0.6,
  }));
}

/** MiniSearch's own results, reduced to what a {@link Candidate} says. */
function miniSearch(search: MiniSearch, queries: readonly TermQuery[]): Candidate[] {
  const spec = new Map(queries.map((q) => [q.term, q]));
  return search
    .search(queries.map((q) => q.term).join(' '), {
      tokenize: (text) => text.split(' '),
      processTerm: (term) => term,
      boost: Object.fromEntries(FIELDS.map((f, i) => [f, BOOSTS[i] as number])),
      prefix: (term) => spec.get(term)?.prefix ?? false,
      fuzzy: (term) => spec.get(term)?.fuzzy ?? false,
      boostTerm: (term) => spec.get(term)?.boost ?? 1,
      combineWith: 'OR',
    })
    .map((r) => ({
      doc: Number(r.id),
      score: r.score,
      terms: r.terms,
      lastFieldOnly: r.terms.map((t) => r.match[t]?.every((field) => field === 'context') ?? false),
      queryTerms: r.queryTerms,
    }));
}

describe('TermIndex', () => {
  let kb: KnowledgeBase;
  beforeAll(async () => {
    kb = await KnowledgeBase.load(root('config/knowledge'), { workingLanguage: 'en' });
  });

  it.each(['en', 'de', 'zh-CN', 'ja', 'ar', 'es', 'fr', 'pt-BR'])('ranks and scores every benchmark question in %s exactly as MiniSearch does', (language) => {
    const sections = kb.sections.filter((s) => s.language === language);
    const fields = sections.map((s) => [s.title, s.questions.join('\n'), s.body, s.context ?? ''].map((text) => terms(text, language)));
    const index = new TermIndex(fields, BOOSTS);
    const search = new MiniSearch<{ key: number }>({
      idField: 'key',
      fields: FIELDS,
      tokenize: (key, field) => fields[Number(key)]?.[FIELDS.indexOf(field ?? '')] ?? [],
      processTerm: (term) => term,
      extractField: (doc) => String(doc.key),
    });
    search.addAll(sections.map((_, key) => ({ key })));
    const asked = [...questions(language), 'return within 30 days', 'versandkosten 2024 nach 30 tagen'];
    expect(asked.length).toBeGreaterThan(50);
    for (const question of asked) {
      const queries = queriesOf(question, language, (t) => index.has(t));
      expect(index.search(queries), question).toEqual(miniSearch(search, queries));
    }
  });

  it('orders a section matched by a number as Object.keys would ("30" before "day")', () => {
    const index = new TermIndex([[['day', '30', '7']]], [1]);
    const [found] = index.search(['day', '30', '7'].map((term) => ({ term, prefix: false, fuzzy: false, boost: 1 })));
    expect(found?.terms).toEqual(['7', '30', 'day']);
    expect(found?.queryTerms).toEqual(['day', '30', '7']);
  });
});

describe('TreeTerms', () => {
  it("finds what SearchableMap's atPrefix and fuzzyGet find, in their order", () => {
    const words = terms(readFileSync(root('config/knowledge/en/shipping.md'), 'utf8'), 'en').concat([
      'ship',
      'shipment',
      'shipping',
      'shop',
      'sh',
      '30',
      '300',
      'germani',
    ]);
    const map = new SearchableMap<number>();
    words.forEach((w, i) => map.fetch(w, () => i));
    const tree = new TreeTerms(map);
    for (const query of [...new Set(words.flatMap((w) => [w.slice(0, 2), w.slice(0, 3), w, `${w}s`, w.slice(1), `x${w.slice(2)}`]))]) {
      const prefixed: [string, number][] = [];
      tree.forEachPrefixed(query, (term, value) => prefixed.push([term, value]));
      expect(prefixed, query).toEqual([...map.atPrefix(query)]);
      for (const distance of [1, 2, 3]) {
        const within: [string, [number, number]][] = [];
        tree.forEachWithin(query, distance, (term, value, d) => within.push([term, [value, d]]));
        expect(within, `${query} ${distance}`).toEqual([...map.fuzzyGet(query, distance)]);
      }
    }
  });
});
