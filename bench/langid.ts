/**
 * Language-identification benchmark: Parley's detector against plain eld (large database,
 * restricted to the same languages), on a TSV with `lang` and `text` columns.
 *
 *   node --import tsx bench/langid.ts [file.tsv] [--errors]
 *
 * Last line: `langid: parley <accuracy> eld <accuracy> ratio <parley/eld>`.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createLanguageDetector } from '../src/language/detector.js';

interface Row {
  lang: string;
  text: string;
  variant: string;
}
type Predict = (text: string) => string;
interface Tally {
  ok: number;
  n: number;
}
interface Result {
  name: string;
  byLang: Map<string, Tally>;
  byBucket: Map<string, Tally>;
  overall: Tally;
  perSecond: number;
  heapMb: number;
  rssMb: number;
  errors: string[];
}

const BUCKETS = ['≤10', '11–30', '31–60', '>60'] as const;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function readRows(file: string): Row[] {
  const [header = '', ...lines] = readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const columns = header.split('\t');
  const at = (name: string): number => columns.indexOf(name);
  if (at('lang') < 0 || at('text') < 0) throw new Error(`${file}: header needs "lang" and "text" columns`);
  return lines.map((line) => {
    const cells = line.split('\t');
    return {
      lang: cells[at('lang')] ?? '',
      text: cells[at('text')] ?? '',
      variant: cells[at('zh_variant')] ?? '',
    };
  });
}

function bucketOf(text: string): string {
  const length = [...text].length;
  return length <= 10 ? '≤10' : length <= 30 ? '11–30' : length <= 60 ? '31–60' : '>60';
}

function isCorrect(expected: string, predicted: string): boolean {
  return expected === 'zh' ? predicted === 'zh' || predicted.startsWith('zh-') : predicted === expected;
}

// Exposes gc() even without --expose-gc, so memory deltas are not inflated by garbage.
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  return () => {
    gc();
    gc();
  };
}

async function measureLoad<T>(build: () => Promise<T>): Promise<{ value: T; heapMb: number; rssMb: number }> {
  const gc = collector();
  gc();
  const before = process.memoryUsage();
  const value = await build();
  gc();
  const after = process.memoryUsage();
  return {
    value,
    heapMb: (after.heapUsed - before.heapUsed) / 1e6,
    rssMb: (after.rss - before.rss) / 1e6,
  };
}

function throughput(predict: Predict, rows: readonly Row[]): number {
  const warm = performance.now();
  while (performance.now() - warm < 500) for (const row of rows) predict(row.text);
  let count = 0;
  const start = performance.now();
  while (performance.now() - start < 2000) {
    for (const row of rows) predict(row.text);
    count += rows.length;
  }
  return count / ((performance.now() - start) / 1000);
}

function evaluate(name: string, predict: Predict, rows: readonly Row[]): Omit<Result, 'heapMb' | 'rssMb'> {
  const byLang = new Map<string, Tally>();
  const byBucket = new Map<string, Tally>(BUCKETS.map((b) => [b, { ok: 0, n: 0 }]));
  const overall = { ok: 0, n: 0 };
  const errors: string[] = [];
  for (const row of rows) {
    const predicted = predict(row.text);
    const ok = isCorrect(row.lang, predicted) ? 1 : 0;
    if (!ok) errors.push(`${row.lang}\t${predicted || '-'}\t${row.text}`);
    for (const tally of [byLang.get(row.lang) ?? { ok: 0, n: 0 }, byBucket.get(bucketOf(row.text)), overall]) {
      if (!tally) continue;
      tally.ok += ok;
      tally.n += 1;
    }
    if (!byLang.has(row.lang)) byLang.set(row.lang, { ok, n: 1 });
  }
  return {
    name,
    byLang,
    byBucket,
    overall,
    perSecond: throughput(predict, rows),
    errors,
  };
}

const fraction = (t: Tally | undefined): string => (t && t.n > 0 ? (t.ok / t.n).toFixed(4) : '-');

function report(results: readonly Result[], languages: readonly string[]): void {
  const names = results.map((r) => r.name.padStart(8)).join('');
  console.log(`\n${'language'.padEnd(10)}${names}`);
  for (const lang of languages) console.log(lang.padEnd(10) + results.map((r) => fraction(r.byLang.get(lang)).padStart(8)).join(''));
  console.log(`\n${'length'.padEnd(10)}${names}`);
  for (const bucket of BUCKETS) {
    const n = results[0]?.byBucket.get(bucket)?.n ?? 0;
    if (n > 0) console.log(`${bucket} (${n})`.padEnd(10) + results.map((r) => fraction(r.byBucket.get(bucket)).padStart(8)).join(''));
  }
  console.log(`\n${'overall'.padEnd(10)}${results.map((r) => fraction(r.overall).padStart(8)).join('')}`);
  for (const r of results) {
    console.log(`${r.name}: ${Math.round(r.perSecond)} detections/s, load +${r.heapMb.toFixed(1)} MB heap, +${r.rssMb.toFixed(1)} MB RSS`);
  }
}

// Informational: Simplified vs Traditional, on zh rows whose script is known.
function variantAccuracy(rows: readonly Row[]): string {
  const detector = createLanguageDetector({
    languages: ['zh-CN', 'zh-TW'],
    defaultLanguage: 'zh-CN',
  });
  const expected: Record<string, string> = {
    'zh-Hans': 'zh-CN',
    'zh-Hant': 'zh-TW',
  };
  const judged = rows.filter((r) => r.lang === 'zh' && expected[r.variant]);
  const ok = judged.filter((r) => detector.detect(r.text).language === expected[r.variant]).length;
  return `parley zh Simplified/Traditional: ${judged.length ? (ok / judged.length).toFixed(4) : '-'} (${judged.length} rows)`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const file = resolve(args.find((a) => !a.startsWith('--')) ?? resolve(root, '../shared/eval/langid/dev.tsv'));
  const rows = readRows(file);
  const languages = [...new Set(rows.map((r) => r.lang))];
  console.log(`langid bench: ${rows.length} rows, ${languages.length} languages (${languages.join(' ')}) from ${file}`);

  // Parley first: its table is read lazily, so the first detect() is part of the load.
  const parleyLoad = await measureLoad(async () => {
    const detector = createLanguageDetector({
      languages,
      defaultLanguage: languages[0] ?? 'en',
    });
    detector.detect('warm up');
    return detector;
  });
  const eldLoad = await measureLoad(async () => {
    const { eld } = await import('eld/large');
    const instance = eld.newInstance();
    instance.setLanguageSubset(languages);
    instance.detect('warm up');
    return instance;
  });
  const parley = {
    ...evaluate('parley', (t) => parleyLoad.value.detect(t).language, rows),
    heapMb: parleyLoad.heapMb,
    rssMb: parleyLoad.rssMb,
  };
  const eld = {
    ...evaluate('eld', (t) => eldLoad.value.detect(t).language, rows),
    heapMb: eldLoad.heapMb,
    rssMb: eldLoad.rssMb,
  };
  if (args.includes('--errors')) for (const e of parley.errors) console.log(`miss\t${e}`);
  report([parley, eld], languages);
  console.log(variantAccuracy(rows));
  const p = parley.overall.ok / parley.overall.n;
  const e = eld.overall.ok / eld.overall.n;
  console.log(`langid: parley ${p.toFixed(4)} eld ${e.toFixed(4)} ratio ${(p / e).toFixed(4)}`);
}

await main();
