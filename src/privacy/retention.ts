/**
 * The retention sweep: removes what is older than the `retention:` policy allows, a small batch
 * per statement with a pause between, so turns and acknowledgements never wait behind it (on
 * SQLite each batch is one short background transaction; webhook accepts go first).
 */
import { randomUUID } from 'node:crypto';
import type { Part } from '../core/message.js';
import type { Clock, Logger } from '../core/ports.js';
import type { Store } from '../core/store.js';
import type { MediaStore } from '../media/port.js';
import type { SqlDriver } from '../store/driver.js';
import { mediaOfMessages, releaseMedia, storedIds } from './media.js';
import { add, type ConversationKeys, type Counts, deleteConversationData, placeholders, unreachableKey } from './sql.js';

/** The `retention:` block: durations in ms, 0 for "kept forever". */
export interface RetentionSettings {
  messageText: number;
  attachments: number;
  translationMemory: number;
  closedConversations: number;
  deliveryRecords: number;
  /** Time between sweeps. */
  every: number;
  /** Rows per statement. */
  batchSize: number;
  /** Pause after a full batch, before the next. */
  pauseMs: number;
}

/** What the sweep runs on. */
export interface RetentionDeps {
  driver: SqlDriver;
  clock: Clock;
  log: Logger;
  settings: RetentionSettings;
  /** One instance sweeps at a time (a named lease); the others skip their turn. */
  leases?: Pick<Store, 'acquireLease' | 'releaseLease'>;
  /** The pause between batches (tests record it instead of waiting). */
  sleep?(ms: number): Promise<void>;
  /** The media store: blobs no message names any more after a step are deleted. */
  media?: MediaStore;
}

type Policy = Exclude<keyof RetentionSettings, 'every' | 'batchSize' | 'pauseMs'>;

/** One kind of old record, removed a batch at a time: `more` when the batch was full. */
interface Step {
  name: string;
  /** The setting whose age applies; `expired` runs always, with the current time as cutoff. */
  keep: Policy | 'expired';
  batch(db: SqlDriver, cutoff: number, limit: number): Promise<{ changed: number; more: boolean }>;
}

/** A step of one statement over `table`: `where` takes the cutoff, `change` is DELETE or an UPDATE's SET. */
function statement(name: string, keep: Step['keep'], table: string, key: string, where: string, change = 'DELETE'): Step {
  const head = change === 'DELETE' ? `DELETE FROM ${table}` : `UPDATE ${table} SET ${change}`;
  const sql = `${head} WHERE ${key} IN (SELECT ${key.replace(/[()]/g, '')} FROM ${table} WHERE ${where} LIMIT ?)`;
  return {
    name,
    keep,
    async batch(db, cutoff, limit) {
      const changed = await db.run(sql, [cutoff, limit]);
      return { changed, more: changed >= limit };
    },
  };
}

/** Parts that are not text: media (links and platform ids), locations, contact cards, stickers. */
const ATTACHMENTS = new Set<Part['kind']>(['image', 'video', 'file', 'audio', 'sticker', 'location', 'contact']);

/** The parts without attachments; a caption or transcript stays, as text (message text has its own retention). */
export function withoutAttachments(parts: readonly Part[]): Part[] {
  return parts.flatMap((p): Part[] => {
    if (!ATTACHMENTS.has(p.kind)) return [p];
    const text = p.kind === 'audio' ? p.transcript : p.kind === 'image' || p.kind === 'video' || p.kind === 'file' ? p.caption : undefined;
    return text ? [{ kind: 'text', text }] : [];
  });
}

