/**
 * A chaos run: three gateway processes on one fresh Postgres schema with the same channels
 * (Telegram, WhatsApp Cloud, LINE, web chat); webhooks from several chats, a share redelivered;
 * web chat shoppers on sockets to random instances; platform APIs failing a share of their
 * calls; every few seconds one instance killed with SIGKILL and started again on its port.
 * After a drain with every instance up, counts what shoppers would notice (see count.ts).
 * Used by test/e2e/chaos.test.ts (bounded) and `npm run chaos` (test/chaos/run.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../bench/parley-process.js';
import { PostgresDriver } from '../../src/store/index.js';
import { migrate } from '../../src/store/migrations.js';
import { ModelServer, shopperText } from '../support/model-server.js';
import { type Instance, makeInstances } from './cluster.js';
import { arrivalsOf, emptyTally, lateReplies, report, type StoredReply, type Tally, tallyChat } from './count.js';
import { type Platform, PlatformPeers } from './peers.js';
import { answerNumber, platformChat, refTag, sleep, WebchatShopper, type WebhookCounts } from './traffic.js';

/** How hard a run shakes the cluster. */
export interface ChaosOptions {
  /** Seconds of traffic and kills; then the drain. */
  seconds: number;
  /** Chats per platform (Telegram, WhatsApp, LINE). */
  chats: number;
  /** Web chat shoppers. */
  shoppers: number;
  instances: number;
  /** A kill every `killEveryMs[0]`..`[1]` ms; the instance restarts after a pause. */
  killEveryMs: [number, number];
  /** Share of platform API calls that fail (429, 500 or a hang past the timeout). */
  failRate: number;
  /** Share of webhooks delivered twice. */
  redeliver: number;
  /** The gateways' `queue:` block. */
  queue: { leaseMs: number; concurrency: number; maxAttempts: number; retryBaseMs: number; pollMs: number };
  /** At most this long after the traffic for every answer to arrive. */
  drainMs: number;
  /** Progress lines. */
  log(line: string): void;
}

export const defaultOptions: ChaosOptions = {
  seconds: 25,
  chats: 3,
  shoppers: 3,
  instances: 3,
  killEveryMs: [3000, 5000],
  failRate: 0.2,
  redeliver: 0.3,
  queue: { leaseMs: 4000, concurrency: 16, maxAttempts: 12, retryBaseMs: 200, pollMs: 250 },
  drainMs: 45_000,
  log: () => undefined,
};

/** What a run measured. */
export interface ChaosResult {
  tallies: Record<'telegram' | 'whatsapp' | 'line' | 'webchat', Tally>;
  kills: number;
  /** Every problem found, one line each (empty on a clean run). */
  problems: string[];
  /** The printed summary; its last line starts with `chaos:`. */
  summary: string;
}

const POSTGRES_URL = process.env.PARLEY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const between = (min: number, max: number) => min + Math.random() * (max - min);

/**
 * The local model answers every numbered question with the first section it was given,
 * tagged with the question's number spelled in letters (`Ref bc` for 12): the guardrails
 * check figures against the sources, so the tag carries no digits.
 */
function echoModel(): ModelServer {
  return new ModelServer(
    (req) => {
      const n = /Question (\d+)/.exec(shopperText(req))?.[1] ?? '0';
      const user = [...req.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
      const section = /<section title="([^"]*)">\n([\s\S]*?)\n<\/section>/.exec(user);
      const body = section ? `${section[2]}\nSOURCES: ${section[1]}` : 'UNKNOWN';
      return { delayMs: Math.round(between(20, 300)), content: `Ref ${refTag(Number(n))}. ${body}` };
    },
    { record: false },
  );
}

/**
 * Kills a random live instance every few seconds until `end` (never the last one standing) and
 * starts it again after a pause, while the next kill's clock already runs.
 */
async function killer(instances: Instance[], end: number, options: ChaosOptions, kills: number[]): Promise<void> {
  const restarts: Promise<void>[] = [];
  for (;;) {
    await sleep(between(...options.killEveryMs));
    if (Date.now() >= end) break;
    const live = instances.filter((i) => i.alive);
    const victim = live[Math.floor(Math.random() * live.length)];
    if (!victim || live.length < 2) continue;
    kills.push(Date.now());
    await victim.kill();
    options.log(`killed ${victim.name} (kill ${kills.length})`);
    restarts.push(sleep(between(300, 1500)).then(() => victim.start()));
  }
  await Promise.all(restarts);
}

