/**
 * Stored media under retention and erasure. The media store is content-addressed: one blob may
 * belong to several messages (the same photo sent twice, forwarded to another channel), so a
 * blob goes only when no message, outbox row or waiting event names it any more.
 */
import type { Part } from '../core/message.js';
import type { Logger } from '../core/ports.js';
import type { MediaStore } from '../media/port.js';
import type { SqlDriver, SqlExecutor, SqlValue } from '../store/driver.js';

/** The stored media ids in these parts. */
export function storedIds(parts: readonly Part[]): string[] {
  return parts.flatMap((p) => ((p.kind === 'image' || p.kind === 'video' || p.kind === 'file' || p.kind === 'audio') && p.stored ? [p.stored.id] : []));
}

/** The stored media ids of the messages `where` selects (before they are emptied or deleted). */
export async function mediaOfMessages(tx: SqlExecutor, where: string, params: readonly SqlValue[]): Promise<string[]> {
  const rows = await tx.all<{ parts_json: string }>(`SELECT parts_json FROM messages WHERE (${where}) AND parts_json LIKE '%"stored":%'`, params);
  return rows.flatMap((r) => storedIds(JSON.parse(r.parts_json) as Part[]));
}

// A sha256 in hex cannot occur by chance in other JSON: LIKE on it is an exact reference test.
const REFERENCES = [
  'SELECT 1 AS used FROM messages WHERE parts_json LIKE ? LIMIT 1',
  'SELECT 1 AS used FROM outbox WHERE message_json LIKE ? LIMIT 1',
  'SELECT 1 AS used FROM inbox WHERE event_json LIKE ? LIMIT 1',
];

/**
 * Deletes the blobs of `ids` that nothing refers to any more; returns how many. Called after the
 * transaction that removed the references has committed. A blob that cannot be deleted now (the
 * store is down) is logged and stays: deleting is retried by the next erasure or sweep that
 * removes a reference to it, never by guessing.
 *
 * @example
 * ```ts
 * const removed = await releaseMedia(driver, media, ['9f86d0…'], log); // 1
 * ```
 */
export async function releaseMedia(db: SqlDriver, media: MediaStore | undefined, ids: Iterable<string>, log: Logger): Promise<number> {
  if (!media) return 0;
  let removed = 0;
  for (const id of new Set(ids)) {
    let used = false;
    for (const sql of REFERENCES) if (!used && (await db.get(sql, [`%${id}%`]))) used = true;
    if (used) continue;
    try {
      await media.delete(id);
      removed++;
    } catch (err) {
      log.warn({ err, media: id }, 'stored media could not be deleted; kept');
    }
  }
  return removed;
}
