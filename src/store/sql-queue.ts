/**
 * The durable queues on SQL: the inbox (accepted events, one open per conversation at a time)
 * and the outbox (replies, in order per conversation), with their claims and hand-overs. The
 * statements {@link SqlStore} runs for them, kept apart from the conversation records.
 */
import type { DeliveryReason } from '../core/errors.js';
import { conversationKey, type InboundEvent } from '../core/message.js';
import type { InboxItem, OutboxItem } from '../core/store.js';
import type { SqlDriver, SqlExecutor } from './driver.js';
import { type InboxRow, type OutboxRow, toInboxItem, toOutboxItem } from './rows.js';

export type AcceptResult = { accepted: InboxItem[]; claimed: InboxItem[]; duplicates: number };
export type AcceptCall = { events: InboundEvent[]; now: number; claim?: { leaseMs: number; limit: number } };
export type DeliveryOutcome = { ok: true; platformIds: string[] } | { ok: false; error: string; reason?: DeliveryReason; retryAt?: number };
export type DeliveryCall = { id: number; outcome: DeliveryOutcome; now: number; claimNext?: { leaseMs: number } };

const OPEN_INBOX = `(status = 'pending' OR (status = 'processing' AND lease_until < ?))`;
const OPEN_OUTBOX = `((status = 'pending' AND next_attempt_at <= ?) OR (status = 'sending' AND lease_until < ?))`;

/**
 * Inserts new events (duplicates skipped); claims up to `claim.limit` that open their
 * conversation. The inserts are issued together (one round trip on Postgres): each looks for an
 * open event itself, the ones before it in the batch included.
 */
export async function insertInbound(tx: SqlExecutor, call: AcceptCall): Promise<AcceptResult> {
  const { events, now, claim } = call;
  const rows = events.map((event, i) => {
    const convKey = conversationKey(event.ref);
    const params = [event.channelId, event.eventId, convKey, JSON.stringify(event), now];
    // Claimed at once when the caller has a free slot and nothing of the conversation is
    // open: the turn can start without waiting for (and paying for) the next claim. The first
    // `claim.limit` events may be claimed (fewer are when some are duplicates or wait).
    return i < (claim?.limit ?? 0)
      ? tx.get<{ id: number; status: string }>(
          `INSERT INTO inbox (channel_id, event_id, conv_key, event_json, received_at, status, lease_until, attempts)
           SELECT ?, ?, ?, ?, CAST(? AS BIGINT),
             CASE WHEN o.open THEN 'pending' ELSE 'processing' END,
             CASE WHEN o.open THEN NULL ELSE CAST(? AS BIGINT) END,
             CASE WHEN o.open THEN 0 ELSE 1 END
           FROM (SELECT EXISTS (SELECT 1 FROM inbox WHERE conv_key = ? AND status IN ('pending', 'processing')) AS open) o
           WHERE true
           ON CONFLICT (channel_id, event_id) DO NOTHING RETURNING id, status`,
          [...params, now + (claim?.leaseMs ?? 0), convKey],
        )
      : tx.get<{ id: number; status: string }>(
          `INSERT INTO inbox (channel_id, event_id, conv_key, event_json, received_at, status, lease_until, attempts)
           VALUES (?, ?, ?, ?, ?, 'pending', NULL, 0)
           ON CONFLICT (channel_id, event_id) DO NOTHING RETURNING id, status`,
          params,
        );
  });
  const accepted: InboxItem[] = [];
  const claimed: InboxItem[] = [];
  for (const [i, row] of (await Promise.all(rows)).entries()) {
    const event = events[i] as InboundEvent;
    if (!row) continue;
    const take = row.status === 'processing';
    const item = {
      id: Number(row.id),
      channelId: event.channelId,
      eventId: event.eventId,
      convKey: conversationKey(event.ref),
      event,
      attempts: take ? 1 : 0,
      receivedAt: now,
    };
    accepted.push(item);
    if (take) claimed.push(item);
  }
  return { accepted, claimed, duplicates: events.length - accepted.length };
}