/** Runs the whole scenario and tallies it; cleans up its processes, servers and schema. */
export async function runChaos(overrides: Partial<ChaosOptions> = {}): Promise<ChaosResult> {
  const options = { ...defaultOptions, ...overrides };
  const schema = `parley_chaos_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const dir = mkdtempSync(join(tmpdir(), 'parley-chaos-'));
  const peers = await new PlatformPeers(options.failRate).start();
  const model = await echoModel().start();
  const ports = await Promise.all(Array.from({ length: options.instances }, () => freePort()));
  const queue = Object.entries(options.queue)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
  const urls = { telegram: peers.url('telegram'), whatsapp: peers.url('whatsapp'), line: peers.url('line'), model: model.url };
  const instances = makeInstances(options.instances, ports, schema, dir, urls, queue);
  const shoppers: WebchatShopper[] = [];
  try {
    // Migrated here first: the instances then start together (migrations take no lock against each other).
    const migrator = new PostgresDriver({ url: POSTGRES_URL, schema });
    await migrate(migrator).finally(() => migrator.close());
    await Promise.all(instances.map((i) => i.start()));
    options.log(`${instances.length} gateways up on schema ${schema}`);
    const pool = () => instances.filter((i) => i.alive);
    const end = Date.now() + options.seconds * 1000;
    const kills: number[] = [];
    const hooks: WebhookCounts = { posts: 0, redeliveries: 0, refused: 0 };
    const chats = (['telegram', 'whatsapp', 'line'] as Platform[]).flatMap((platform) =>
      Array.from({ length: options.chats }, (_, i) => ({ platform, chat: chatId(platform, i), count: 0 })),
    );
    for (let i = 0; i < options.shoppers; i++) shoppers.push(new WebchatShopper(pool));
    await Promise.all(shoppers.map((s) => s.open()));
    const sent = new Map<WebchatShopper, number>();
    await Promise.all([
      killer(instances, end, options, kills),
      ...chats.map(async (c) => (c.count = await platformChat(pool, c.platform, c.chat, end, options.redeliver, hooks))),
      ...shoppers.map(async (s) => sent.set(s, await s.run(end))),
    ]);
    await Promise.all(instances.filter((i) => !i.alive).map((i) => i.start()));
    options.log(`traffic over: ${kills.length} kills, ${hooks.posts} webhook posts (${hooks.redeliveries} redeliveries, ${hooks.refused} refused); draining`);

    const db = new PostgresDriver({ url: POSTGRES_URL, schema });
    try {
      const complete = async () => {
        for (const c of chats) {
          const ns = new Set(arrivalsOf(peers.sent, c.platform, c.chat).map((a) => a.n));
          for (let n = 1; n <= c.count; n++) if (!ns.has(n)) return false;
        }
        for (const s of shoppers) {
          const replies = await storedReplies(db, s.conversationId);
          if (replies.length < (sent.get(s) ?? 0) || replies.some((r) => !s.seen.has(r.id))) return false;
        }
        return true;
      };
      const drainEnd = Date.now() + options.drainMs;
      while (!(await complete()) && Date.now() < drainEnd) await sleep(250);
      // Anything still in flight (a second send of a reply) lands now.
      await sleep(1500);
      options.log(`drained in ${Math.round((Date.now() - end) / 1000)} s`);
      for (const s of shoppers) s.close();

      const tallies = { telegram: emptyTally(), whatsapp: emptyTally(), line: emptyTally(), webchat: emptyTally() };
      const problems: string[] = [];
      for (const c of chats) {
        for (const p of tallyChat(tallies[c.platform], c.count, arrivalsOf(peers.sent, c.platform, c.chat), kills))
          problems.push(`${c.platform} ${c.chat}: ${p}`);
      }
      for (const [i, s] of shoppers.entries()) {
        const replies = await storedReplies(db, s.conversationId);
        const arrivals = replies.map((r) => ({ n: answerNumber(r.text), at: r.deliveredAt }));
        for (const p of tallyChat(tallies.webchat, sent.get(s) ?? 0, arrivals, kills)) problems.push(`webchat ${i}: ${p}`);
        const late = lateReplies(replies, s.seen, s.syncs);
        tallies.webchat.late += late.length;
        problems.push(...late.map((l) => `webchat ${i}: ${l}`));
      }
      const queues = await db.all<{ t: string; status: string; n: string }>(
        `SELECT 'inbox' AS t, status, COUNT(*) AS n FROM inbox GROUP BY status UNION ALL SELECT 'outbox', status, COUNT(*) FROM outbox GROUP BY status`,
      );
      const open = await db.all<{
        id: string;
        channel_id: string;
        status: string;
        attempts: number;
        last_error: string | null;
        due: string;
        lease: string | null;
      }>(
        `SELECT id, channel_id, status, attempts, last_error, next_attempt_at - ? AS due, lease_until - ? AS lease FROM outbox WHERE status NOT IN ('sent', 'dead') ORDER BY id`,
        [Date.now(), Date.now()],
      );
      for (const o of open)
        problems.push(
          `outbox ${o.id} (${o.channel_id}) still ${o.status} after ${o.attempts} attempts, due in ${o.due} ms, lease ${o.lease ?? '-'} ms: ${o.last_error ?? ''}`,
        );
      if (open.length) {
        // What the database is doing for the instances while those rows stay open.
        const activity = await db.all<{ pid: number; state: string; wait: string | null; age: string; query: string }>(
          `SELECT pid, state, wait_event AS wait, EXTRACT(EPOCH FROM now() - query_start)::int AS age, LEFT(query, 120) AS query
             FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'`,
        );
        for (const a of activity) problems.push(`pg backend ${a.pid} ${a.state} ${a.age} s wait ${a.wait ?? '-'}: ${a.query.replace(/\s+/g, ' ')}`);
      }
      // A reply recorded as delivered twice: two instances held its row (a kill, or a lease that lapsed).
      const twice = await db.all<{ id: string; channel_id: string; oks: string; attempts: string }>(
        `SELECT o.id, o.channel_id, COUNT(*) AS oks, MAX(o.attempts) AS attempts FROM outbox o JOIN delivery_attempts a ON a.outbox_id = o.id AND a.ok = 1 GROUP BY o.id, o.channel_id HAVING COUNT(*) > 1`,
      );
      for (const o of twice) problems.push(`outbox ${o.id} (${o.channel_id}) recorded as delivered ${o.oks} times (${o.attempts} claims)`);
      const c = peers.counts;
      const extra = [
        `kills ${kills.length}, restarts ${instances.reduce((a, i) => a + i.starts, 0) - instances.length}; webhook posts ${hooks.posts} (${hooks.redeliveries} redeliveries, ${hooks.refused} refused by a dead instance)`,
        `platform calls ${c.calls}: failed 429 ${c.failed[429]}, 500 ${c.failed[500]}, timeout ${c.failed.timeout}; LINE retry-key 409s ${c.retryKeyConflicts} (duplicates suppressed), spent reply tokens ${c.spentReplyTokens}`,
        `queues at the end: ${queues.map((q) => `${q.t} ${q.status} ${q.n}`).join(', ')}`,
      ];
      return { tallies, kills: kills.length, problems, summary: report(tallies, extra) };
    } finally {
      await db.close();
    }
  } finally {
    for (const s of shoppers) s.close();
    await Promise.all(instances.map((i) => i.stop()));
    await peers.stop();
    await model.close();
    const admin = new PostgresDriver({ url: POSTGRES_URL });
    await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function chatId(platform: Platform, i: number): string {
  if (platform === 'telegram') return String(7000 + i);
  if (platform === 'whatsapp') return `49151000000${i}`;
  return `Uchaos${i}`;
}

/** A web chat conversation's bot answers in seq order, with when each was delivered. */
async function storedReplies(db: PostgresDriver, conversationId: string): Promise<StoredReply[]> {
  const rows = await db.all<{ id: string; parts_json: string; created_at: string; delivered_at: string | null }>(
    `SELECT m.id, m.parts_json, m.created_at,
            (SELECT MIN(a.at) FROM outbox o JOIN delivery_attempts a ON a.outbox_id = o.id AND a.ok = 1 WHERE o.message_id = m.id) AS delivered_at
       FROM messages m WHERE m.conversation_id = ? AND m.role = 'bot' ORDER BY m.seq`,
    [conversationId],
  );
  return rows.map((r) => ({
    id: r.id,
    text: (JSON.parse(r.parts_json) as { text?: string }[]).map((p) => p.text ?? '').join(' '),
    deliveredAt: Number(r.delivered_at ?? r.created_at),
  }));
}
