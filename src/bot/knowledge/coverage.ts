import type { KnowledgeBase } from './base.js';

/** How the shop's answers reach shoppers in one of its languages. */
export interface LanguageCoverage {
  language: string;
  /** Articles with a variant written in this language. */
  articles: number;
  /** Articles in the knowledge base. */
  of: number;
  /** Articles without a variant in this language still reach the shopper through a translator or a model. */
  bridged: boolean;
}

/**
 * The shop languages and how well the knowledge base serves each: its own variants, and
 * whether a translation provider or a model covers the articles it lacks.
 *
 * @example
 * ```ts
 * languageCoverage(kb, ['en', 'de', 'it'], { translator: false, model: false });
 * // [{ language: 'en', articles: 39, of: 39, bridged: false }, { language: 'de', articles: 39, ... }, { language: 'it', articles: 0, of: 39, bridged: false }]
 * ```
 */
export function languageCoverage(kb: KnowledgeBase, languages: readonly string[], bridges: { translator: boolean; model: boolean }): LanguageCoverage[] {
  const of = kb.articles.length;
  return languages.map((language) => ({
    language,
    articles: kb.articles.filter((id) => kb.variant(id, language) !== undefined).length,
    of,
    bridged: bridges.translator || bridges.model,
  }));
}

/**
 * What an operator should hear about a language: nothing when it is fully served, else a
 * sentence naming the gap and the fix.
 *
 * @example
 * ```ts
 * coverageProblem({ language: 'it', articles: 0, of: 39, bridged: false }, 'config/knowledge', 'en');
 * // 'it: no knowledge-base articles in this language and no translator or model, so shoppers get answers in en with a note. Add config/knowledge/it/*.md (sections with the same {#id} as en), or configure translation.providers or llm.'
 * ```
 */
export function coverageProblem(c: LanguageCoverage, dir: string, working: string): string | undefined {
  if (c.articles >= c.of || c.bridged || c.of === 0) return undefined;
  const gap =
    c.articles === 0 ? 'no knowledge-base articles in this language' : `${c.of - c.articles} of ${c.of} knowledge-base articles missing in this language`;
  return `${c.language}: ${gap} and no translator or model, so shoppers get those answers in ${working} with a note. Add ${dir}/${c.language}/*.md (sections with the same {#id} as ${working}), or configure translation.providers or llm.`;
}
