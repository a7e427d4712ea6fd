/**
 * bench:reports — every console report over a generated shop history: `--messages` messages
 * (default 1,000,000) in `--conversations` conversations (default 100,000) spread over `--days`
 * days (default 180), with the shape a shop has: seven channels and ten languages in uneven
 * shares, daytime peaks, ~20% handed to a person (reasons, teams, agents' replies, resolutions),
 * ratings, unsure answers over a long tail of questions, care messages with delivery statuses,
 * and daily translation/model usage. Rows are bulk-inserted in transactions through the store's
 * driver after the real migrations; then each report runs for the last 7 and 90 days, without
 * filters and with a channel, a language and a team filter, `--runs` times each (default 5).
 * Prints each report's p95 and, last, `reports: p95 <ms>` (the slowest report's p95).
 *
 *   npm run bench:reports [-- --store postgres] [--messages 1000000 --conversations 100000 --days 180 --runs 5]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Reports } from '../src/reports/index.js';
import { addDays } from '../src/reports/range.js';
import { REBUILD_ACTIVITY } from '../src/store/migrations.js';
import type { ReportFilters, ReportName } from '../src/reports/types.js';
import type { SqlValue } from '../src/store/driver.js';
import { PostgresDriver, type SqlDriver, SqliteDriver, SqlStore } from '../src/store/index.js';
import { numberArg } from './parley-process.js';

const MESSAGES = numberArg('messages', 1_000_000);
const CONVERSATIONS = numberArg('conversations', 100_000);
const DAYS = numberArg('days', 180);
const RUNS = numberArg('runs', 5);
const storeArg = process.argv.indexOf('--store');
const POSTGRES = storeArg > 0 && process.argv[storeArg + 1] === 'postgres';
// `--reuse <file or schema>`: measure a SQLite file or Postgres schema a previous run generated (and kept, `--keep`).
const reuseArg = process.argv.indexOf('--reuse');
const REUSE = reuseArg > 0 ? process.argv[reuseArg + 1] : undefined;
const KEEP = process.argv.includes('--keep');
const DAY = 86_400_000;
const LAST_DAY = '2026-06-30';
const END = Date.UTC(2026, 6, 1) - 2 * 3_600_000; // 2026-07-01 00:00 in Europe/Berlin (UTC+2)
const START = END - DAYS * DAY;

// A seeded generator: the same history every run.
let seed = 42;
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};
const pick = <T>(weighted: readonly (readonly [T, number])[]): T => {
  let r = random() * weighted.reduce((s, [, w]) => s + w, 0);
  for (const [value, w] of weighted) if ((r -= w) < 0) return value;
  return weighted[0]?.[0] as T;
};
const CHANNELS = [
  ['webchat', 35],
  ['whatsapp', 30],
  ['telegram', 12],
  ['messenger', 10],
  ['line', 5],
  ['wechat', 4],
  ['email', 4],
] as const;
const LANGUAGES = [
  ['en', 35],
  ['de', 15],
  ['es', 12],
  ['fr', 10],
  ['zh-CN', 8],
  ['ja', 6],
  ['pt', 5],
  ['it', 4],
  ['ko', 3],
  ['ar', 2],
] as const;
const REASONS = [
  ['shopper_request', 45],
  ['low_confidence', 25],
  ['emotion', 12],
  ['keyword:refund', 8],
  ['vip', 5],
  ['order_value', 3],
  ['repeated_complaint', 2],
] as const;
const TEAMS = ['t-en', 't-de', 't-asia'];
const AGENTS = Array.from({ length: 24 }, (_, i) => ({ id: `agent-${i}`, team: TEAMS[i % 3] as string }));
// Hours of the day (UTC) weighted like a European shop's traffic: quiet nights, busy evenings.
const HOURS = Array.from({ length: 24 }, (_, h) => [h, h < 5 ? 1 : h < 8 ? 3 : h < 17 ? 8 : h < 21 ? 10 : 4] as const);

function open(): { driver: SqlDriver; cleanup(): Promise<void> } {
  if (POSTGRES) {
    const url = process.env.PARLEY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
    const schema = REUSE ?? `parley_bench_reports_${process.pid}`;
    if (KEEP) console.log(`schema: ${schema}`);
    const driver = new PostgresDriver({ url, schema });
    return {
      driver,
      async cleanup() {
        await driver.close();
        if (REUSE) return;
        const admin = new PostgresDriver({ url });
        await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await admin.close();
      },
    };
  }
  if (REUSE) return { driver: new SqliteDriver({ path: REUSE }), cleanup: async () => undefined };
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-reports-'));
  const driver = new SqliteDriver({ path: join(dir, 'parley.db') });
  if (KEEP) console.log(`database: ${join(dir, 'parley.db')}`);
  return { driver, cleanup: async () => (await driver.close(), rmSync(dir, { recursive: true, force: true })) };
}

/** Buffers rows per table and writes them as multi-row INSERTs, a transaction per flush. */
class Bulk {
  private readonly rows = new Map<string, SqlValue[][]>();
  private pending = 0;
  count = 0;
  constructor(private readonly driver: SqlDriver) {}

