/**
 * The knowledge base's file format: Markdown split on `##` headings. A heading may name the
 * article it belongs to (`## Versand nach Deutschland {#shipping-germany}`): every section
 * with that id, in any language, is one article in several languages. Lines that start with
 * `? ` are example questions shoppers ask, used for retrieval and never shown.
 */
import { fold } from '../text.js';

/** One `##` section in one language: the unit that answers a question. */
export interface KnowledgeSection {
  /**
   * The article id, shared by the article's variants in other languages: the heading's `{#id}`
   * when it has one, else `<file without .md>#<slug of the title>`, e.g. `shipping#shipping-to-germany`.
   */
  id: string;
  /** BCP 47 tag of the language the section is written in. */
  language: string;
  /** The `##` heading without its `{#id}`, shown to the shopper as the source. */
  title: string;
  /** The section's Markdown, without its heading and example questions. */
  body: string;
  /** Example questions (`? ` lines), in the section's language. */
  questions: readonly string[];
  /** Path relative to the knowledge-base folder, with `/` separators. */
  file: string;
  /** The file's `#` heading: searched (lightly) but never shown. */
  context?: string;
}

const H1 = /^#\s+(.+?)\s*#*\s*$/;
const H2 = /^##\s+(.+?)\s*#*\s*$/;
/** A Pandoc/kramdown header identifier at the end of a heading: `{#shipping-germany}`. */
const HEADING_ID = /\s*\{#([\p{L}\p{N}][\p{L}\p{N}_.-]*)\}\s*$/u;
const QUESTION = /^\?\s+(\S.*)$/;

/** A heading's title and its explicit id, if it has one. */
export function splitHeading(heading: string): { title: string; id?: string } {
  const m = HEADING_ID.exec(heading);
  return m?.[1] ? { title: heading.slice(0, m.index).trim(), id: m[1] } : { title: heading.trim() };
}

/**
 * Splits one Markdown file into sections; text before the first `##` is a section of its own,
 * titled with the `#` heading.
 *
 * @example
 * ```ts
 * parseMarkdown('## Versand nach Deutschland {#shipping-germany}\n\n2–3 Werktage.\n\n? wie lange nach berlin', 'de/shipping.md', 'de');
 * // [{ id: 'shipping-germany', language: 'de', title: 'Versand nach Deutschland', body: '2–3 Werktage.', questions: ['wie lange nach berlin'], file: 'de/shipping.md' }]
 * ```
 */
export function parseMarkdown(markdown: string, file: string, language: string, idBase = file): KnowledgeSection[] {
  const sections: KnowledgeSection[] = [];
  let context: string | undefined;
  let heading: string | undefined;
  let lines: string[] = [];
  let questions: string[] = [];
  let fenced = false;
  const flush = (): void => {
    const body = lines.join('\n').trim();
    const title = heading ?? context;
    if ((body || questions.length) && title) sections.push(makeSection({ file, idBase, language, heading: title, body, questions, context }));
    lines = [];
    questions = [];
  };
  for (const line of markdown.split(/\r?\n/)) {
    if (line.startsWith('```')) fenced = !fenced;
    const h1 = !fenced && H1.exec(line);
    const h2 = !fenced && H2.exec(line);
    const question = fenced ? null : QUESTION.exec(line);
    if (h1 && context === undefined && heading === undefined) context = h1[1];
    else if (h2) {
      flush();
      heading = h2[1];
    } else if (question?.[1]) questions.push(question[1].trim());
    else lines.push(line);
  }
  flush();
  return uniqueIds(sections);
}

function makeSection(s: {
  file: string;
  idBase: string;
  language: string;
  heading: string;
  body: string;
  questions: string[];
  context: string | undefined;
}): KnowledgeSection {
  const { title, id } = splitHeading(s.heading);
  const section: KnowledgeSection = { id: id ?? derivedId(s.idBase, title), language: s.language, title, body: s.body, questions: s.questions, file: s.file };
  const context = s.context === undefined ? undefined : splitHeading(s.context).title;
  return context === undefined || context === title ? section : { ...section, context };
}

/** `shipping#shipping-to-germany`: the file (without a language folder) and the title's slug. */
function derivedId(file: string, title: string): string {
  const slug = fold(title)
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-|-$/g, '');
  return `${file.replace(/\.md$/i, '')}#${slug}`;
}

/** Two sections with the same id in one language keep distinct ids (`#faq`, `#faq-2`). */
export function uniqueIds(sections: KnowledgeSection[]): KnowledgeSection[] {
  const seen = new Map<string, number>();
  return sections.map((section) => {
    const key = `${section.language}\u0000${section.id}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return n === 1 ? section : { ...section, id: `${section.id}-${n}` };
  });
}
