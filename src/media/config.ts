/**
 * The `media:` block of the gateway configuration (docs/media.md): where shoppers' photos, voice
 * notes and files are stored, and what is accepted.
 */
import { z } from 'zod';

const UNITS: Record<string, number> = { b: 1, kb: 1000, mb: 1000 ** 2, gb: 1000 ** 3, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };

/** Bytes: a number, or `10MB`, `512 KiB`. */
const bytes = (def: number) =>
  z
    .union([z.number(), z.string()])
    .transform((v, ctx) => {
      const m = typeof v === 'number' ? [String(v), String(v), 'b'] : /^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b|b)?\s*$/i.exec(v);
      const n = m ? Math.round(Number(m[1]) * (UNITS[(m[2] ?? 'b').toLowerCase()] ?? 1)) : NaN;
      if (!Number.isFinite(n) || n < 1) {
        ctx.addIssue({ code: 'custom', message: 'write a size such as 10MB, 512KiB or a number of bytes' });
        return z.NEVER;
      }
      return n;
    })
    .default(def);

/** What is accepted when `allow` is not set: the types the channels send, by their magic numbers. */
export const DEFAULT_ALLOWED = [
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
  'image/heic',
  'audio/ogg',
  'audio/mpeg',
  'audio/mp4',
  'audio/aac',
  'audio/amr',
  'audio/silk',
  'audio/wav',
  'audio/webm',
  'audio/3gpp',
  'video/mp4',
  'video/quicktime',
  'video/3gpp',
  'video/webm',
  'application/pdf',
  'text/plain',
];

const s3Schema = z.object({
  bucket: z.string().min(1, 'name the bucket (bucket: "${MEDIA_S3_BUCKET}")'),
  region: z.string().default('us-east-1'),
  /** An S3-compatible endpoint (MinIO, Cloudflare R2, Ceph); AWS when absent. */
  endpoint: z.url().optional(),
  accessKeyId: z.string().optional(),
  secretAccessKey: z.string().optional(),
  /** `bucket.host/key` (false) or `host/bucket/key` (true: MinIO and most self-hosted stores). */
  forcePathStyle: z.union([z.boolean(), z.stringbool()]).default(false),
  /** Key prefix inside the bucket. */
  prefix: z.string().default('media/'),
});

/** The `media:` block. */
export const mediaSchema = z
  .object({
    /** `local`: files under `dir`; `s3`: an S3-compatible bucket. */
    store: z.enum(['local', 's3']).default('local'),
    /** The local store's folder; `<storage.dataDir>/media` when absent. */
    dir: z.string().optional(),
    s3: s3Schema.optional(),
    /** Largest file accepted, per kind (bigger ones are not stored; the message is kept with the link). */
    maxBytes: z.object({ image: bytes(10_000_000), audio: bytes(16_000_000), video: bytes(32_000_000), file: bytes(20_000_000) }).prefault({}),
    /** MIME types accepted, checked against the bytes' magic numbers, not what the platform claims. */
    allow: z.array(z.string().toLowerCase()).default(DEFAULT_ALLOWED),
    /** One download (platform lookups included). */
    downloadTimeoutMs: z.coerce.number().int().min(1000).max(600_000).default(30_000),
    /** Tries per part within a turn when the platform fails (5xx, timeout); then the part is kept unstored. */
    fetchAttempts: z.coerce.number().int().min(1).max(10).default(3),
  })
  .prefault({})
  .refine((m) => m.store !== 's3' || m.s3, { message: 'media.s3 { bucket, endpoint, ... } is required when media.store is s3', path: ['s3'] });

/** The validated `media:` block. */
export type MediaSettings = z.infer<typeof mediaSchema>;