/** Media parts leave old messages; their stored blobs go when no other message names them. */
const attachments = (release: (ids: string[]) => Promise<void>): Step => ({
  name: 'attachments',
  keep: 'attachments',
  async batch(db, cutoff, limit) {
    const rows = await db.all<{ id: string; parts_json: string }>('SELECT id, parts_json FROM messages WHERE redaction = 0 AND created_at < ? LIMIT ?', [
      cutoff,
      limit,
    ]);
    let changed = 0;
    const media: string[] = [];
    await db.transaction(async (tx) => {
      const plain: string[] = [];
      for (const r of rows) {
        const parts = JSON.parse(r.parts_json) as Part[];
        const kept = withoutAttachments(parts);
        if (kept.length === parts.length && kept.every((p, i) => p === parts[i])) plain.push(r.id);
        else if (await tx.run('UPDATE messages SET parts_json = ?, redaction = 1 WHERE id = ? AND redaction = 0', [JSON.stringify(kept), r.id])) {
          changed++;
          media.push(...storedIds(parts));
        }
      }
      if (plain.length) await tx.run(`UPDATE messages SET redaction = 1 WHERE redaction = 0 AND id IN (${placeholders(plain.length)})`, plain);
    });
    await release(media);
    return { changed, more: rows.length >= limit };
  },
});

const IDLE = `state NOT IN ('awaiting_agent', 'assigned')`;

/** At most this many conversations are looked at per batch. */
const CONVERSATIONS_PER_BATCH = 25;

/**
 * Conversations no agent owns or waits for, idle since before the cutoff, with everything they
 * hold, as many per batch as keep it near `limit` messages (at least one). One that came back to
 * life (an event waiting, a fresh update) is left alone; a cursor walks past it.
 */
function closedConversations(release: (ids: string[]) => Promise<void>): Step {
  let cursor = { at: -1, id: '' };
  return {
    name: 'conversations',
    keep: 'closedConversations',
    async batch(db, cutoff, limit) {
      const candidates = await db.all<ConversationKeys & { updated_at: number }>(
        `SELECT id, conv_key, ref_json, updated_at FROM conversations WHERE ${IDLE} AND updated_at < ?
           AND (updated_at > ? OR (updated_at = ? AND id > ?)) ORDER BY updated_at, id LIMIT ?`,
        [cutoff, cursor.at, cursor.at, cursor.id, CONVERSATIONS_PER_BATCH],
      );
      const taken = await withinBudget(db, candidates, limit);
      const last = taken.at(-1);
      cursor = last ? { at: Number(last.updated_at), id: last.id } : { at: -1, id: '' };
      const counts: Counts = {};
      const media: string[] = [];
      await db.transaction(async (tx) => {
        await db.lockKeys(
          tx,
          taken.map((c) => c.conv_key),
        );
        const idle: ConversationKeys[] = [];
        for (const c of taken) {
          const still = await tx.get(`SELECT 1 AS idle FROM conversations WHERE id = ? AND ${IDLE} AND updated_at < ?`, [c.id, cutoff]);
          const open = await tx.get(`SELECT 1 AS open FROM inbox WHERE conv_key = ? AND status IN ('pending', 'processing') LIMIT 1`, [c.conv_key]);
          if (still && !open) idle.push(c);
        }
        if (idle.length === 0) return;
        const keys = idle.map((c) => c.conv_key);
        await tx.run(`DELETE FROM inbox WHERE conv_key IN (${placeholders(keys.length)})`, keys);
        await deleteConversationData(tx, idle, counts, { translations: false, media });
      });
      await release(media);
      return { changed: counts.conversations ?? 0, more: candidates.length > taken.length || candidates.length >= CONVERSATIONS_PER_BATCH };
    },
  };
}

/** The first conversations whose messages add up to no more than `limit` (always the first one). */
async function withinBudget<C extends { id: string }>(db: SqlDriver, candidates: C[], limit: number): Promise<C[]> {
  if (candidates.length === 0) return [];
  const sizes = await db.all<{ conversation_id: string; n: number }>(
    `SELECT conversation_id, COUNT(*) AS n FROM messages WHERE conversation_id IN (${placeholders(candidates.length)}) GROUP BY conversation_id`,
    candidates.map((c) => c.id),
  );
  const size = new Map(sizes.map((r) => [r.conversation_id, Number(r.n)]));
  const taken: C[] = [];
  let total = 0;
  for (const c of candidates) {
    const n = size.get(c.id) ?? 0;
    if (taken.length > 0 && total + n > limit) break;
    taken.push(c);
    total += n;
  }
  return taken;
}

