/**
 * Parley's Postgres inbox against pg-boss on the same database: throughput, order per
 * conversation under retries, and takeover after a worker dies (issue #16).
 *
 *   node --import tsx bench/pgboss.ts [--jobs 2000] [--keys 100] [--concurrency 64] [--lease 8000]
 *
 * pg-boss 10 is the newest line that runs on Node 20 (11 needs Node 22, 12 needs 22.12); its
 * per-key strict FIFO policy (`key_strict_fifo`) only exists from 12.10. The nearest it has is the
 * `singleton` policy with a `singletonKey` per conversation (one active job per key), worked by one
 * `work()` with a batch as large as Parley's concurrency. Each side gets its own schema.
 *
 * 1. throughput: `--jobs` jobs over `--keys` conversations, enqueued one by one by 16 producers (a
 *    conversation's jobs always by the same producer, so its order is defined), processed, completed;
 * 2. order under retries: 20% of attempts fail at random; counts attempts that started while an
 *    earlier job of their conversation was not done yet (0 = strict per-key order);
 * 3. takeover: a child process claims 20 jobs and hangs; it is SIGKILLed 2 s later; the time
 *    until the survivor has completed all 20;
 * 4. a job 1.5 leases long with two live workers: how many times it starts.
 *
 * Needs Postgres (PARLEY_TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/test).
 */
import PgBoss from 'pg-boss';
import type { MessageEvent } from '../src/core/message.js';
import { silentLogger, systemClock } from '../src/core/ports.js';
import { type InboxItem, PostgresDriver, SqlStore } from '../src/store/index.js';
import { createInbox } from '../src/queue/inbox.js';
import { numberArg, startChild } from './parley-process.js';

const JOBS = numberArg('jobs', 2000);
const KEYS = numberArg('keys', 100);
const CONCURRENCY = numberArg('concurrency', 64);
const LEASE_MS = numberArg('lease', 8000);
const PRODUCERS = 16;
const HELD = 20;
const POSTGRES_URL = process.env.PARLEY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const QUEUE = 'turns';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const newSchema = (side: string) => `bench_${side}_${process.pid}_${Math.random().toString(36).slice(2, 7)}`;

