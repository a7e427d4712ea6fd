/**
 * LLM answerer benchmark: the latency a Parley turn adds (knowledge retrieval, PII masking,
 * prompt building, tool plumbing, the guardrail post-check, restoring) over a direct `openai`
 * call to the same local chat-completions server, which answers after a fixed 300 ms.
 *
 *   node --import tsx bench/llm.ts [--turns 600] [--concurrency 25]
 *
 * Turns run concurrently in batches; arrivals inside a batch are spread over a few ms as real
 * traffic is. Last line: `added p50 <ms> p99 <ms>`.
 */
import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createDirectCall } from '../src/bot/llm/openai-provider.js';
import { buildAnswerer, request } from '../test/support/llm-fixtures.js';
import { ModelServer, sectionTitles } from '../test/support/model-server.js';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const TURNS = arg('turns', 600);
const CONCURRENCY = arg('concurrency', 25);
const SPREAD_MS = arg('spread', 12);
const MODEL_MS = 300;

const QUESTIONS = [
  'How long does shipping to Germany take?',
  'Can I return an opened bag of cat food? My email is emma.jansen@example.com',
  'Do you accept PayPal and Klarna?',
  'How do I clean the aquarium filter? Call me on +31 6 12345678',
  'When do I get my money back after a return?',
  'Is shipping free to the Netherlands?',
];

/** The model server runs in its own process, so its work does not queue behind the turns measured. */
async function serveModel(): Promise<void> {
  const server = new ModelServer(
    (req) => {
      const title = sectionTitles(req)[0];
      return {
        delayMs: MODEL_MS,
        content: title ? `Here is what our shop says about this; see the section for details.\nSOURCES: ${title}` : 'Hello! How can I help?',
        usage: { prompt: 900, completion: 40 },
      };
    },
    { record: false },
  );
  await server.start();
  process.send?.(server.url);
  process.on('disconnect', () => void server.close().then(() => process.exit(0)));
}

if (process.argv.includes('--serve')) {
  await serveModel();
} else {
  await main();
}

async function main(): Promise<void> {
  const child = fork(process.argv[1] as string, ['--serve'], {
    execArgv: process.execArgv,
  });
  const url = await new Promise<string>((resolve) => child.once('message', (m) => resolve(String(m))));

  const llm = await buildAnswerer({ baseURL: url, timeoutMs: 5000 });
  const direct = createDirectCall({
    baseURL: url,
    apiKey: 'sk-test',
    model: 'test-model',
    timeoutMs: 5000,
  });
  const SYSTEM = 'You are a helpful shop assistant.';

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  const parleyTurn = async (i: number) => {
    const answer = await llm.answer(request(`bench-${i}`, QUESTIONS[i % QUESTIONS.length] as string));
    if (answer.confidence === 0) throw new Error('benchmark turn fell back');
  };
  const directTurn = (i: number) => direct(SYSTEM, QUESTIONS[i % QUESTIONS.length] as string);

  /** One batch: `2n` turns started `SPREAD_MS` apart, Parley and direct interleaved so both see the same load. */
  async function batch(n: number, offset: number, into: { parley: number[]; direct: number[] }): Promise<void> {
    await Promise.all(
      Array.from({ length: 2 * n }, async (_, k) => {
        await sleep(k * SPREAD_MS);
        const isParley = (k + offset) % 2 === 0;
        const t0 = performance.now();
        await (isParley ? parleyTurn(offset + k) : directTurn(offset + k));
        (isParley ? into.parley : into.direct).push(performance.now() - t0);
      }),
    );
  }

  const pct = (xs: number[], p: number) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] as number;
  };

  // Warm-up: JIT, connection pools, the knowledge-section cache.
  await batch(CONCURRENCY, 0, { parley: [], direct: [] });

  const started = performance.now();
  const samples = { parley: [] as number[], direct: [] as number[] };
  for (let done = 0; done < TURNS; done += CONCURRENCY) await batch(Math.min(CONCURRENCY, TURNS - done), 1 + done, samples);
  const seconds = (performance.now() - started) / 1000;
  const { parley, direct: baseline } = samples;

  const fmt = (x: number) => x.toFixed(2);
  const p50 = pct(parley, 50) - pct(baseline, 50);
  const p99 = pct(parley, 99) - pct(baseline, 99);
  const m = llm.metrics();
  if (process.argv.includes('--detail')) {
    for (const q of [90, 95, 98, 99, 100]) console.log(`p${q}: direct ${fmt(pct(baseline, q))} parley ${fmt(pct(parley, q))}`);
  }
  console.log(`turns ${parley.length} + ${baseline.length} direct, concurrency ${CONCURRENCY}, model ${MODEL_MS} ms, ${seconds.toFixed(1)} s`);
  console.log(`direct  p50 ${fmt(pct(baseline, 50))} p99 ${fmt(pct(baseline, 99))} ms`);
  console.log(`parley  p50 ${fmt(pct(parley, 50))} p99 ${fmt(pct(parley, 99))} ms`);
  console.log(
    `llm metrics: calls ${m.modelCalls}, blocked ${m.guardrail.blocked}, fallbacks ${m.fallbacks.failure + m.fallbacks.budget}, unknown ${m.unknown}`,
  );
  child.disconnect();
  console.log(`added p50 ${fmt(p50)} p99 ${fmt(p99)}`);
}
