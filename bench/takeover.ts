/**
 * Takeover after a crash: two gateway processes share one Postgres database; 100 web chat
 * conversations talk to them (half to each), every turn waiting on a local model that answers
 * after `--model` ms. Mid-traffic one process is killed with SIGKILL; its shoppers carry on
 * through the other (as a load balancer would send them). Prints, for the killed process's
 * conversations, the longest a shopper waited for an answer, and how long after the kill the
 * questions it was answering were answered (its turns re-run by the survivor), against the
 * survivor's own conversations.
 *
 *   node --import tsx bench/takeover.ts [--conversations 100] [--model 1000] [--lease 8000] [--seconds 20] [--concurrency 64]
 *
 * With the default concurrency the survivor's slots are nearly all taken by its own
 * conversations, so the dead one's turns also wait for slots; `--concurrency 200` shows the lease alone.
 *
 * Needs Postgres (PARLEY_TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/test).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresDriver } from '../src/store/index.js';
import { ModelServer, sectionTitles } from '../test/support/model-server.js';
import { history, openSession, sendHttp } from '../test/support/webchat-client.js';
import { freePort, numberArg, startChild } from './parley-process.js';

const CONVERSATIONS = numberArg('conversations', 100);
const MODEL_MS = numberArg('model', 1000);
const LEASE_MS = numberArg('lease', 8000);
const SECONDS = numberArg('seconds', 20);
const CONCURRENCY = numberArg('concurrency', 64);
const KILL_AT_MS = 4000;
const POSTGRES_URL = process.env.PARLEY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// Questions the shop's knowledge answers (the same unanswered question again would hand off to a person).
const QUESTIONS = [
  'How long does shipping to Germany take?',
  'Do you accept PayPal and Klarna?',
  'When do I get my money back after a return?',
  'Is shipping free to the Netherlands?',
  'How do I clean the aquarium filter?',
];

interface Instance {
  url: string;
  child: ChildProcess;
}

async function startInstance(dir: string, name: string, schema: string, modelUrl: string): Promise<Instance> {
  const port = await freePort();
  const config = join(dir, `${name}.yaml`);
  writeFileSync(
    config,
    [
      `server: { port: 0, host: 127.0.0.1, publicUrl: "http://127.0.0.1:${port}" }`,
      `storage: { driver: postgres, postgres: { url: "${POSTGRES_URL}", schema: ${schema} }, dataDir: "${join(dir, name)}" }`,
      `llm: { enabled: true, baseURL: "${modelUrl}", model: test, apiKey: test, timeoutMs: 30000 }`,
      `queue: { leaseMs: ${LEASE_MS}, concurrency: ${CONCURRENCY} }`,
      `log: { level: ${process.env.BENCH_LOG ?? 'silent'} }`,
    ].join('\n'),
  );
  const child = await startChild(['bin/parley.js', 'start', '--config', config], { PORT: String(port) }, 'Parley is running');
  child.stdout?.on('data', (d) => process.env.BENCH_LOG && process.stderr.write(`${name}: ${d}`));
  return { url: `http://127.0.0.1:${port}`, child };
}

/** One shopper: asks, waits for the answer (read from the survivor), asks again, until `end`. */
async function shopper(token: string, send: () => string, read: string, end: number, waits: { sentAt: number; ms: number }[]): Promise<void> {
  for (let n = 1; Date.now() < end; n++) {
    const sentAt = Date.now();
    const res = await sendHttp(send(), token, { type: 'message', clientId: `q${n}`, text: QUESTIONS[n % QUESTIONS.length] }).catch(() => undefined);
    if (!res?.ok) {
      await sleep(100); // the instance died under us: the load balancer sends the next try elsewhere
      n--;
      continue;
    }
    for (;;) {
      const bot = (await history(read, token)).filter((m) => m.role !== 'shopper').length;
      if (bot >= n) break;
      if (Date.now() > end + 60_000) throw new Error(`no answer to question ${n} after ${Date.now() - sentAt} ms`);
      await sleep(100);
    }
    waits.push({ sentAt, ms: Date.now() - sentAt });
  }
}

async function main(): Promise<void> {
  // A grounded answer (it cites a section of the knowledge base), as a model's would be.
  const answer = (title: string | undefined) => (title ? `Here is what our shop says about this.\nSOURCES: ${title}` : 'Hello! How can I help?');
  const model = new ModelServer((req) => ({ delayMs: MODEL_MS, content: answer(sectionTitles(req)[0]) }), { record: false });
  await model.start();
  const schema = `parley_takeover_${process.pid}`;
  const dir = mkdtempSync(join(tmpdir(), 'parley-takeover-'));
  const a = await startInstance(dir, 'a', schema, model.url);
  const b = await startInstance(dir, 'b', schema, model.url);
  let aAlive = true;
  const sessions = await Promise.all(Array.from({ length: CONVERSATIONS }, (_, i) => openSession(i % 2 ? b.url : a.url)));
  const start = Date.now();
  const end = start + SECONDS * 1000;
  const waits = sessions.map(() => [] as { sentAt: number; ms: number }[]);
  const traffic = sessions.map(({ token }, i) =>
    shopper(token, () => (i % 2 === 0 && aAlive ? a.url : b.url), b.url, end, waits[i] as { sentAt: number; ms: number }[]),
  );
  await sleep(KILL_AT_MS);
  a.child.kill('SIGKILL');
  aAlive = false;
  const killedAt = Date.now();
  await Promise.all(traffic);

  const stats = (side: 0 | 1) => {
    const w = waits.filter((_, i) => i % 2 === side).flat();
    const max = Math.max(...w.map((x) => x.ms));
    return { answers: w.length, max, maxPastModel: max - MODEL_MS };
  };
  const killed = stats(0);
  const survivor = stats(1);
  const delayedConversations = waits.filter((w, i) => i % 2 === 0 && w.some((x) => x.ms > MODEL_MS + 1000)).length;
  console.log(`lease ${LEASE_MS} ms, model ${MODEL_MS} ms, concurrency ${CONCURRENCY}, ${CONVERSATIONS} conversations, killed at ${killedAt - start} ms`);
  console.log(
    `killed instance's conversations: ${killed.answers} answers, ${delayedConversations} delayed > model + 1 s, max wait ${killed.max} ms (${killed.maxPastModel} ms past the model)`,
  );
  console.log(`survivor's conversations:        ${survivor.answers} answers, max wait ${survivor.max} ms`);
  // The questions in flight when the process died: how long after the death their answers came.
  const afterKill = waits
    .filter((_, i) => i % 2 === 0)
    .flat()
    .filter((x) => x.sentAt < killedAt)
    .map((x) => x.sentAt + x.ms - killedAt);
  const takeover = Math.max(...afterKill);
  console.log(
    `in-flight questions answered at most ${takeover} ms after the kill (model ${MODEL_MS} ms included): ratio to the lease ${(takeover / LEASE_MS).toFixed(2)}`,
  );

  b.child.kill('SIGTERM');
  await new Promise((r) => b.child.once('exit', r));
  await model.close();
  const admin = new PostgresDriver({ url: POSTGRES_URL });
  await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.close();
  rmSync(dir, { recursive: true, force: true });
}

await main();
