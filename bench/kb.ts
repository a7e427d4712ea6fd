/**
 * Multilingual knowledge-base retrieval: the offline answerer on the demo shop, asked each
 * question of a TSV (`language`, `expected`, `question`; `expected` is one or more article ids
 * separated by `|`, or `-` for a message the knowledge base should not answer). A question
 * counts as answered right when the answer cites an expected article and is written in the
 * shopper's language (no translation provider, no model: the embedded default).
 *
 *   node --import tsx bench/kb.ts [questions.tsv ...] [--errors]
 *
 * Prints a table per language and file; the baseline row is the knowledge base as it was
 * before it had language variants (the working-language articles, searched with the
 * shopper's words). Last line: `kb: top1 <accuracy> min-language <accuracy>` over the first file.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnswerRequest } from '../src/core/answerer.js';
import { createKnowledgeAnswerer, DEFAULT_MIN_CONFIDENCE } from '../src/bot/kb-answerer.js';
import { KnowledgeBase } from '../src/bot/knowledge/index.js';
import { loadLocales } from '../src/language/i18n.js';

interface Row {
  language: string;
  expected: string[];
  question: string;
}

interface Tally {
  right: number;
  wrong: number;
  unsure: number;
  foreign: number;
  n: number;
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const showErrors = args.includes('--errors');
const files = args.filter((a) => !a.startsWith('--'));
if (files.length === 0) files.push(resolve(root, 'bench/kb/questions.tsv'));

function readRows(file: string): Row[] {
  const [header = '', ...lines] = readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim());
  if (header.split('\t').join(',') !== 'language,expected,question') throw new Error(`${file}: the header must be language, expected, question`);
  return lines.map((line) => {
    const [language = '', expected = '', question = ''] = line.split('\t');
    return { language, expected: expected === '-' ? [] : expected.split('|'), question };
  });
}

const localizer = await loadLocales(resolve(root, 'locales'), 'en');
const kb = await KnowledgeBase.load(resolve(root, 'config/knowledge'), { workingLanguage: 'en' });
const english = KnowledgeBase.fromSections(
  kb.sections.filter((s) => s.language === 'en'),
  { workingLanguage: 'en' },
);
const answerers = {
  parley: createKnowledgeAnswerer(kb, { minConfidence: DEFAULT_MIN_CONFIDENCE }),
  'baseline (English only)': createKnowledgeAnswerer(english, { minConfidence: DEFAULT_MIN_CONFIDENCE }),
};

async function score(
  name: keyof typeof answerers,
  rows: readonly Row[],
  errors: string[],
): Promise<{ byLanguage: Map<string, Tally>; offTopic: Tally; ms: number }> {
  const byLanguage = new Map<string, Tally>();
  const offTopic: Tally = { right: 0, wrong: 0, unsure: 0, foreign: 0, n: 0 };
  const started = performance.now();
  for (const row of rows) {
    const request = {
      conversationId: 'bench',
      text: row.question,
      language: row.language,
      t: localizer.forLanguage(row.language),
      capabilities: {},
    } as unknown as AnswerRequest;
    const answer = await answerers[name].answer(request);
    const tally = row.expected.length ? tallyOf(byLanguage, row.language) : offTopic;
    tally.n += 1;
    const cited = answer.sources[0];
    const foreign = answer.parts.some((p) => p.kind === 'text' && p.language !== undefined && p.language !== row.language);
    if (!row.expected.length) {
      if (cited) tally.wrong += 1;
      else tally.right += 1;
      if (cited && name === 'parley') errors.push(`${row.language}\toff-topic\t${row.question}\t-> ${cited} ${answer.confidence}`);
      continue;
    }
    if (!cited) tally.unsure += 1;
    else if (!row.expected.includes(cited)) tally.wrong += 1;
    else if (foreign) tally.foreign += 1;
    else tally.right += 1;
    if (name === 'parley' && (!cited || !row.expected.includes(cited) || foreign)) {
      errors.push(
        `${row.language}\t${row.expected.join('|')}\t${row.question}\t-> ${cited ?? 'unsure'} ${answer.confidence}${foreign ? " (not in the shopper's language)" : ''}`,
      );
    }
  }
  return { byLanguage, offTopic, ms: performance.now() - started };
}

function tallyOf(byLanguage: Map<string, Tally>, language: string): Tally {
  let tally = byLanguage.get(language);
  if (!tally) byLanguage.set(language, (tally = { right: 0, wrong: 0, unsure: 0, foreign: 0, n: 0 }));
  return tally;
}

const rate = (t: Tally) => (t.n ? t.right / t.n : 0);
const fmt = (x: number) => x.toFixed(4);
let last = '';
for (const [i, file] of files.entries()) {
  const rows = readRows(file);
  const errors: string[] = [];
  const parley = await score('parley', rows, errors);
  const baseline = await score('baseline (English only)', rows, []);
  const languages = [...parley.byLanguage.keys()];
  console.log(`\n${file.replace(`${root}/`, '')}: ${rows.length} rows, ${parley.offTopic.n} off-topic`);
  if (languages.length) {
    console.log(`| | ${languages.join(' | ')} | all | min |`);
    console.log(`|---|${languages.map(() => '---').join('|')}|---|---|`);
  }
  for (const [name, result] of [
    ['parley', parley],
    ['baseline (English only)', baseline],
  ] as const) {
    if (languages.length === 0) {
      if (name === 'parley') console.log(`off-topic messages answered anyway: ${result.offTopic.wrong} of ${result.offTopic.n}`);
      continue;
    }
    const all = [...result.byLanguage.values()].reduce((a, t) => ({
      right: a.right + t.right,
      wrong: a.wrong + t.wrong,
      unsure: a.unsure + t.unsure,
      foreign: a.foreign + t.foreign,
      n: a.n + t.n,
    }));
    const rates = languages.map((l) => rate(result.byLanguage.get(l) as Tally));
    console.log(`| ${name} top-1 in the shopper's language | ${rates.map(fmt).join(' | ')} | ${fmt(rate(all))} | ${fmt(Math.min(...rates))} |`);
    if (name === 'parley') {
      console.log(`| parley wrong article | ${languages.map((l) => (result.byLanguage.get(l) as Tally).wrong).join(' | ')} | ${all.wrong} | |`);
      console.log(`| parley "please rephrase" | ${languages.map((l) => (result.byLanguage.get(l) as Tally).unsure).join(' | ')} | ${all.unsure} | |`);
      console.log(
        `| parley right article, other language | ${languages.map((l) => (result.byLanguage.get(l) as Tally).foreign).join(' | ')} | ${all.foreign} | |`,
      );
      if (result.offTopic.n) console.log(`off-topic messages answered anyway: ${result.offTopic.wrong} of ${result.offTopic.n}`);
      console.log(`${(result.ms / rows.length).toFixed(2)} ms per question`);
      if (i === 0) last = `kb: top1 ${fmt(rate(all))} min-language ${fmt(Math.min(...rates))}`;
    }
  }
  if (showErrors) for (const e of errors) console.log(e);
}
console.log(last);