  add(table: string, row: SqlValue[]): Promise<void> | undefined {
    const list = this.rows.get(table) ?? [];
    list.push(row);
    this.rows.set(table, list);
    this.count++;
    return ++this.pending >= 50_000 ? this.flush() : undefined;
  }

  async flush(): Promise<void> {
    // Parents before children (foreign keys): the order of COLUMNS.
    const batches = Object.values(COLUMNS).flatMap((table) => (this.rows.has(table) ? [[table, this.rows.get(table) as SqlValue[][]] as const] : []));
    this.rows.clear();
    this.pending = 0;
    await this.driver.transaction(async (tx) => {
      for (const [table, rows] of batches) {
        const width = rows[0]?.length ?? 0;
        const per = Math.floor(30_000 / width);
        for (let i = 0; i < rows.length; i += per) {
          const chunk = rows.slice(i, i + per);
          const values = chunk.map(() => `(${Array(width).fill('?').join(', ')})`).join(', ');
          await tx.run(`INSERT INTO ${table} VALUES ${values}`, chunk.flat());
        }
      }
    });
  }
}

const COLUMNS: Record<string, string> = {
  shoppers: 'shoppers (id, display_name, language, customer_ref, created_at, updated_at)',
  conversations: 'conversations (id, shopper_id, channel_id, conv_key, ref_json, state, language, offered_json, last_inbound_at, created_at, updated_at)',
  messages:
    'messages (id, conversation_id, seq, direction, role, parts_json, original_text, translated_text, language, status, client_id, platform_message_id, created_at, provider, redaction)',
  message_authors: 'message_authors (message_id, agent_id, language)',
  report_events: 'report_events (conversation_id, kind, reason, team_id, agent_id, question, example, at)',
  ratings: 'ratings (conversation_id, agent_id, rating, comment, created_at)',
  care_messages:
    'care_messages (id, kind, category, shopper_id, customer_ref, order_id, payload_json, status, reason, conversation_id, channel_id, language, message_id, attempts, scheduled_for, created_at, updated_at)',
  usage_daily: 'usage_daily (day, kind, provider, characters, tokens, requests)',
  report_latency: 'report_latency (day, channel_id, language, le_ms, replies, total_ms)',
};

