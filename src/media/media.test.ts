import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelAdapter } from '../core/adapter.js';
import { DeliveryError } from '../core/errors.js';
import type { MessageEvent } from '../core/message.js';
import { silentLogger } from '../core/ports.js';
import { PlatformServer } from '../../test/support/platform-server.js';
import { DEFAULT_ALLOWED, mediaSchema } from './config.js';
import { createMediaIntake } from './intake.js';
import { LocalMediaStore } from './local.js';
import { sniff } from './magic.js';
import type { MediaStore } from './port.js';
import { S3MediaStore } from './s3.js';

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('JFIF photo of a cracked bowl')]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const OGG = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(40, 1)]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('sniff', () => {
  it('reads the type from the bytes, not the claim', () => {
    expect(sniff(JPEG, 'image/png')).toBe('image/jpeg');
    expect(sniff(PNG)).toBe('image/png');
    expect(sniff(OGG, 'audio/ogg; codecs=opus')).toBe('audio/ogg');
    expect(sniff(Buffer.from('#!AMR\n....'))).toBe('audio/amr');
    expect(sniff(Buffer.from('\u0002#!SILK_V3....'))).toBe('audio/silk');
    expect(sniff(Buffer.from('%PDF-1.7 ...'))).toBe('application/pdf');
    expect(sniff(Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42')]), 'video/mp4')).toBe('video/mp4');
    expect(sniff(Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypM4A ')]))).toBe('audio/mp4');
    expect(sniff(Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 1]), 'audio/webm;codecs=opus')).toBe('audio/webm');
  });

  it('names markup a browser would run, which the default allow-list refuses', () => {
    expect(sniff(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'image/png')).toBe('image/svg+xml');
    expect(sniff(Buffer.from('<!DOCTYPE html><p>hi'), 'image/jpeg')).toBe('text/html');
    expect(DEFAULT_ALLOWED).not.toContain('image/svg+xml');
    expect(DEFAULT_ALLOWED).not.toContain('text/html');
  });

  it('takes text only when the sender said text and it is text', () => {
    expect(sniff(Buffer.from('order 1234 arrived broken'), 'text/plain')).toBe('text/plain');
    expect(sniff(Buffer.from('order 1234 arrived broken'), 'image/png')).toBeUndefined();
    expect(sniff(Buffer.from([0, 1, 2, 3]), 'text/plain')).toBeUndefined();
  });
});

describe('media config', () => {
  it('has per-kind defaults and reads sizes written with units', () => {
    const m = mediaSchema.parse({ maxBytes: { image: '2MB', audio: '1 MiB' } });
    expect(m.maxBytes).toEqual({ image: 2_000_000, audio: 1_048_576, video: 32_000_000, file: 20_000_000 });
    expect(m.store).toBe('local');
    expect(mediaSchema.safeParse({ maxBytes: { image: 'big' } }).success).toBe(false);
    expect(mediaSchema.safeParse({ store: 's3' }).success).toBe(false);
  });
});

/** The contract every store keeps. */
function storeContract(name: string, open: () => Promise<MediaStore>) {
  describe(`${name} store`, () => {
    let store: MediaStore;
    beforeAll(async () => {
      store = await open();
    });

    it('stores content-addressed: the same bytes twice are one object with one id', async () => {
      const a = await store.put(JPEG, { mimeType: 'image/jpeg', name: 'bowl.jpg' });
      const b = await store.put(JPEG, { mimeType: 'image/jpeg' });
      expect(a).toEqual({ id: sha(JPEG), sha256: sha(JPEG), size: JPEG.length, mimeType: 'image/jpeg' });
      expect(b).toEqual(a);
      const got = await store.get(a.id);
      expect(got?.data.equals(JPEG)).toBe(true);
      expect(got?.media).toEqual(a);
      expect(got?.name).toBe('bowl.jpg');
    });

    it('answers undefined for unknown or malformed ids and deletes', async () => {
      expect(await store.get(sha(Buffer.from('never stored')))).toBeUndefined();
      expect(await store.get('../../etc/passwd')).toBeUndefined();
      const p = await store.put(PNG, { mimeType: 'image/png' });
      await store.delete(p.id);
      expect(await store.get(p.id)).toBeUndefined();
      await store.delete(p.id); // twice is fine
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'parley-media-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
storeContract('local', async () => new LocalMediaStore(join(dir, 'local')));

describe('local store files', () => {
  it('leaves no temporary files behind and keeps the bytes under their hash', async () => {
    const store = new LocalMediaStore(join(dir, 'files'));
    const { id } = await store.put(OGG, { mimeType: 'audio/ogg' });
    const sub = join(dir, 'files', id.slice(0, 2));
    expect(readdirSync(sub).sort()).toEqual([id, `${id}.json`]);
    expect(existsSync(join(sub, id))).toBe(true);
  });
});

let s3: S3rver | undefined;
const s3dir = join(dir, 's3');
storeContract('s3 (s3rver)', async () => {
  s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: s3dir, configureBuckets: [{ name: 'parley-media', configs: [] }] });
  const { port } = await s3.run();
  return new S3MediaStore({
    bucket: 'parley-media',
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${port}`,
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    forcePathStyle: true,
    prefix: 'media/',
  });
});
afterAll(async () => {
  await s3?.close();
});

describe('intake', () => {
  const event = (parts: MessageEvent['parts'], channelId = 'shop'): MessageEvent => ({
    type: 'message',
    channelId,
    eventId: 'e1',
    ref: { channelId, chatId: 'c', userId: 'u' },
    timestamp: 0,
    parts,
  });
  const settings = { maxBytes: { image: 1000, audio: 1000, video: 1000, file: 1000 }, allow: DEFAULT_ALLOWED, downloadTimeoutMs: 5000, fetchAttempts: 3 };
  let files: PlatformServer;
  let flaky = 0;
  beforeAll(async () => {
    files = await new PlatformServer((req) => {
      if (req.path === '/bowl.jpg') return { bytes: JPEG, headers: { 'content-type': 'image/jpeg' } };
      if (req.path === '/big.jpg') return { bytes: Buffer.concat([JPEG, Buffer.alloc(5000)]), headers: { 'content-type': 'image/jpeg' } };
      if (req.path === '/page.svg') return { text: '<svg xmlns="http://www.w3.org/2000/svg"/>', headers: { 'content-type': 'image/png' } };
      if (req.path === '/flaky.png') return ++flaky < 3 ? { status: 503, text: 'busy' } : { bytes: PNG, headers: { 'content-type': 'image/png' } };
      return { status: 500, text: 'down' };
    }).start();
  });
  afterAll(() => files.stop());

  const make = (channel?: Partial<ChannelAdapter>) =>
    createMediaIntake({
      store: new LocalMediaStore(join(dir, 'intake')),
      settings,
      channel: () => channel as ChannelAdapter | undefined,
      fetch,
      log: silentLogger,
      sleep: async () => undefined,
    });

  it('stores a public image and keeps every other part as it was', async () => {
    const out = await make()(
      event([
        { kind: 'text', text: 'look' },
        { kind: 'image', url: `${files.url}/bowl.jpg` },
      ]),
    );
    expect(out.parts[0]).toEqual({ kind: 'text', text: 'look' });
    expect(out.parts[1]).toMatchObject({
      kind: 'image',
      url: `${files.url}/bowl.jpg`,
      stored: { sha256: sha(JPEG), mimeType: 'image/jpeg', size: JPEG.length },
    });
  });

  it('keeps a too large, a disallowed and a failing part with their urls and says why', async () => {
    const out = await make()(
      event([
        { kind: 'image', url: `${files.url}/big.jpg` },
        { kind: 'image', url: `${files.url}/page.svg` },
        { kind: 'file', url: `${files.url}/down.pdf` },
        { kind: 'audio', url: 'platform:123' },
      ]),
    );
    expect(out.parts.map((p) => ('intakeError' in p ? p.intakeError?.code : undefined))).toEqual([
      'too_large',
      'type_not_allowed',
      'fetch_failed',
      'unsupported',
    ]);
    expect(out.parts.every((p) => !('stored' in p && p.stored))).toBe(true);
    expect(out.parts[0]).toMatchObject({ url: `${files.url}/big.jpg` });
  });

  it('retries a busy platform a bounded number of times, and a re-run turn fetches nothing more', async () => {
    flaky = 0;
    const out = await make()(event([{ kind: 'image', url: `${files.url}/flaky.png` }]));
    expect(out.parts[0]).toMatchObject({ stored: { sha256: sha(PNG) } });
    expect(files.calls(/flaky/)).toHaveLength(3);
    const before = files.received.length;
    const late = await make()(event([{ kind: 'image', url: `${files.url}/bowl.jpg` }]), 4);
    expect(late.parts[0]).toMatchObject({ intakeError: { code: 'fetch_failed' } });
    expect(files.received.length).toBe(before);
  });

  it("uses the channel's fetchMedia for platform media, passing the size cap, and stops on a final error", async () => {
    const seen: unknown[] = [];
    let calls = 0;
    const adapter: Partial<ChannelAdapter> = {
      fetchMedia: async (url, options) => {
        calls++;
        seen.push([url, options?.maxBytes]);
        if (url === 'platform:gone') throw new DeliveryError('invalid', 'media expired');
        return { data: OGG, mimeType: 'audio/ogg' };
      },
    };
    const out = await make(adapter)(
      event([
        { kind: 'audio', url: 'platform:voice1' },
        { kind: 'image', url: 'platform:gone' },
      ]),
    );
    expect(out.parts[0]).toMatchObject({ kind: 'audio', stored: { sha256: sha(OGG), mimeType: 'audio/ogg' } });
    expect(out.parts[1]).toMatchObject({ intakeError: { code: 'fetch_failed' } });
    expect(seen).toEqual([
      ['platform:voice1', 1000],
      ['platform:gone', 1000],
    ]);
    expect(calls).toBe(2);
  });
});
