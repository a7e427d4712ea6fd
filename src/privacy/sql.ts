/**
 * The statements erasure and retention share: what one conversation, and one shopper, leaves
 * behind in every table. Written once for SQLite and Postgres; the caller owns the transaction.
 */
import { ParleyError } from '../core/errors.js';
import type { SqlExecutor, SqlValue } from '../store/driver.js';
import { mediaOfMessages } from './media.js';

/** The conversation columns the deletions need. */
export interface ConversationKeys {
  id: string;
  conv_key: string;
  ref_json: string;
}

/** How long a caller should wait after `SHOPPER_BUSY` (sent as `Retry-After`). */
const BUSY_RETRY_MS = 5000;

/** Rows removed (or emptied), per kind of record. */
export type Counts = Record<string, number>;

/** `?, ?, ?` for `n` values. */
export const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** A LIKE pattern that matches `text` literally anywhere (with `ESCAPE '\'`). */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function add(counts: Counts, name: string, n: number): void {
  if (n > 0) counts[name] = (counts[name] ?? 0) + n;
}

/** The order-help and verification state of a conversation (src/bot/orders: `orders:<what>:<conversation>`). */
export const orderStateKeys = (conversationId: string) => [
  `orders:otp:${conversationId}`,
  `orders:otp-sent:${conversationId}`,
  `orders:flow:${conversationId}`,
];
export const orderGrantPattern = (conversationId: string) => containing(`orders:grant:${conversationId}:`).slice(1);

/** Care's "unfollowed or blocked" flag of a channel user (src/care/route.ts). */
export const unreachableKey = (channelId: string, userId: string) => `care:unreachable:${channelId}:${userId}`;

/**
 * Deletes the inbox rows `ids`, unless one of them is a turn running now (claimed, lease not
 * run out): then throws `SHOPPER_BUSY` and the caller's transaction rolls back. The rows are
 * deleted first and checked after, so a claim that raced the delete is seen (the delete waits
 * for the claim's row lock on Postgres, and returns the row as the claim left it).
 */
export async function deleteInbox(tx: SqlExecutor, ids: readonly number[], now: number): Promise<number> {
  let deleted = 0;
  for (const chunk of chunks(ids)) {
    const rows = await tx.all<{ status: string; lease_until: number | null }>(
      `DELETE FROM inbox WHERE id IN (${placeholders(chunk.length)}) RETURNING status, lease_until`,
      chunk,
    );
    if (rows.some((r) => r.status === 'processing' && Number(r.lease_until ?? 0) >= now)) {
      const message = 'A message of this shopper is being answered right now; nothing was erased. Retry in a few seconds.';
      throw new ParleyError('SHOPPER_BUSY', message, { retryable: true, retryAfterMs: BUSY_RETRY_MS });
    }
    deleted += rows.length;
  }
  return deleted;
}

/** The inbox rows of these conversations (their events, processed or not). */
export async function inboxOfConversations(tx: SqlExecutor, keys: readonly string[]): Promise<number[]> {
  const ids: number[] = [];
  for (const chunk of chunks(keys)) {
    const rows = await tx.all<{ id: number }>(`SELECT id FROM inbox WHERE conv_key IN (${placeholders(chunk.length)})`, chunk);
    ids.push(...rows.map((r) => Number(r.id)));
  }
  return ids;
}

/**
 * The inbox rows a channel user sent anywhere (a group chat, an event that made no
 * conversation yet). LIKE narrows them down (it ignores case on SQLite); the event itself decides.
 */
export async function inboxOfUser(tx: SqlExecutor, channelId: string, userId: string): Promise<number[]> {
  const rows = await tx.all<{ id: number; event_json: string }>(`SELECT id, event_json FROM inbox WHERE channel_id = ? AND event_json LIKE ? ESCAPE '\\'`, [
    channelId,
    containing(`"userId":${JSON.stringify(userId)}`),
  ]);
  return rows.filter((r) => (JSON.parse(r.event_json) as { ref?: { userId?: string } }).ref?.userId === userId).map((r) => Number(r.id));
}