/** One queue under test: enqueue, run a handler on every job, stop. */
interface Side {
  enqueue(key: string, seq: number): Promise<void>;
  /** `handle` throws to fail an attempt. */
  start(handle: (key: string, seq: number) => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

interface Job {
  key: string;
  seq: number;
}

/** Per conversation: which jobs are done, and attempts that started before an earlier job was. */
class Tracker {
  readonly done = new Map<string, Set<number>>();
  outOfOrder = 0;
  attempts = 0;
  completed = 0;

  started(job: Job): void {
    this.attempts++;
    const done = this.done.get(job.key) ?? new Set<number>();
    for (let s = 0; s < job.seq; s++) if (!done.has(s)) return void this.outOfOrder++;
  }

  finished(job: Job): void {
    const done = this.done.get(job.key) ?? new Set<number>();
    this.done.set(job.key, done);
    if (!done.has(job.seq)) this.completed++;
    done.add(job.seq);
  }
}

function textEvent(key: string, seq: number): MessageEvent {
  const ref = { channelId: 'webchat', chatId: key, userId: key };
  return { type: 'message', channelId: 'webchat', eventId: `${key}-${seq}`, ref, timestamp: seq, parts: [{ kind: 'text', text: 'where is my parcel?' }] };
}

async function parleySide(schema: string, keys: number, options: { leaseMs: number; pollMs: number }): Promise<Side> {
  const driver = new PostgresDriver({ url: POSTGRES_URL, schema, maxConnections: 10 });
  const store = new SqlStore(driver);
  await store.migrate();
  const conversations = new Map<string, string>();
  for (let k = 0; k < keys; k++) {
    const ref = textEvent(`c${k}`, 0).ref;
    const shopper = await store.ensureShopper('webchat', ref.chatId, 0);
    conversations.set(ref.chatId, (await store.ensureConversation(ref, shopper.id, 0)).id);
  }
  const inbox = createInbox({ store, clock: systemClock, log: silentLogger, concurrency: CONCURRENCY, maxAttempts: 20, ...options });
  return {
    enqueue: async (key, seq) => void (await inbox.accept([textEvent(key, seq)])),
    async start(handle) {
      inbox.start(async (item: InboxItem) => {
        await handle(item.event.ref.chatId, item.event.timestamp);
        const conversationId = conversations.get(item.event.ref.chatId) ?? '';
        const { next } = await store.commitTurn({ inboxId: item.id, conversationId, messages: [] }, Date.now(), {
          claimNext: { leaseMs: options.leaseMs, convKey: item.convKey },
        });
        return { next };
      });
    },
    async stop() {
      await inbox.stop();
      await driver.close();
    },
  };
}

interface BossOptions {
  policy: 'singleton' | 'standard';
  retryDelay: number;
  expireInSeconds: number;
  batchSize: number;
  /** `work()` calls, each fetching up to `batchSize` jobs every 0.5 s at most. */
  workers: number;
}

async function bossSide(schema: string, options: BossOptions): Promise<Side> {
  const boss = new PgBoss({ connectionString: POSTGRES_URL, schema, max: 10, maintenanceIntervalSeconds: 1 });
  boss.on('error', () => undefined); // fetches refused by the singleton index are retried by the next poll
  await boss.start();
  const { policy, retryDelay, expireInSeconds } = options;
  await boss.createQueue(QUEUE, { name: QUEUE, policy, retryLimit: 20, retryDelay, retryBackoff: retryDelay > 0, expireInSeconds });
  return {
    enqueue: async (key, seq) => void (await boss.send(QUEUE, { key, seq }, { singletonKey: key })),
    async start(handle) {
      const work = async (jobs: PgBoss.Job<Job>[]) => {
        await Promise.all(
          jobs.map(async (job) => {
            try {
              await handle(job.data.key, job.data.seq);
            } catch {
              return boss.fail(QUEUE, job.id);
            }
            return boss.complete(QUEUE, job.id);
          }),
        );
      };
      for (let w = 0; w < options.workers; w++) await boss.work<Job>(QUEUE, { batchSize: options.batchSize, pollingIntervalSeconds: 0.5 }, work);
    },
    stop: () => boss.stop({ graceful: false, wait: true }),
  };
}

/** Enqueues `jobs` over `keys` conversations while `side` works; resolves when all are done. */
async function run(side: Side, jobs: number, keys: number, failRate: number): Promise<{ seconds: number; enqueued: number; tracker: Tracker }> {
  const tracker = new Tracker();
  await side.start(async (key, seq) => {
    tracker.started({ key, seq });
    if (Math.random() < failRate) throw new Error('failed on purpose');
    tracker.finished({ key, seq });
  });
  const perKey = Math.ceil(jobs / keys);
  const started = performance.now();
  // A conversation's jobs all come from one producer, in order: conversation k from producer k % PRODUCERS.
  await Promise.all(
    Array.from({ length: PRODUCERS }, async (_, p) => {
      for (let seq = 0; seq < perKey; seq++) for (let k = p; k < keys; k += PRODUCERS) await side.enqueue(`c${k}`, seq);
    }),
  );
  const enqueued = (performance.now() - started) / 1000;
  while (tracker.completed < perKey * keys) await sleep(5);
  const seconds = (performance.now() - started) / 1000;
  await side.stop();
  return { seconds, enqueued, tracker };
}

async function dropSchema(schema: string): Promise<void> {
  const admin = new PostgresDriver({ url: POSTGRES_URL });
  await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.close();
}

/** The child of a takeover: works on `HELD` jobs and never finishes them. */
async function holdForever(kind: string, schema: string): Promise<void> {
  let held = 0;
  const hang = async () => {
    if (++held === HELD) process.stdout.write('held\n');
    await new Promise(() => undefined);
  };
  if (kind === 'parley') await (await parleySide(schema, 0, { leaseMs: LEASE_MS, pollMs: 1000 })).start(hang);
  else {
    const boss = new PgBoss({ connectionString: POSTGRES_URL, schema, max: 4, supervise: false });
    await boss.start();
    await boss.work(QUEUE, { batchSize: HELD, pollingIntervalSeconds: 0.5 }, (jobs) => Promise.all(jobs.map(hang)));
  }
}

/** Seconds from SIGKILL of a worker holding `HELD` jobs until the survivor has completed them all. */
async function takeover(kind: 'parley' | 'pgboss', side: Side, schema: string): Promise<number> {
  for (let k = 0; k < HELD; k++) await side.enqueue(`c${k}`, 0);
  const child = await startChild(['--import', 'tsx', 'bench/pgboss.ts', '--child', kind, '--schema', schema, '--lease', String(LEASE_MS)], {}, 'held');
  const tracker = new Tracker();
  await side.start(async (key, seq) => tracker.finished({ key, seq }));
  await sleep(2000); // the child's jobs have been held (and, on Parley, renewed) for a while
  child.kill('SIGKILL');
  const killed = performance.now();
  while (tracker.completed < HELD) await sleep(20);
  const seconds = (performance.now() - killed) / 1000;
  await side.stop();
  return seconds;
}

/**
 * How many times one job 1.5 leases long starts while two workers run (its worker stays alive):
 * 1 when a live worker's claim holds, 2 when the job is handed to the other worker meanwhile.
 */
async function slowJob(sides: [Side, Side]): Promise<number> {
  let starts = 0;
  await sides[0].enqueue('c0', 0);
  for (const side of sides) await side.start(async () => void (++starts, await sleep(1.5 * LEASE_MS)));
  await sleep(2 * LEASE_MS + 2000);
  await Promise.all(sides.map((side) => side.stop()));
  return starts;
}

const perSecond = (jobs: number, seconds: number) => Math.round(jobs / seconds);

async function main(): Promise<void> {
  const child = process.argv.indexOf('--child');
  if (child > 0) return holdForever(process.argv[child + 1] ?? '', process.argv[process.argv.indexOf('--schema') + 1] ?? '');
  const schemas: string[] = [];
  const fresh = (side: string) => {
    const s = newSchema(side);
    schemas.push(s);
    return s;
  };
  const parleyOptions = { leaseMs: LEASE_MS, pollMs: 1000 };
  const bossOrdered: BossOptions = { policy: 'singleton', retryDelay: 1, expireInSeconds: LEASE_MS / 1000, batchSize: CONCURRENCY, workers: 1 };
  try {
    console.log(`pg-boss ${(await import('pg-boss/package.json', { with: { type: 'json' } })).default.version}, ${JOBS} jobs over ${KEYS} conversations`);
    const measure = async (name: string, side: Promise<Side>, jobs: number, keys: number, failRate: number) => {
      const result = await run(await side, jobs, keys, failRate);
      const { seconds, enqueued, tracker } = result;
      console.log(
        `${name}: ${jobs} jobs in ${seconds.toFixed(2)} s (all enqueued at ${enqueued.toFixed(2)} s) = ${perSecond(jobs, seconds)} jobs/s, ${tracker.attempts} attempts, ${tracker.outOfOrder} out of order`,
      );
      return perSecond(jobs, seconds);
    };
    const parley = await measure('throughput parley', parleySide(fresh('parley'), KEYS, parleyOptions), JOBS, KEYS, 0);
    const boss = await measure('throughput pg-boss singleton', bossSide(fresh('boss'), bossOrdered), JOBS, KEYS, 0);
    const split = { batchSize: CONCURRENCY / 4, workers: 4 };
    await measure('throughput pg-boss singleton, 4 workers', bossSide(fresh('boss'), { ...bossOrdered, ...split }), JOBS, KEYS, 0);
    await measure('throughput pg-boss standard (no per-key order)', bossSide(fresh('boss'), { ...bossOrdered, policy: 'standard' }), JOBS, KEYS, 0);
    await measure('throughput pg-boss standard, 4 workers', bossSide(fresh('boss'), { ...bossOrdered, ...split, policy: 'standard' }), JOBS, KEYS, 0);
    await measure('retries parley', parleySide(fresh('parley'), 50, parleyOptions), 1000, 50, 0.2);
    await measure('retries pg-boss singleton, backoff 1 s', bossSide(fresh('boss'), bossOrdered), 1000, 50, 0.2);
    await measure('retries pg-boss singleton, no delay', bossSide(fresh('boss'), { ...bossOrdered, retryDelay: 0 }), 1000, 50, 0.2);
    const ps = fresh('parley');
    console.log(`takeover parley (lease ${LEASE_MS} ms, renewed): ${(await takeover('parley', await parleySide(ps, HELD, parleyOptions), ps)).toFixed(1)} s`);
    const bs = fresh('boss');
    const bossTakeover = await takeover('pgboss', await bossSide(bs, { ...bossOrdered, retryDelay: 0 }), bs);
    console.log(`takeover pg-boss (expireInSeconds ${LEASE_MS / 1000}, maintenance every 1 s): ${bossTakeover.toFixed(1)} s`);
    const ss = fresh('parley');
    const parleySlow = await slowJob([await parleySide(ss, 1, parleyOptions), await parleySide(ss, 1, parleyOptions)]);
    const sb = fresh('boss');
    const bossSlow = await slowJob([await bossSide(sb, { ...bossOrdered, retryDelay: 0 }), await bossSide(sb, { ...bossOrdered, retryDelay: 0 })]);
    console.log(`a job 1.5 leases long, two live workers: parley started it ${parleySlow}×, pg-boss ${bossSlow}×`);
    console.log(`pgboss: parley ${parley} pg-boss ${boss} ratio ${(parley / boss).toFixed(2)}`);
  } finally {
    for (const schema of schemas) await dropSchema(schema);
  }
}

await main();
