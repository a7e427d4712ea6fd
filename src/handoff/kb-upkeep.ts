/**
 * Knowledge-base upkeep: an agent flags a wrong bot answer and proposes the right one; an
 * admin applies it to the Markdown files, and the gateway reloads the index without a
 * restart. A correction replaces the body of the section that answered wrongly; a question
 * no section covered gets a new section in `corrections.md`.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Localize } from '../core/ports.js';

/** The file new sections are appended to. */
export const CORRECTIONS_FILE = 'corrections.md';

/**
 * The knowledge-base section title a bot answer cites, read back from its localised source
 * line (`_Source: Shipping to Germany_`).
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

/** Replaces the body of `## title` in Markdown; undefined when there is no such section. */
export function replaceSection(markdown: string, title: string, body: string): string | undefined {
  const lines = markdown.split(/\r?\n/);
  const start = lines.findIndex((l) => /^##\s+/.test(l) && l.replace(/^##\s+/, '').replace(/\s*#*\s*$/, '').trim() === title.trim());
  if (start < 0) return undefined;
  let end = lines.findIndex((l, i) => i > start && /^#{1,2}\s+/.test(l));
  if (end < 0) end = lines.length;
  return [...lines.slice(0, start + 1), '', body.trim(), '', ...lines.slice(end)].join('\n').replace(/\n{3,}/g, '\n\n');
}

/** Writes a correction into the knowledge-base folder; returns the file it changed. */
export async function applyCorrection(dir: string, correction: { section?: string; title: string; body: string }): Promise<string> {
  if (correction.section) {
    const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.md')).sort();
    for (const file of files) {
      const path = join(dir, file);
      const updated = replaceSection(await readFile(path, 'utf8'), correction.section, correction.body);
      if (updated !== undefined) {
        await writeFile(path, updated.endsWith('\n') ? updated : `${updated}\n`);
        return file;
      }
    }
  }
  const path = join(dir, CORRECTIONS_FILE);
  const existing = await readFile(path, 'utf8').catch(() => '# Corrections\n');
  const replaced = replaceSection(existing, correction.title, correction.body);
  const next = replaced ?? `${existing.trimEnd()}\n\n## ${correction.title.replace(/\n/g, ' ').trim()}\n\n${correction.body.trim()}\n`;
  await writeFile(path, next.endsWith('\n') ? next : `${next}\n`);
  return CORRECTIONS_FILE;
}