/** One conversation's messages and facts; returns how many messages it wrote. */
async function conversation(bulk: Bulk, n: number, budget: number): Promise<number> {
  const id = `c${n}`;
  const channel = pick(CHANNELS);
  const language = pick(LANGUAGES);
  const day = Math.floor(random() * DAYS);
  let at = START + day * DAY + pick(HOURS) * 3_600_000 + Math.floor(random() * 3_600_000);
  await bulk.add(COLUMNS.shoppers as string, [`s${n}`, null, language, null, at, at]);
  await bulk.add(COLUMNS.conversations as string, [id, `s${n}`, channel, `${channel}:${id}`, '{}', 'bot', language, null, at, at, at]);
  let seq = 0;
  const message = async (role: string, when: number): Promise<string> => {
    seq++;
    const direction = role === 'shopper' ? 'in' : 'out';
    const status = direction === 'in' ? 'received' : 'delivered';
    await bulk.add(COLUMNS.messages as string, [`${id}-${seq}`, id, seq, direction, role, '[]', 'x', null, language, status, null, null, when, null, 0]);
    return `${id}-${seq}`;
  };
  const handedOff = random() < 0.2;
  const turns = Math.max(1, Math.round((budget / 2) * (handedOff ? 0.4 : 1)));
  for (let t = 0; t < turns; t++) {
    await message('shopper', at);
    at += 800 + Math.floor(random() * 2500);
    await message('bot', at);
    if (random() < 0.06) {
      const q = Math.floor(Math.pow(random(), 3) * 2000);
      await bulk.add(COLUMNS.report_events as string, [id, 'unsure', null, null, null, `question number ${q}`, `Question number ${q}?`, at]);
    }
    at += 20_000 + Math.floor(random() * 120_000);
  }
  if (handedOff) await handoff(bulk, id, language, at, message);
  return seq;
}

async function handoff(bulk: Bulk, id: string, language: string, start: number, message: (role: string, at: number) => Promise<string>) {
  const agent = AGENTS[Math.floor(random() * AGENTS.length)] as (typeof AGENTS)[number];
  let at = start;
  await bulk.add(COLUMNS.report_events as string, [id, 'handoff', pick(REASONS), agent.team, null, null, null, at]);
  at += 30_000 + Math.floor(random() * 1_800_000);
  await bulk.add(COLUMNS.report_events as string, [id, 'answered', null, agent.team, agent.id, null, null, at]);
  for (let i = 0; i < 3; i++) {
    await bulk.add(COLUMNS.message_authors as string, [await message('agent', at), agent.id, language]);
    at += 60_000 + Math.floor(random() * 300_000);
    await message('shopper', at);
    at += 30_000;
  }
  if (random() < 0.8) {
    await bulk.add(COLUMNS.report_events as string, [id, 'resolved', null, agent.team, agent.id, null, null, at]);
    if (random() < 0.5) await bulk.add(COLUMNS.ratings as string, [id, agent.id, 1 + Math.floor(Math.pow(random(), 0.5) * 5), null, at + 60_000]);
  }
}

async function generate(driver: SqlDriver): Promise<{ messages: number; ms: number }> {
  const started = performance.now();
  const bulk = new Bulk(driver);
  await driver.transaction(async (tx) => {
    for (const [i, team] of TEAMS.entries())
      await tx.run('INSERT INTO teams (id, name, settings_json, updated_at) VALUES (?, ?, ?, 0)', [team, `Team ${i}`, '{}']);
    for (const a of AGENTS)
      await tx.run(
        `INSERT INTO agents (id, email, name, role, password_hash, language, languages_json, skills_json, team_id, created_at, updated_at)
         VALUES (?, ?, ?, 'agent', 'x', 'en', '[]', '[]', ?, 0, 0)`,
        [a.id, `${a.id}@shop.test`, a.id, a.team],
      );
  });
  let messages = 0;
  for (let n = 0; n < CONVERSATIONS; n++) {
    const left = MESSAGES - messages;
    const budget = Math.max(2, Math.round((left / (CONVERSATIONS - n)) * (0.4 + random() * 1.2)));
    messages += await conversation(bulk, n, budget);
  }
  await care(bulk);
  await bulk.flush();
  // The store keeps report_activity as messages are written; after a bulk load it is rebuilt at once.
  await driver.exec(REBUILD_ACTIVITY);
  return { messages, ms: performance.now() - started };
}

