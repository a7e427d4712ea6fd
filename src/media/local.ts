import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StoredMedia } from '../core/message.js';
import type { MediaStore } from './port.js';

/** A sha256 in hex: the only ids a store accepts (no path can be smuggled in). */
export const isMediaId = (id: string) => /^[a-f0-9]{64}$/.test(id);

/** What is kept beside the bytes. */
interface MediaMeta {
  mimeType: string;
  size: number;
  name?: string;
}

/**
 * Media in a local folder: `<dir>/<first two hex>/<sha256>` and `<sha256>.json` beside it.
 * Writes go to a temporary file that is renamed into place, so a reader (or a crash) never
 * sees half a file; writing the same bytes again only renames identical bytes over them.
 *
 * @example
 * ```ts
 * const media = new LocalMediaStore('./data/media');
 * const { id } = await media.put(bytes, { mimeType: 'image/png' });
 * ```
 */
export class LocalMediaStore implements MediaStore {
  constructor(private readonly dir: string) {}

  private path(id: string): string {
    return join(this.dir, id.slice(0, 2), id);
  }

  async put(data: Buffer, meta: { mimeType: string; name?: string }): Promise<StoredMedia> {
    const sha256 = createHash('sha256').update(data).digest('hex');
    const path = this.path(sha256);
    await mkdir(join(this.dir, sha256.slice(0, 2)), { recursive: true });
    const record: MediaMeta = { mimeType: meta.mimeType, size: data.length, ...(meta.name ? { name: meta.name } : {}) };
    // Already there (a re-run turn, the same photo twice): the bytes are the same, the first name stays.
    if (existsSync(`${path}.json`) && existsSync(path)) return { id: sha256, sha256, size: data.length, mimeType: meta.mimeType };
    await atomicWrite(path, data);
    await atomicWrite(`${path}.json`, Buffer.from(JSON.stringify(record)));
    return { id: sha256, sha256, size: data.length, mimeType: meta.mimeType };
  }

  async get(id: string): Promise<{ data: Buffer; media: StoredMedia; name?: string } | undefined> {
    if (!isMediaId(id)) return undefined;
    try {
      const [data, json] = await Promise.all([readFile(this.path(id)), readFile(`${this.path(id)}.json`, 'utf8')]);
      const meta = JSON.parse(json) as MediaMeta;
      return { data, media: { id, sha256: id, size: data.length, mimeType: meta.mimeType }, ...(meta.name ? { name: meta.name } : {}) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async delete(id: string): Promise<void> {
    if (!isMediaId(id)) return;
    await rm(this.path(id), { force: true });
    await rm(`${this.path(id)}.json`, { force: true });
  }
}

async function atomicWrite(path: string, data: Buffer): Promise<void> {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, data, { flush: true });
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
