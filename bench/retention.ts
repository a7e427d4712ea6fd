/**
 * bench:retention — what the retention sweep and an erasure cost, and whether acknowledgements
 * wait for them. On a database seeded with `--messages` old messages (and as many inbound
 * events, outbox rows and translation-memory entries), it measures:
 * - acknowledgement latency (`store.acceptInbound`, what a webhook waits for) while idle and
 *   while the sweep works through the backlog: the last line prints the p99 ratio;
 * - the sweep's throughput, with the default pause and without;
 * - erasing one shopper with `--own` messages among all the others.
 *
 *   node --import tsx bench/retention.ts [--messages 50000 --own 1000 --postgres]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../src/core/ports.js';
import { createPrivacy, createRetention, type RetentionSettings } from '../src/privacy/index.js';
import { PostgresDriver, type SqlDriver, SqliteDriver, SqlStore } from '../src/store/index.js';
import { numberArg } from './parley-process.js';

const DAY = 86_400_000;
const NOW = Date.now();
const messages = numberArg('messages', 50_000);
const own = numberArg('own', 1000);
const postgres = process.argv.includes('--postgres');
const PER_CONVERSATION = 50;
const text = 'Hola, mi pedido PS-100234 no ha llegado todavía y la dirección es Calle Mayor 5, 28013 Madrid. ¿Pueden revisarlo? Gracias.';

function open(): { driver: SqlDriver; file?: string; cleanup(): Promise<void> } {
  if (postgres) {
    const url = process.env.PARLEY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
    const schema = `parley_bench_${process.pid}`;
    const driver = new PostgresDriver({ url, schema });
    return {
      driver,
      async cleanup() {
        await driver.close();
        const admin = new PostgresDriver({ url });
        await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await admin.close();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-retention-'));
  const file = join(dir, 'parley.db');
  const driver = new SqliteDriver({ path: file });
  return { driver, file, cleanup: async () => (await driver.close(), rmSync(dir, { recursive: true, force: true })) };
}

/** Conversations of `PER_CONVERSATION` messages each, `daysAgo` old, with their events, replies and translations. */
async function seed(driver: SqlDriver, prefix: string, count: number, daysAgo: number, shopperId?: string): Promise<void> {
  const at = NOW - daysAgo * DAY;
  for (let c = 0; c * PER_CONVERSATION < count; c++) {
    await driver.transaction(async (tx) => {
      const shopper = shopperId ?? `${prefix}-s${c}`;
      const conv = `${prefix}-c${c}`;
      const ref = JSON.stringify({ channelId: 'telegram', chatId: conv, userId: shopper });
      await tx.run('INSERT INTO shoppers (id, customer_ref, created_at, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING', [
        shopper,
        shopper,
        at,
        at,
      ]);
      await tx.run('INSERT INTO identities (channel_id, platform_user_id, shopper_id, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING', [
        'telegram',
        shopper,
        shopper,
        at,
      ]);
      await tx.run(
        `INSERT INTO conversations (id, shopper_id, channel_id, conv_key, ref_json, state, created_at, updated_at) VALUES (?, ?, 'telegram', ?, ?, 'bot', ?, ?)`,
        [conv, shopper, `telegram:${conv}`, ref, at, at],
      );
      for (let m = 0; m < PER_CONVERSATION; m++) {
        const id = `${conv}-m${m}`;
        const parts = JSON.stringify([{ kind: 'text', text }, ...(m % 10 === 0 ? [{ kind: 'image', url: `platform:${id}` }] : [])]);
        await tx.run(
          `INSERT INTO messages (id, conversation_id, seq, direction, role, parts_json, original_text, translated_text, status, created_at)
           VALUES (?, ?, ?, 'in', 'shopper', ?, ?, ?, 'received', ?)`,
          [id, conv, m + 1, parts, text, `EN ${text}`, at],
        );
        const event = JSON.stringify({ type: 'message', channelId: 'telegram', eventId: id, ref: JSON.parse(ref), parts: JSON.parse(parts), raw: { text } });
        await tx.run(
          `INSERT INTO inbox (channel_id, event_id, conv_key, event_json, status, received_at, processed_at) VALUES ('telegram', ?, ?, ?, 'done', ?, ?)`,
          [id, `telegram:${conv}`, event, at, at],
        );
        const out = await tx.get<{ id: number }>(
          `INSERT INTO outbox (idempotency_key, conversation_id, message_id, seq, role, channel_id, ref_json, message_json, status, next_attempt_at, created_at, updated_at)
           VALUES (?, ?, ?, ?, 'bot', 'telegram', ?, ?, 'sent', ?, ?, ?) RETURNING id`,
          [`${id}:0`, conv, id, m + 1, ref, parts, at, at, at],
        );
        await tx.run('INSERT INTO delivery_attempts (outbox_id, attempt, at, ok) VALUES (?, 1, ?, 1)', [out?.id ?? 0, at]);
        await tx.run(
          `INSERT INTO translation_memory (key, provider, source_lang, target_lang, translated_text, created_at) VALUES (?, 'deepl', 'es', 'en', ?, ?)`,
          [`k-${id}`, `EN ${text}`, at],
        );
        await tx.run('INSERT INTO translation_sources (key, conversation_id, created_at) VALUES (?, ?, ?)', [`k-${id}`, conv, at]);
      }
    });
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Acknowledgement latencies (ms) of `n` single accepts, one after another, while `during` runs. */
async function acks(store: SqlStore, label: string, n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    await store.acceptInbound(
      [
        {
          type: 'message',
          channelId: 'telegram',
          eventId: `${label}-${i}`,
          ref: { channelId: 'telegram', chatId: `live-${i % 50}`, userId: `u${i}` },
          timestamp: NOW,
          parts: [{ kind: 'text', text }],
        },
      ],
      Date.now(),
    );
    times.push(performance.now() - started);
    await new Promise((r) => setTimeout(r, 2));
  }
  return times.sort((a, b) => a - b);
}

const settings: RetentionSettings = {
  messageText: 365 * DAY,
  attachments: 90 * DAY,
  translationMemory: 90 * DAY,
  closedConversations: 730 * DAY,
  deliveryRecords: 30 * DAY,
  every: 3_600_000,
  batchSize: 500,
  pauseMs: 200,
};

async function main(): Promise<void> {
  const db = open();
  const store = new SqlStore(db.driver);
  await store.migrate();
  console.log(`seeding ${messages} messages 400 days old (${postgres ? 'postgres' : 'sqlite'})…`);
  let t = performance.now();
  await seed(db.driver, 'old', messages, 400);
  await seed(db.driver, 'ana', own, 10, 'ana');
  console.log(`seeded in ${((performance.now() - t) / 1000).toFixed(1)} s${db.file ? `, file ${(statSync(db.file).size / 1e6).toFixed(0)} MB` : ''}`);

  const privacy = createPrivacy({ driver: db.driver, clock: { now: () => Date.now() }, log: silentLogger });
  t = performance.now();
  const erased = await privacy.erase({ by: 'ref', value: 'ana' }, 'bench');
  console.log(
    `erasure of one shopper with ${own} messages: ${(performance.now() - t).toFixed(0)} ms (${erased.counts.messages} messages, ${erased.counts.inboundEvents} events, ${erased.counts.translationMemory} translations)`,
  );

  const idle = await acks(store, 'idle', 400);
  const retention = createRetention({ driver: db.driver, clock: { now: () => NOW }, log: silentLogger, settings });
  t = performance.now();
  const sweeping = retention.sweep();
  const during = await acks(store, 'sweep', 400);
  const removed = await sweeping;
  const sweepMs = performance.now() - t;
  const rows = Object.values(removed).reduce((a, b) => a + b, 0);
  console.log(`sweep (batches of 500, 200 ms apart): ${rows} rows in ${(sweepMs / 1000).toFixed(1)} s: ${JSON.stringify(removed)}`);

  // Now conversations closed 800 days ago: whole conversations go, without pauses.
  await seed(db.driver, 'again', messages, 800);
  t = performance.now();
  const sweepingFast = createRetention({ driver: db.driver, clock: { now: () => NOW }, log: silentLogger, settings: { ...settings, pauseMs: 0 } }).sweep();
  const duringFast = await acks(store, 'fast', 400);
  const fast = await sweepingFast;
  const fastRows = Object.values(fast).reduce((a, b) => a + b, 0);
  console.log(`removed: ${JSON.stringify(fast)}`);
  console.log(
    `sweep without pauses (conversations closed 800 days ago): ${fastRows} rows in ${((performance.now() - t) / 1000).toFixed(1)} s (${(fastRows / ((performance.now() - t) / 1000)).toFixed(0)} rows/s)`,
  );
  if (db.file)
    console.log(`file after both sweeps: ${(statSync(db.file).size / 1e6).toFixed(0)} MB (SQLite reuses the freed pages; VACUUM returns them to the disk)`);

  const fmt = (xs: number[]) => `p50 ${percentile(xs, 50).toFixed(2)} ms, p99 ${percentile(xs, 99).toFixed(2)} ms, max ${(xs.at(-1) ?? 0).toFixed(2)} ms`;
  console.log(`acknowledgements idle:          ${fmt(idle)}`);
  console.log(`acknowledgements during sweep:  ${fmt(during)}`);
  console.log(`  … without pauses:             ${fmt(duringFast)}`);
  console.log(`ratio (p99 during sweep / idle): ${(percentile(during, 99) / percentile(idle, 99)).toFixed(2)}`);
  await db.cleanup();
}

await main();
