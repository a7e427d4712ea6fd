/**
 * The report aggregates (migration 15, docs/reports.md) as a turn's transaction keeps them: the
 * statements {@link SqlStore} adds to a commit so reports read thousands of rows, never the
 * messages themselves.
 */
import type { TurnCommit } from '../core/store.js';
import type { SqlExecutor } from './driver.js';

/** The width of `report_activity`'s buckets: every time zone's offset is a multiple of it. */
export const BUCKET_MS = 15 * 60_000;

/**
 * Counts messages of one conversation written at `now` in its 15-minute bucket (`report_activity`,
 * migration 15), in their transaction: the reports read these rows, never the messages themselves.
 */
export function countActivity(tx: SqlExecutor, conversationId: string, messages: readonly TurnCommit['messages'][number][], now: number): Promise<number> {
  const bucket = Math.floor(now / BUCKET_MS);
  const inbound = messages.filter((m) => m.direction === 'in').length;
  const agent = messages.filter((m) => m.role === 'agent').length;
  const before = (flag: string) =>
    `(SELECT MAX(a.bucket) FROM report_activity a WHERE a.conversation_id = c.id AND a.bucket < CAST(? AS BIGINT) AND a.${flag} > 0)`;
  return tx.run(
    `INSERT INTO report_activity (conversation_id, bucket, channel_id, language, inbound, outbound, agent, prev_in, prev_agent)
     SELECT c.id, CAST(? AS BIGINT), c.channel_id, COALESCE(c.language, ''), ?, ?, ?, ${before('inbound')}, ${before('agent')}
     FROM conversations c WHERE c.id = ?
     ON CONFLICT (conversation_id, bucket) DO UPDATE SET inbound = report_activity.inbound + excluded.inbound,
       outbound = report_activity.outbound + excluded.outbound, agent = report_activity.agent + excluded.agent`,
    [bucket, inbound, messages.length - inbound, agent, bucket, bucket, conversationId],
  );
}

/** Upper bounds (ms) of the bot's reply-time buckets in `report_latency`; the last catches the rest. */
export const LATENCY_BOUNDS_MS = [250, 500, 1000, 2000, 3000, 5000, 8000, 13_000, 20_000, 30_000, 60_000, 120_000, 300_000, 3_600_000, 86_400_000_000];

export const botReplied = (turn: TurnCommit) =>
  turn.messages.some((m) => m.direction === 'in') && turn.messages.some((m) => m.role === 'bot' && m.direction === 'out');

// Concurrent turns are other conversations' events accepted about the same time: consecutive inbox
// ids, so on different rows until 16 commit at once (a hash of the conversation would put two of
// five on one row about half the time). Reports sum the shards.
const LATENCY_SHARDS = 16;

/** Counts how long the shopper waited for the bot's reply (accepted → committed), in the turn's transaction. */
export function countLatency(tx: SqlExecutor, turn: TurnCommit, now: number): Promise<number> {
  const waited = 'CAST(? AS BIGINT) - i.received_at';
  const bucket = `CASE ${LATENCY_BOUNDS_MS.map((le) => `WHEN ${waited} <= ${le} THEN ${le}`).join(' ')} ELSE ${LATENCY_BOUNDS_MS.at(-1)} END`;
  return tx.run(
    `INSERT INTO report_latency (day, channel_id, language, le_ms, shard, replies, total_ms)
     SELECT ?, c.channel_id, COALESCE(c.language, ''), ${bucket}, CAST(? AS INTEGER), 1, ${waited}
     FROM inbox i JOIN conversations c ON c.id = ? WHERE i.id = ?
     ON CONFLICT (day, channel_id, language, le_ms, shard) DO UPDATE SET replies = report_latency.replies + 1, total_ms = report_latency.total_ms + excluded.total_ms`,
    [new Date(now).toISOString().slice(0, 10), ...LATENCY_BOUNDS_MS.map(() => now), turn.inboxId % LATENCY_SHARDS, now, turn.conversationId, turn.inboxId],
  );
}
