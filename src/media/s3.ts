import { createHash } from 'node:crypto';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { StoredMedia } from '../core/message.js';
import { isMediaId } from './local.js';
import type { MediaSettings } from './config.js';
import type { MediaStore } from './port.js';

type S3Settings = NonNullable<MediaSettings['s3']>;

const notFound = (err: unknown) => {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
};

/**
 * Media in an S3-compatible bucket (AWS S3, MinIO, R2, Ceph): one object per sha256 under
 * `prefix`, its type as the object's Content-Type and the file name in its metadata. A PUT is
 * atomic on S3; the same bytes again are not uploaded twice (HEAD first).
 *
 * @example
 * ```ts
 * const media = new S3MediaStore({ bucket: 'parley', endpoint: 'http://127.0.0.1:9000', forcePathStyle: true, region: 'us-east-1', prefix: 'media/' });
 * ```
 */
export class S3MediaStore implements MediaStore {
  private readonly client: S3Client;

  constructor(private readonly settings: S3Settings) {
    this.client = new S3Client({
      region: settings.region,
      forcePathStyle: settings.forcePathStyle,
      ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
      ...(settings.accessKeyId && settings.secretAccessKey
        ? { credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey } }
        : {}),
      // Self-hosted S3-compatible stores do not all speak the SDK's default CRC checksums.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  private key(id: string): string {
    return `${this.settings.prefix}${id}`;
  }

  async put(data: Buffer, meta: { mimeType: string; name?: string }): Promise<StoredMedia> {
    const sha256 = createHash('sha256').update(data).digest('hex');
    const stored = { id: sha256, sha256, size: data.length, mimeType: meta.mimeType };
    const Key = this.key(sha256);
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.settings.bucket, Key }));
      return stored;
    } catch (err) {
      if (!notFound(err)) throw err;
    }
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.settings.bucket,
        Key,
        Body: data,
        ContentType: meta.mimeType,
        ...(meta.name ? { Metadata: { name: encodeURIComponent(meta.name) } } : {}),
      }),
    );
    return stored;
  }

  async get(id: string): Promise<{ data: Buffer; media: StoredMedia; name?: string } | undefined> {
    if (!isMediaId(id)) return undefined;
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.settings.bucket, Key: this.key(id) }));
      const data = Buffer.from((await res.Body?.transformToByteArray()) ?? []);
      const name = res.Metadata?.name ? decodeURIComponent(res.Metadata.name) : undefined;
      return { data, media: { id, sha256: id, size: data.length, mimeType: res.ContentType ?? 'application/octet-stream' }, ...(name ? { name } : {}) };
    } catch (err) {
      if (notFound(err)) return undefined;
      throw err;
    }
  }

  async delete(id: string): Promise<void> {
    if (!isMediaId(id)) return;
    await this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: this.key(id) }));
  }
}