/** Claims up to `limit` events that are the oldest open event of their conversation. */
export async function claimInbox(db: SqlExecutor, now: number, leaseMs: number, limit: number): Promise<InboxItem[]> {
  const rows = await db.all<InboxRow>(
    `UPDATE inbox SET status = 'processing', lease_until = ?, attempts = attempts + 1
     WHERE id IN (
       SELECT i.id FROM inbox i
       WHERE i.status IN ('pending', 'processing') AND (i.status = 'pending' OR i.lease_until < ?)
         AND NOT EXISTS (SELECT 1 FROM inbox e WHERE e.status IN ('pending', 'processing')
                         AND e.conv_key = i.conv_key AND e.id < i.id)
       ORDER BY i.id LIMIT ?)
     AND ${OPEN_INBOX}
     RETURNING *`,
    [now + leaseMs, now, limit, now],
  );
  return rows.map(toInboxItem).sort((a, b) => a.id - b.id);
}

/**
 * Claims a conversation's next open event if it is pending: the event that waited for the
 * turn just closed. The same rule as {@link claimInbox}, for one conversation.
 */
export async function claimNextInbox(db: SqlDriver, tx: SqlExecutor, convKey: string, now: number, leaseMs: number): Promise<InboxItem[]> {
  // The lock goes out with the claim, ahead of it: nothing waits for it in JavaScript.
  const locked = db.lockKeys(tx, [convKey]);
  const claiming = tx.all<InboxRow>(
    `UPDATE inbox SET status = 'processing', lease_until = ?, attempts = attempts + 1
     WHERE id = (SELECT MIN(e.id) FROM inbox e WHERE e.status IN ('pending', 'processing') AND e.conv_key = ?)
       AND status = 'pending'
     RETURNING *`,
    [now + leaseMs, convKey],
  );
  const [, rows] = await Promise.all([locked, claiming]);
  return rows.map(toInboxItem);
}

/**
 * Claims the oldest open outbox row of outbox row `after`'s conversation if it is pending and
 * due: the same rule as {@link claimOutbox} (one row per conversation in flight, in order), for
 * the conversation whose row was just delivered.
 */
async function claimNextOutbox(tx: SqlExecutor, after: number, now: number, leaseMs: number): Promise<OutboxItem[]> {
  const rows = await tx.all<OutboxRow>(
    `UPDATE outbox SET status = 'sending', lease_until = ?, attempts = attempts + 1, updated_at = ?
     WHERE id = (SELECT MIN(e.id) FROM outbox e WHERE e.status IN ('pending', 'sending')
                 AND e.conversation_id = (SELECT conversation_id FROM outbox WHERE id = ?))
       AND status = 'pending' AND next_attempt_at <= ?
     RETURNING *`,
    [now + leaseMs, now, after, now],
  );
  return rows.map(toOutboxItem);
}

/** Claims up to `limit` due rows that are the oldest open row of their conversation. */
export async function claimOutbox(db: SqlExecutor, now: number, leaseMs: number, limit: number): Promise<OutboxItem[]> {
  const rows = await db.all<OutboxRow>(
    `UPDATE outbox SET status = 'sending', lease_until = ?, attempts = attempts + 1, updated_at = ?
     WHERE id IN (
       SELECT o.id FROM outbox o
       WHERE o.status IN ('pending', 'sending')
         AND ((o.status = 'pending' AND o.next_attempt_at <= ?) OR (o.status = 'sending' AND o.lease_until < ?))
         AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.status IN ('pending', 'sending')
                         AND e.conversation_id = o.conversation_id AND e.id < o.id)
       ORDER BY o.id LIMIT ?)
     AND ${OPEN_OUTBOX}
     RETURNING *`,
    [now + leaseMs, now, now, now, limit, now, now],
  );
  return rows.map(toOutboxItem).sort((a, b) => a.id - b.id);
}

/** Claims the single pending row of a message (a passive reply), if it has just one. */
export async function claimOutboxOf(db: SqlExecutor, messageId: string, now: number, leaseMs: number): Promise<OutboxItem | undefined> {
  const row = await db.get<OutboxRow>(
    `UPDATE outbox SET status = 'sending', lease_until = ?, attempts = attempts + 1, updated_at = ?
     WHERE message_id = ? AND status = 'pending'
       AND (SELECT COUNT(*) FROM outbox o WHERE o.message_id = ?) = 1
     RETURNING *`,
    [now + leaseMs, now, messageId, messageId],
  );
  return row && toOutboxItem(row);
}

