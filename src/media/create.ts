import { resolve } from 'node:path';
import type { MediaSettings } from './config.js';
import { LocalMediaStore } from './local.js';
import type { MediaStore } from './port.js';
import { S3MediaStore } from './s3.js';

/**
 * The media store the `media:` block names: a local folder (default `<dataDir>/media`) or an
 * S3-compatible bucket.
 *
 * @example
 * ```ts
 * const media = createMediaStore(config.media, config.storage.dataDir);
 * ```
 */
export function createMediaStore(settings: MediaSettings, dataDir: string): MediaStore {
  if (settings.store === 's3' && settings.s3) return new S3MediaStore(settings.s3);
  return new LocalMediaStore(resolve(settings.dir ?? resolve(dataDir, 'media')));
}