/** Anonymous shoppers (no customer ref, no care profile) left without conversations: their channel identities go. */
const orphanShoppers: Step = {
  name: 'shoppers',
  keep: 'closedConversations',
  async batch(db, cutoff, limit) {
    let changed = 0;
    const found = await db.transaction(async (tx) => {
      const rows = await tx.all<{ id: string }>(
        `SELECT id FROM shoppers s WHERE customer_ref IS NULL AND updated_at < ?
           AND NOT EXISTS (SELECT 1 FROM conversations c WHERE c.shopper_id = s.id)
           AND NOT EXISTS (SELECT 1 FROM care_profiles p WHERE p.shopper_id = s.id) LIMIT ?`,
        [cutoff, limit],
      );
      if (rows.length === 0) return 0;
      const ids = rows.map((r) => r.id);
      const identities = await tx.all<{ channel_id: string; platform_user_id: string }>(
        `SELECT channel_id, platform_user_id FROM identities WHERE shopper_id IN (${placeholders(ids.length)})`,
        ids,
      );
      const flags = identities.map((i) => unreachableKey(i.channel_id, i.platform_user_id));
      if (flags.length) await tx.run(`DELETE FROM kv WHERE key IN (${placeholders(flags.length)})`, flags);
      await tx.run(`DELETE FROM identities WHERE shopper_id IN (${placeholders(ids.length)})`, ids);
      changed = await tx.run(`DELETE FROM shoppers WHERE id IN (${placeholders(ids.length)})`, ids);
      return rows.length;
    });
    return { changed, more: found >= limit };
  },
};

/**
 * Web chat uploads never sent (src/server/media.ts remembers each for a day): their blobs go
 * unless a message names them after all, then the records. Runs before `expiredState` removes
 * the records.
 */
const unsentUploads = (release: (ids: string[]) => Promise<void>): Step => ({
  name: 'unsentUploads',
  keep: 'expired',
  async batch(db, cutoff, limit) {
    const rows = await db.all<{ key: string }>(`SELECT key FROM kv WHERE key LIKE 'media:upload:%' AND expires_at IS NOT NULL AND expires_at < ? LIMIT ?`, [
      cutoff,
      limit,
    ]);
    if (rows.length === 0) return { changed: 0, more: false };
    await release(rows.map((r) => r.key.slice('media:upload:'.length)));
    const keys = rows.map((r) => r.key);
    const changed = await db.run(`DELETE FROM kv WHERE key IN (${placeholders(keys.length)})`, keys);
    return { changed, more: rows.length >= limit };
  },
});

/**
 * A step that empties messages (`where` over `messages`, with the cutoff): the media they still
 * name (attachments kept longer than text, or kept forever) are released after it.
 */
function releasing(step: Step, where: string, release: (ids: string[]) => Promise<void>): Step {
  return {
    ...step,
    async batch(db, cutoff, limit) {
      const media = await mediaOfMessages(db, where, [cutoff]);
      const done = await step.batch(db, cutoff, limit);
      await release(media);
      return done;
    },
  };
}

