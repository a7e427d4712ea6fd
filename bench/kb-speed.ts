/**
 * CPU cost of one offline answer: the knowledge-base answerer on the demo shop (default
 * config/knowledge, every language's index built first), asked each question of a TSV
 * (`language`, `expected`, `question`, as bench/kb.ts reads) round after round, in process.
 * CPU time (user + system, `process.cpuUsage`) rather than wall time, and the fastest of the
 * rounds, as the machines that run it are shared: other processes slow a round down (cache,
 * hyperthread siblings), never speed it up. Warm-up rounds let the JIT settle first.
 *
 *   node --import tsx bench/kb-speed.ts [questions.tsv ...] [--rounds 15]
 *
 * Baseline, in the same run: MiniSearch on its own over the same sections (one index per
 * language, title, body and example questions, its default tokenizer, prefix and fuzzy 0.2 as
 * its documentation suggests), searching each question as it is, with no language analysis,
 * rescoring, confidence or reply: what a shop would get from the library alone.
 *
 * Prints µs per answer by language (fastest round, and the median); last line:
 * `kb-speed: parley <µs> minisearch <µs> ratio <r>` (fastest rounds over every question; the ratio
 * is Parley's cost over the library's, so lower is better).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import MiniSearch from 'minisearch';
import type { AnswerRequest } from '../src/core/answerer.js';
import { createKnowledgeAnswerer, DEFAULT_MIN_CONFIDENCE } from '../src/bot/kb-answerer.js';
import { KnowledgeBase } from '../src/bot/knowledge/index.js';
import { loadLocales } from '../src/language/i18n.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const roundsAt = args.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Number(args[roundsAt + 1]) : 15;
const files = args.filter((a, i) => !a.startsWith('--') && i !== roundsAt + 1);
if (files.length === 0) files.push(resolve(root, 'bench/kb/questions.tsv'));
const WARMUP_ROUNDS = 5;

function readRequests(file: string, t: (language: string) => AnswerRequest['t']): AnswerRequest[] {
  const [, ...lines] = readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim());
  return lines.map((line) => {
    const [language = '', , text = ''] = line.split('\t');
    return { conversationId: 'bench', text, language, t: t(language), capabilities: {} } as unknown as AnswerRequest;
  });
}

const localizer = await loadLocales(resolve(root, 'locales'), 'en');
const kb = await KnowledgeBase.load(resolve(root, 'config/knowledge'), { workingLanguage: 'en' });
kb.prepare(kb.languages);
const answerer = createKnowledgeAnswerer(kb, { minConfidence: DEFAULT_MIN_CONFIDENCE });
const requests = files.flatMap((f) => readRequests(f, (language) => localizer.forLanguage(language)));
const languages = [...new Set(requests.map((r) => r.language))];

const plain = new Map(
  kb.languages.map((language) => {
    const index = new MiniSearch({ fields: ['title', 'body', 'questions'], extractField: (d, f) => (f === 'questions' ? d.questions.join('\n') : d[f]) });
    index.addAll(kb.sections.filter((s) => s.language === language));
    return [language, index] as const;
  }),
);
const baseline = async (request: AnswerRequest) => plain.get(request.language)?.search(request.text, { prefix: true, fuzzy: 0.2 });

/** CPU µs per answer of one pass over `batch`. */
async function pass(batch: readonly AnswerRequest[], answer = (r: AnswerRequest): Promise<unknown> => answerer.answer(r)): Promise<number> {
  const started = process.cpuUsage();
  for (const request of batch) await answer(request);
  const used = process.cpuUsage(started);
  return (used.user + used.system) / batch.length;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

const fastest = (values: number[]) => Math.min(...values).toFixed(0);

for (let i = 0; i < WARMUP_ROUNDS; i += 1) await pass(requests);
const batches = languages.map((l) => ({ language: l, batch: requests.filter((r) => r.language === l), cpu: [] as number[] }));
const all: number[] = [];
const library: number[] = [];
for (let i = 0; i < WARMUP_ROUNDS; i += 1) await pass(requests, baseline);
for (let i = 0; i < rounds; i += 1) {
  all.push(await pass(requests));
  library.push(await pass(requests, baseline));
  for (const b of batches) b.cpu.push(await pass(b.batch));
}
console.log(`${requests.length} questions, ${kb.languages.length} knowledge-base languages, ${rounds} rounds after ${WARMUP_ROUNDS} warm-up`);
console.log(`| CPU µs per answer | ${languages.join(' | ')} | all |`);
console.log(`|---|${languages.map(() => '---').join('|')}|---|`);
console.log(`| fastest round | ${batches.map((b) => fastest(b.cpu)).join(' | ')} | ${fastest(all)} |`);
console.log(`| median round | ${batches.map((b) => median(b.cpu).toFixed(0)).join(' | ')} | ${median(all).toFixed(0)} |`);
console.log(`MiniSearch alone, every question: ${fastest(library)} µs per search (fastest round), ${median(library).toFixed(0)} (median round)`);
console.log(`kb-speed: parley ${fastest(all)} minisearch ${fastest(library)} ratio ${(Math.min(...all) / Math.min(...library)).toFixed(2)}`);
