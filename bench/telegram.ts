/**
 * bench:telegram — end-to-end turns through Parley's Telegram adapter (webhook in, knowledge-base
 * answer, sendMessage out to a local Bot API server), against a durable minimal bot
 * (bench/durable-bot.ts: telegraf webhook, the update committed before the 200 and deduplicated
 * on update_id, the outbound row committed before sendMessage, the delivery recorded) on the same
 * store, driven with the same traffic in the same run:
 *
 * - closed loop: `--chats` shoppers each send, wait for the answer, send again (a warm-up round,
 *   then `--seconds` per bot, interleaved, `--rounds` times: the round with the median ratio is
 *   the result, steadier on a shared machine);
 * - open loop at 200 and 500 updates/s for `--open-seconds` each, sent whatever the replies do:
 *   latency from POST to the reply at the local Bot API, p50/p99, and replies per update
 *   (duplicates, missing); `--open-seconds 0` skips it;
 * - CPU time per closed-loop turn of each process (user + system, from /proc): the cost of a turn,
 *   steadier than turns per second on a busy machine; on Postgres also the database server's;
 * - resident memory of both processes at the end (peak and now); `--turns 40000` first tops each
 *   bot up with closed-loop turns until it has answered that many.
 *
 * The last line: `telegram: parley <t/s> durable <t/s> ratio <r> open500 p99 <ms>`.
 *
 *   npm run bench:telegram [-- --store sqlite|postgres --seconds 5 --chats 32 --rounds 1 --open-seconds 10 --turns 0]
 *
 * Postgres: PARLEY_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test); each bot
 * gets its own schema, dropped at the end.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { cpuMs, freePort, numberArg, postgresCpuMs, rssMiB, startChild, startParley } from './parley-process.js';
import { closeConnections, type OpenLoopResult, postJson, ReplySink, runOpenLoop, runTurns } from './turns.js';

const seconds = numberArg('seconds', 5);
const chats = numberArg('chats', 32);
const openSeconds = numberArg('open-seconds', 10);
const topUpTurns = numberArg('turns', 0);
const rounds = Math.max(1, Math.round(numberArg('rounds', 1)));
const storeArg = process.argv.indexOf('--store');
const store = storeArg > 0 ? (process.argv[storeArg + 1] ?? '') : 'sqlite';
if (store !== 'sqlite' && store !== 'postgres') throw new Error(`--store must be sqlite or postgres, not "${store}"`);
const POSTGRES_URL = process.env.PARLEY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const TOKEN = '123456:BENCH-token';
const SECRET = 'bench-secret';

function postUpdate(port: number, path: string, chat: string, i: number): Promise<number> {
  const body = JSON.stringify({
    update_id: 1_000_000 + i,
    message: {
      message_id: i + 1,
      date: Math.floor(Date.now() / 1000),
      chat: { id: Number(chat), type: 'private' },
      from: { id: Number(chat), is_bot: false, first_name: 'Ana', language_code: 'en' },
      text: 'How long does shipping to Germany take?',
    },
  });
  return postJson(port, path, body, { 'x-telegram-bot-api-secret-token': SECRET });
}

interface Bot {
  name: string;
  pid: number;
  send(chat: string, i: number): Promise<number>;
  /** Turns answered so far (closed loop) and replies seen (open loop). */
  turns: number;
}