/** Care messages (order updates) with delivery outcomes, and daily translation and model usage. */
async function care(bulk: Bulk): Promise<void> {
  const statuses = [
    ['sent', 85],
    ['held', 5],
    ['skipped', 6],
    ['undeliverable', 4],
  ] as const;
  for (let i = 0; i < CONVERSATIONS / 2; i++) {
    const at = START + Math.floor(random() * DAYS * DAY);
    const template = pick([
      ['order_confirmed', 4],
      ['order_shipped', 3],
      ['order_delivered', 3],
      ['feedback_request', 2],
    ] as const);
    const conv = `c${Math.floor(random() * CONVERSATIONS)}`;
    const status = pick(statuses);
    const message = status === 'sent' ? `${conv}-1` : null;
    await bulk.add(COLUMNS.care_messages as string, [
      `k${i}`,
      template,
      'transactional',
      null,
      null,
      null,
      JSON.stringify({ template, vars: {} }),
      status,
      null,
      conv,
      pick(CHANNELS),
      pick(LANGUAGES),
      message,
      0,
      null,
      at,
      at,
    ]);
  }
  for (let d = 0; d < DAYS; d++) {
    const day = addDays(LAST_DAY, d - DAYS + 1);
    for (const provider of ['deepl', 'google', 'openai'])
      await bulk.add(COLUMNS.usage_daily as string, [day, 'translation', provider, Math.floor(random() * 2e6), 0, 2000]);
    await bulk.add(COLUMNS.usage_daily as string, [day, 'model', 'openai', 0, Math.floor(random() * 5e6), 3000]);
    for (const [channel] of CHANNELS)
      for (const [language] of LANGUAGES)
        for (const le of [1000, 2000, 3000, 5000, 8000]) await bulk.add(COLUMNS.report_latency as string, [day, channel, language, le, 20, 20 * (le - 400)]);
  }
}

const p95 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.max(0, Math.ceil(values.length * 0.95) - 1)] ?? 0;

async function measure(reports: Reports): Promise<Map<ReportName, number[]>> {
  const names: ReportName[] = ['volume', 'containment', 'handoffs', 'response-times', 'csat', 'care', 'usage', 'unanswered'];
  const filters: Partial<ReportFilters>[] = [{}, { channel: 'whatsapp' }, { language: 'de' }, { team: 't-de' }];
  const times = new Map<ReportName, number[]>(names.map((n) => [n, []]));
  for (let run = 0; run < RUNS; run++)
    for (const days of [7, 90])
      for (const filter of filters)
        for (const name of names) {
          const started = performance.now();
          await reports.run(name, { from: addDays(LAST_DAY, 1 - days), to: LAST_DAY, timeZone: 'Europe/Berlin', ...filter });
          times.get(name)?.push(performance.now() - started);
        }
  return times;
}

async function main(): Promise<void> {
  const { driver, cleanup } = open();
  try {
    await new SqlStore(driver).migrate();
    const generated = REUSE ? { messages: MESSAGES, ms: 0 } : await generate(driver);
    const analyzed = performance.now();
    await driver.exec(POSTGRES ? 'VACUUM ANALYZE' : 'ANALYZE');
    console.log(
      `${POSTGRES ? 'postgres' : 'sqlite'}: ${generated.messages.toLocaleString('en')} messages, ${CONVERSATIONS.toLocaleString('en')} conversations over ${DAYS} days ` +
        `generated in ${(generated.ms / 1000).toFixed(1)} s, analyzed in ${((performance.now() - analyzed) / 1000).toFixed(1)} s`,
    );
    const times = await measure(new Reports(driver.reader(), { currency: 'USD', prices: { deepl: { perMillionCharacters: 20, perMillionTokens: 0 } } }));
    let worst = 0;
    for (const [name, values] of times) {
      const p = p95(values);
      worst = Math.max(worst, p);
      console.log(
        `${name.padEnd(15)} p95 ${p.toFixed(1).padStart(7)} ms  (median ${[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]?.toFixed(1)} ms, ${values.length} runs)`,
      );
    }
    console.log(`reports: p95 ${worst.toFixed(1)}`);
  } finally {
    if (!KEEP) await cleanup();
    else if (!REUSE) console.log('kept the database (--keep)');
    else await driver.close();
  }
}

await main();