/** Every step, in order: records first, then content, then whole conversations. */
function steps(release: (ids: string[]) => Promise<void>): Step[] {
  return [
    unsentUploads(release),
    statement('expiredState', 'expired', 'kv', 'key', 'expires_at IS NOT NULL AND expires_at < ?'),
    statement('deliveryAttempts', 'deliveryRecords', 'delivery_attempts', 'id', 'at < ?'),
    statement('outbox', 'deliveryRecords', 'outbox', 'id', `status IN ('sent', 'dead') AND updated_at < ?`),
    statement('inboundEvents', 'deliveryRecords', 'inbox', 'id', `status IN ('done', 'failed') AND processed_at < ?`),
    statement('apiRequests', 'deliveryRecords', 'care_requests', 'key', 'status <> 0 AND created_at < ?'),
    statement('scheduledJobs', 'deliveryRecords', 'scheduled_jobs', 'id', `status IN ('done', 'failed') AND updated_at < ?`),
    statement('mails', 'deliveryRecords', 'demo_mail', 'id', 'created_at < ?'),
    attachments(release),
    releasing(
      statement(
        'messageText',
        'messageText',
        'messages',
        'id',
        'redaction < 2 AND created_at < ?',
        `parts_json = '[]', original_text = NULL, translated_text = NULL, client_id = NULL, redaction = 2`,
      ),
      'redaction < 2 AND created_at < ?',
      release,
    ),
    statement('notes', 'messageText', 'console_notes', 'id', 'created_at < ?'),
    statement('ratingComments', 'messageText', 'ratings', 'id', 'comment IS NOT NULL AND created_at < ?', 'comment = NULL'),
    statement('feedbackComments', 'messageText', 'care_feedback', 'id', 'comment IS NOT NULL AND requested_at < ?', 'comment = NULL'),
    statement('careMessages', 'messageText', 'care_messages', 'id', `status NOT IN ('scheduled', 'deferred') AND created_at < ?`),
    statement(
      'kbQuestions',
      'messageText',
      'kb_proposals',
      'id',
      `status <> 'open' AND question <> '' AND created_at < ?`,
      `question = '', wrong_answer = NULL`,
    ),
    statement('translationMemory', 'translationMemory', 'translation_memory', 'key', 'created_at < ?'),
    statement('translationSources', 'translationMemory', 'translation_sources', '(key, conversation_id)', 'created_at < ?'),
    closedConversations(release),
    orphanShoppers,
  ];
}

const LEASE = 'retention';

/**
 * The retention sweep, run every `settings.every` by the gateway (started with it, stopped on
 * shutdown) and on demand by `sweep()`.
 *
 * @example
 * ```ts
 * const retention = createRetention({ driver, clock, log, settings: config.retention, leases: store });
 * retention.start();
 * const removed = await retention.sweep(); // { messageText: 500, translationMemory: 1200, ... }
 * await retention.stop();
 * ```
 */
export function createRetention(deps: RetentionDeps) {
  const { settings, clock } = deps;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const owner = randomUUID();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<Counts> | undefined;
  let stopped = false;

  /** Holds (or renews) the sweep's lease; without lease support, always true. */
  const hold = () => deps.leases?.acquireLease(LEASE, owner, Math.max(settings.every, 600_000), clock.now()) ?? Promise.resolve(true);

  async function run(): Promise<Counts> {
    const counts: Counts = {};
    if (!(await hold())) return counts;
    const now = clock.now();
    const release = async (ids: string[]) => add(counts, 'media', await releaseMedia(deps.driver, deps.media, ids, deps.log));
    for (const step of steps(release)) {
      const age = step.keep === 'expired' ? 0 : settings[step.keep];
      if (step.keep !== 'expired' && age <= 0) continue;
      for (;;) {
        if (stopped) return counts;
        const { changed, more } = await step.batch(deps.driver, now - age, settings.batchSize);
        add(counts, step.name, changed);
        if (!more) break;
        await sleep(settings.pauseMs);
        if (!(await hold())) return counts;
      }
    }
    return counts;
  }

  async function sweep(): Promise<Counts> {
    if (running) return running;
    const started = clock.now();
    running = run().finally(() => (running = undefined));
    const counts = await running;
    if (Object.keys(counts).length) deps.log.info({ removed: counts, ms: clock.now() - started }, 'retention sweep done');
    return counts;
  }

  function schedule(ms: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      sweep()
        .catch((err: unknown) => deps.log.warn({ err }, 'retention sweep failed; retried at the next'))
        .finally(() => schedule(settings.every));
    }, ms);
    timer.unref();
  }

  return {
    sweep,
    /** Sweeps a minute after start (the gateway is busy starting), then every `settings.every`. */
    start(): void {
      stopped = false;
      schedule(Math.min(60_000, settings.every));
    },
    /** Stops after the batch in progress. */
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => undefined);
      await deps.leases?.releaseLease(LEASE, owner).catch(() => undefined);
    },
  };
}
