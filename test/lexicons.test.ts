/**
 * The three message recognisers on the multilingual set in `test/fixtures/lexicons/`: every one
 * of the shop's 15 languages, written as shoppers type in chat. Figures per language are in the
 * set's README (`node --import tsx bench/lexicons.ts`).
 */
import { describe, expect, it } from 'vitest';
import { measureLexicons, readLexiconSet, SHOP_LANGUAGES, type Recall } from './support/lexicons.js';

const rows = readLexiconSet();
const figures = measureLexicons(rows);

const recall = (r: Recall): number => r.hits / r.n;
const missed = (r: Recall): string => `missed: ${r.misses.join(' | ')}`;

describe('the lexicon set', () => {
  it('has every shop language, with enough messages of each kind', () => {
    expect(figures.map((f) => f.language).sort()).toEqual([...SHOP_LANGUAGES].sort());
    for (const f of figures) {
      expect(f.upset.n, `${f.language} upset`).toBeGreaterThanOrEqual(12);
      expect(f.person.n, `${f.language} person`).toBeGreaterThanOrEqual(10);
      expect(f.lang.n, `${f.language} language requests`).toBeGreaterThanOrEqual(6);
      expect(f.neutral, `${f.language} neutral`).toBeGreaterThanOrEqual(20);
    }
  });

  it('asks for every language in that language, in English and in at least two others', () => {
    for (const tag of SHOP_LANGUAGES) {
      const askers = new Set(rows.filter((r) => r.kind === `lang:${tag}`).map((r) => r.language));
      expect(askers.has(tag), `${tag} asked for in ${tag}`).toBe(true);
      expect(askers.has('en'), `${tag} asked for in English`).toBe(true);
      expect([...askers].filter((a) => a !== tag && a !== 'en').length, `${tag} asked for in other languages`).toBeGreaterThanOrEqual(2);
    }
  });
});

describe.each(figures)('$language', (f) => {
  it('hands upset shoppers to a person (recall ≥ 0.9)', () => {
    expect(recall(f.upset), missed(f.upset)).toBeGreaterThanOrEqual(0.9);
  });

  it('recognises requests for a person (recall ≥ 0.9)', () => {
    expect(recall(f.person), missed(f.person)).toBeGreaterThanOrEqual(0.9);
  });

  it('switches to every language asked for, as a command', () => {
    expect(f.lang.misses).toEqual([]);
  });

  it('leaves ordinary shop messages alone (at most one false positive per recogniser)', () => {
    const fp = f.falsePositives;
    expect(fp.upset.length, `upset: ${fp.upset.join(' | ')}`).toBeLessThanOrEqual(1);
    expect(fp.person.length, `person: ${fp.person.join(' | ')}`).toBeLessThanOrEqual(1);
    expect(fp.lang.length, `language: ${fp.lang.join(' | ')}`).toBeLessThanOrEqual(1);
  });
});