/**
 * Everything these conversations hold, except their inbox rows (see {@link deleteInbox}): messages
 * and their authors, outbox rows and delivery attempts, handoff rows, notes, ratings, feedback,
 * care messages, translation sources and usage, order state; knowledge-base proposals made from
 * them lose their link and the shopper's question (reviewed ones) or go (open ones). With
 * `translations`, the translation-memory entries made from their text go too; `media` collects
 * the stored media ids their messages named, for {@link releaseMedia} once the transaction commits.
 */
export async function deleteConversationData(
  tx: SqlExecutor,
  convs: readonly ConversationKeys[],
  counts: Counts,
  options: { translations: boolean; media?: string[] },
): Promise<void> {
  for (const chunk of chunks(convs)) {
    const ids = chunk.map((c) => c.id);
    const inIds = `IN (${placeholders(ids.length)})`;
    const run = async (name: string, sql: string, params: readonly SqlValue[] = ids) => add(counts, name, await tx.run(sql, params));
    if (options.media) options.media.push(...(await mediaOfMessages(tx, `conversation_id ${inIds}`, ids)));
    await run('messageAuthors', `DELETE FROM message_authors WHERE message_id IN (SELECT id FROM messages WHERE conversation_id ${inIds})`);
    await run('deliveryAttempts', `DELETE FROM delivery_attempts WHERE outbox_id IN (SELECT id FROM outbox WHERE conversation_id ${inIds})`);
    await run('outbox', `DELETE FROM outbox WHERE conversation_id ${inIds}`);
    await run('messages', `DELETE FROM messages WHERE conversation_id ${inIds}`);
    await run('handoffs', `DELETE FROM handoffs WHERE conversation_id ${inIds}`);
    await run('notes', `DELETE FROM console_notes WHERE conversation_id ${inIds}`);
    await run('ratings', `DELETE FROM ratings WHERE conversation_id ${inIds}`);
    await run('feedback', `DELETE FROM care_feedback WHERE conversation_id ${inIds}`);
    await run('kbProposals', `DELETE FROM kb_proposals WHERE status = 'open' AND conversation_id ${inIds}`);
    await run(
      'kbProposals',
      `UPDATE kb_proposals SET conversation_id = NULL, message_id = NULL, question = '', wrong_answer = NULL WHERE conversation_id ${inIds}`,
    );
    await deleteCareMessages(tx, `conversation_id ${inIds}`, ids, counts);
    if (options.translations) {
      await run('translationMemory', `DELETE FROM translation_memory WHERE key IN (SELECT key FROM translation_sources WHERE conversation_id ${inIds})`);
    }
    await tx.run(`DELETE FROM translation_sources WHERE conversation_id ${inIds}`, ids);
    await tx.run(`DELETE FROM translation_usage WHERE conversation_id ${inIds}`, ids);
    for (const id of ids) {
      const keys = orderStateKeys(id);
      await run('state', `DELETE FROM kv WHERE key IN (${placeholders(keys.length)}) OR key LIKE ? ESCAPE '\\'`, [...keys, orderGrantPattern(id)]);
    }
    await run('conversations', `DELETE FROM conversations WHERE id ${inIds}`);
  }
}

/** Deletes care messages (`where` over `care_messages`), their scheduled deliveries and the API answers that named them. */
export async function deleteCareMessages(tx: SqlExecutor, where: string, params: readonly SqlValue[], counts: Counts): Promise<void> {
  const rows = await tx.all<{ id: string }>(`DELETE FROM care_messages WHERE ${where} RETURNING id`, params);
  add(counts, 'careMessages', rows.length);
  for (const { id } of rows) {
    // Job ids are `deliver:<message id>:<when>` (src/care/deliver.ts); the idempotency records
    // of the API answer that listed the message hold its id.
    add(counts, 'scheduledJobs', await tx.run(`DELETE FROM scheduled_jobs WHERE id LIKE ? ESCAPE '\\'`, [containing(`deliver:${id}:`).slice(1)]));
    add(counts, 'apiRequests', await tx.run(`DELETE FROM care_requests WHERE response_json LIKE ? ESCAPE '\\'`, [containing(JSON.stringify(id))]));
  }
}

/** `items` in slices small enough for one `IN (...)` list. */
function chunks<T>(items: readonly T[], size = 100): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
