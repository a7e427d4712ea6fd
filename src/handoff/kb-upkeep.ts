/**
 * Knowledge-base upkeep: an agent flags a wrong bot answer and proposes the right one; an
 * admin applies it to the Markdown files, and the gateway reloads the index without a
 * restart. A correction replaces the body of the working-language variant of the article that
 * answered wrongly (its example questions stay); a question no article covered gets a new
 * section in `corrections.md`. The article's variants in other languages are named, so the
 * shop can bring them up to date.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { languageFolder, sameLanguage, splitHeading } from '../bot/knowledge/index.js';
import type { Localize } from '../core/ports.js';

/** The file new sections are appended to. */
const CORRECTIONS_FILE = 'corrections.md';

/**
 * The knowledge-base section title a bot answer cites, read back from its localised source
 * line (`_Source: Shipping to Germany_`), with the strings of the language the answer is in.
 *
 * @example
 * ```ts
 * citedSection('Orders ship in 2 days.\n\n_Source: Shipping to Germany_', t); // 'Shipping to Germany'
 * ```
 */
export function citedSection(answer: string, t: Localize): string | undefined {
  const marker = '\u0000';
  const [before = '', after = ''] = t('bot.source', { title: marker }).split(marker);
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`_?${escape(before)}(.+?)${escape(after)}_?\\s*$`, 'u').exec(answer.trim());
  return m?.[1]?.trim();
}

/** Which `##` heading a correction is for: by title, or by article id. */
interface SectionMatch {
  title?: string;
  id?: string;
}

const H2 = /^##\s+(.+?)\s*#*\s*$/;

function headingOf(line: string): { title: string; id?: string } | undefined {
  const m = H2.exec(line);
  return m?.[1] ? splitHeading(m[1]) : undefined;
}

function matches(line: string, match: SectionMatch): boolean {
  const h = headingOf(line);
  if (!h) return false;
  if (match.id !== undefined) return h.id === match.id;
  return match.title !== undefined && h.title.trim() === match.title.trim();
}

/**
 * Replaces the body of a `##` section in Markdown, keeping its heading and example questions
 * (`? ` lines); undefined when there is no such section.
 */
function replaceSection(markdown: string, match: SectionMatch, body: string): string | undefined {
  const lines = markdown.split(/\r?\n/);
  const start = lines.findIndex((l) => matches(l, match));
  if (start < 0) return undefined;
  let end = lines.findIndex((l, i) => i > start && /^#{1,2}\s+/.test(l));
  if (end < 0) end = lines.length;
  const questions = lines.slice(start + 1, end).filter((l) => /^\?\s+\S/.test(l));
  const section = [lines[start] as string, '', body.trim(), '', ...(questions.length ? [...questions, ''] : [])];
  return [...lines.slice(0, start), ...section, ...lines.slice(end)].join('\n').replace(/\n{3,}/g, '\n\n');
}

/** Where a correction went, and the article's variants in other languages that may now differ. */
export interface AppliedCorrection {
  file: string;
  variants: string[];
}

/**
 * Writes a correction (written in the working language) into the knowledge-base folder.
 *
 * @example
 * ```ts
 * await applyCorrection('config/knowledge', { section: 'Envíos a Alemania', title: 'Shipping to Germany', body: '…' }, 'en');
 * // { file: 'en/shipping.md', variants: ['de/shipping.md', 'es/shipping.md', …] }
 * ```
 */
export async function applyCorrection(
  dir: string,
  correction: { section?: string; title: string; body: string },
  workingLanguage = 'en',
): Promise<AppliedCorrection> {
  const files = (await readdir(dir, { recursive: true }))
    .filter((f) => f.endsWith('.md'))
    .map((f) => f.split('\\').join('/'))
    .sort();
  const texts = new Map(await Promise.all(files.map(async (f) => [f, await readFile(join(dir, f), 'utf8')] as const)));
  const inWorking = (file: string) => {
    const language = languageFolder(file);
    return language === undefined || sameLanguage(language, workingLanguage);
  };
  const cited = correction.section ? findHeading(texts, { title: correction.section }) : undefined;
  // The cited section may be a variant in the shopper's language: its id names the article.
  const target = cited?.id ? (findHeading(texts, { id: cited.id }, inWorking) ?? cited) : cited;
  if (target) {
    const updated = replaceSection(texts.get(target.file) as string, target.id ? { id: target.id } : { title: target.title }, correction.body) as string;
    await writeFile(join(dir, target.file), updated.endsWith('\n') ? updated : `${updated}\n`);
    const variants = target.id
      ? files.filter((f) => f !== target.file && [...(texts.get(f) ?? '').split(/\r?\n/)].some((l) => headingOf(l)?.id === target.id))
      : [];
    return { file: target.file, variants };
  }
  const folder = files.map(languageFolder).find((l) => l !== undefined && sameLanguage(l, workingLanguage));
  const file = folder ? `${folder}/${CORRECTIONS_FILE}` : CORRECTIONS_FILE;
  const existing = texts.get(file) ?? '# Corrections\n';
  const replaced = replaceSection(existing, { title: correction.title }, correction.body);
  const next = replaced ?? `${existing.trimEnd()}\n\n## ${correction.title.replace(/\n/g, ' ').trim()}\n\n${correction.body.trim()}\n`;
  await mkdir(dirname(join(dir, file)), { recursive: true });
  await writeFile(join(dir, file), next.endsWith('\n') ? next : `${next}\n`);
  return { file, variants: [] };
}

/** The first file (in the files' order) with a heading that matches, and that heading. */
function findHeading(texts: ReadonlyMap<string, string>, match: SectionMatch, where: (file: string) => boolean = () => true) {
  for (const [file, text] of texts) {
    if (!where(file)) continue;
    for (const line of text.split(/\r?\n/)) if (matches(line, match)) return { file, ...(headingOf(line) as { title: string; id?: string }) };
  }
  return undefined;
}