async function startDurable(sink: ReplySink, dir: string, schema: string): Promise<{ bot: Bot; child: ChildProcess }> {
  const port = await freePort();
  const env = {
    PORT: String(port),
    TOKEN,
    SECRET,
    API_ROOT: sink.url,
    STORE: store,
    DB_PATH: join(dir, 'durable.db'),
    PG_URL: POSTGRES_URL,
    PG_SCHEMA: schema,
  };
  const child = await startChild(['--import', 'tsx', 'bench/durable-bot.ts'], env, 'listening');
  return { child, bot: { name: 'durable', pid: child.pid ?? 0, turns: 0, send: (chat, i) => postUpdate(port, '/webhook', chat, i) } };
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
const describe = (r: OpenLoopResult) =>
  `p50 ${fmt(r.p50)} ms, p99 ${fmt(r.p99)} ms, max ${fmt(r.max)} ms; ${r.sent} sent, ${r.replied} answered once, ` +
  `${r.duplicates} duplicate replies, ${r.missing} unanswered after the 30 s drain, ${r.rejected} not acknowledged`;

type Closed = Awaited<ReturnType<typeof closedLoop>>;

async function closedLoop(bot: Bot, sink: ReplySink, durationMs: number) {
  const cpu = cpuMs(bot.pid);
  const db = store === 'postgres' ? postgresCpuMs() : 0;
  const result = await runTurns({ chats, durationMs, sink, send: bot.send });
  bot.turns += result.turns;
  const turns = Math.max(1, result.turns);
  return { ...result, cpuPerTurn: (cpuMs(bot.pid) - cpu) / turns, dbCpuPerTurn: store === 'postgres' ? (postgresCpuMs() - db) / turns : undefined };
}

async function openLoop(bot: Bot, sink: ReplySink, rate: number, firstChat: number): Promise<OpenLoopResult> {
  const result = await runOpenLoop({ rate, durationMs: openSeconds * 1000, sink, firstChat, send: bot.send });
  bot.turns += result.replied;
  console.log(`open ${rate}/s ${bot.name.padEnd(7)}: ${describe(result)}`);
  return result;
}

async function main(): Promise<void> {
  const sink = await new ReplySink(
    (path, body) => (path.endsWith('/sendMessage') ? String(JSON.parse(body).chat_id) : undefined),
    (path) => (path.endsWith('/sendMessage') ? { ok: true, result: { message_id: 1, date: 1, chat: { id: 1, type: 'private' } } } : { ok: true, result: true }),
  ).start();
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-telegram-'));
  const schemas = { parley: `parley_bench_tg_${process.pid}`, durable: `durable_bench_tg_${process.pid}` };
  const parleyStorage =
    store === 'postgres'
      ? `{ driver: postgres, postgres: { url: "${POSTGRES_URL}", schema: ${schemas.parley} }, dataDir: "${join(dir, 'parley')}" }`
      : undefined;
  const parley = await startParley(
    [
      'channels:',
      '  tg:',
      '    type: telegram',
      `    token: "${TOKEN}"`,
      `    secretToken: ${SECRET}`,
      `    apiRoot: "${sink.url}"`,
      // Telegram's 30 messages/s per bot is a broadcast limit; neither bot paces here.
      '    rateLimit: { perChatPerSecond: 1000, perBotPerSecond: 100000 }',
    ],
    parleyStorage,
  );
  const ours: Bot = { name: 'parley', pid: parley.pid, turns: 0, send: (chat, i) => postUpdate(parley.port, '/webhooks/tg', chat, i) };
  let durable: ChildProcess | undefined;
  try {
    const started = await startDurable(sink, dir, schemas.durable);
    durable = started.child;
    const baseline = started.bot;
    console.log(`store: ${store}; closed loop ${chats} chats, ${seconds} s per bot after a warm-up, ${rounds} round(s); open loop ${openSeconds} s per rate`);
    await closedLoop(baseline, sink, seconds * 1000);
    await closedLoop(ours, sink, seconds * 1000);
    // Rounds alternate the bots, so a shared machine's slow spell weighs on both; the round with
    // the median ratio is the result.
    const closed: { base: Closed; ours: Closed; ratio: number }[] = [];
    for (let round = 1; round <= rounds; round++) {
      const base = await closedLoop(baseline, sink, seconds * 1000);
      const mine = await closedLoop(ours, sink, seconds * 1000);
      closed.push({ base, ours: mine, ratio: mine.perSecond / base.perSecond });
      for (const [name, r] of [
        ['durable', base],
        ['parley ', mine],
      ] as const) {
        const db = r.dbCpuPerTurn === undefined ? '' : `, Postgres server CPU ${r.dbCpuPerTurn.toFixed(2)} ms`;
        const which = rounds > 1 ? ` (round ${round})` : '';
        console.log(`closed ${name}${which}: ${r.perSecond.toFixed(0)} turns/s (${r.failures} failed), CPU ${r.cpuPerTurn.toFixed(2)} ms per turn${db}`);
      }
    }
    const median = [...closed].sort((a, b) => a.ratio - b.ratio)[Math.floor((closed.length - 1) / 2)] as (typeof closed)[number];
    if (rounds > 1) console.log(`closed ratios by round: ${closed.map((c) => c.ratio.toFixed(3)).join(', ')}; median ${median.ratio.toFixed(3)}`);
    const { base: closedBase, ours: closedOurs } = median;
    let open500: OpenLoopResult | undefined;
    if (openSeconds > 0) {
      for (const rate of [200, 500]) {
        await openLoop(baseline, sink, rate, rate * 1000);
        const result = await openLoop(ours, sink, rate, rate * 1000);
        if (rate === 500) open500 = result;
      }
    }
    for (const bot of [baseline, ours]) {
      while (bot.turns < topUpTurns) {
        const round = await closedLoop(bot, sink, Math.min(10_000, ((topUpTurns - bot.turns) / 200) * 1000 + 500));
        if (round.turns === 0) break;
      }
      const rss = rssMiB(bot.pid);
      console.log(`rss ${bot.name.padEnd(7)}: ${rss.now.toFixed(0)} MiB now, ${rss.peak.toFixed(0)} MiB peak, after ${bot.turns} turns`);
    }
    const ratio = median.ratio;
    console.log(
      `telegram: parley ${closedOurs.perSecond.toFixed(0)} durable ${closedBase.perSecond.toFixed(0)} ratio ${ratio.toFixed(3)} open500 p99 ${open500 ? fmt(open500.p99) : '-'}`,
    );
  } finally {
    await parley.stop();
    if (durable) await stopChild(durable);
    closeConnections();
    await sink.stop();
    rmSync(dir, { recursive: true, force: true });
    if (store === 'postgres') {
      const admin = new pg.Client({ connectionString: POSTGRES_URL });
      await admin.connect();
      for (const schema of Object.values(schemas)) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  }
}

await main();
