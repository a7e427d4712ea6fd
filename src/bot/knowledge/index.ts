export { analyze, terms } from './analyze.js';
export { foldFor } from './fold.js';
export { KnowledgeBase, type Retrieval } from './base.js';
export { coverageProblem, languageCoverage } from './coverage.js';
export { languageFolder, sameLanguage } from './languages.js';
export { type KnowledgeSection, parseMarkdown, splitHeading } from './markdown.js';
export { countriesIn } from './places.js';
