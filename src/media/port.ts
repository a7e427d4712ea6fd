import type { StoredMedia } from '../core/message.js';

/**
 * Where media bytes live: a local directory (default) or an S3-compatible bucket. Content
 * addressed: `put` of the same bytes twice returns the same {@link StoredMedia} and stores
 * them once, so a turn re-run after a crash stores nothing new.
 *
 * @example
 * ```ts
 * const stored = await media.put(bytes, { mimeType: 'image/jpeg', name: 'bowl.jpg' });
 * const got = await media.get(stored.id); // { data, media }
 * await media.delete(stored.id); // only when no message refers to it any more (retention, erasure)
 * ```
 */
export interface MediaStore {
  /** Stores the bytes (atomically) under their sha256; `meta.mimeType` is the checked type. */
  put(data: Buffer, meta: { mimeType: string; name?: string }): Promise<StoredMedia>;
  /** The bytes and their metadata (`name`: the file name first stored with them), or undefined for an unknown id. */
  get(id: string): Promise<{ data: Buffer; media: StoredMedia; name?: string } | undefined>;
  /** Removes the bytes; unknown ids are not an error. */
  delete(id: string): Promise<void>;
}