/**
 * Extends the leases of claimed rows still being worked on to `now + leaseMs`: one statement for
 * all of a process's rows. Only rows still claimed ('processing', 'sending') are touched, and a
 * lease is never shortened (a failed turn's retry waits in its lease).
 */
export async function renewLeases(db: SqlExecutor, table: 'inbox' | 'outbox', ids: readonly number[], now: number, leaseMs: number): Promise<number> {
  if (ids.length === 0) return 0;
  const claimed = table === 'inbox' ? 'processing' : 'sending';
  return db.run(`UPDATE ${table} SET lease_until = ? WHERE id IN (${ids.map(() => '?').join(', ')}) AND status = '${claimed}' AND lease_until < ?`, [
    now + leaseMs,
    ...ids,
    now + leaseMs,
  ]);
}

/** Moves a dead row back to pending with its retries reset (see {@link SqlStore.resendOutbox}). */
export async function resendDead(tx: SqlExecutor, id: number, now: number): Promise<'queued' | OutboxItem['status'] | undefined> {
  const row = await tx.get<{ status: OutboxItem['status']; message_id: string }>('SELECT status, message_id FROM outbox WHERE id = ?', [id]);
  if (!row || row.status !== 'dead') return row?.status;
  await tx.run(`UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ?, lease_until = NULL, updated_at = ? WHERE id = ? AND status = 'dead'`, [
    now,
    now,
    id,
  ]);
  await tx.run(`UPDATE messages SET status = 'pending' WHERE id = ? AND status = 'failed'`, [row.message_id]);
  return 'queued';
}

/**
 * Records one delivery attempt (see {@link SqlStore.recordDelivery}); returns the row handed on.
 * A success (the usual case) is statements issued together that find what they need themselves
 * (one round trip on Postgres); a failure reads the row first.
 */
export async function writeDelivery(tx: SqlExecutor, call: DeliveryCall): Promise<OutboxItem[]> {
  const { id, outcome, now } = call;
  const next = () => (call.claimNext ? claimNextOutbox(tx, id, now, call.claimNext.leaseMs) : []);
  if (outcome.ok) {
    const sent = tx.run(`UPDATE outbox SET status = 'sent', platform_ids_json = ?, lease_until = NULL, updated_at = ? WHERE id = ?`, [
      JSON.stringify(outcome.platformIds),
      now,
      id,
    ]);
    const attempt = tx.run(
      `INSERT INTO delivery_attempts (outbox_id, attempt, at, ok, error, reason)
       SELECT id, attempts, CAST(? AS BIGINT), 1, NULL, NULL FROM outbox WHERE id = ?`,
      [now, id],
    );
    const message = tx.run(
      `UPDATE messages SET status = 'sent', platform_message_id = COALESCE(platform_message_id, ?)
       WHERE id = (SELECT message_id FROM outbox WHERE id = ?) AND status = 'pending'`,
      [outcome.platformIds[0] ?? null, id],
    );
    const [, , , handed] = await Promise.all([sent, attempt, message, next()]);
    return handed;
  }
  const row = await tx.get<OutboxRow>('SELECT attempts, message_id, next_attempt_at FROM outbox WHERE id = ?', [id]);
  if (!row) return [];
  await tx.run('INSERT INTO delivery_attempts (outbox_id, attempt, at, ok, error, reason) VALUES (?, ?, ?, ?, ?, ?)', [
    id,
    row.attempts,
    now,
    0,
    outcome.error,
    outcome.reason ?? null,
  ]);
  const dead = outcome.retryAt === undefined;
  await tx.run(
    `UPDATE outbox SET status = ?, last_error = ?, last_reason = ?, next_attempt_at = ?, lease_until = NULL, updated_at = ?
     WHERE id = ?`,
    [dead ? 'dead' : 'pending', outcome.error, outcome.reason ?? null, outcome.retryAt ?? row.next_attempt_at, now, id],
  );
  if (!dead) return [];
  await tx.run(`UPDATE messages SET status = 'failed' WHERE id = ?`, [row.message_id]);
  return next();
}
