import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Answer, PlatformServer } from '../../test/support/platform-server.js';
import { chromiumArgs, createLibraryClient, type LibraryModule, libraryClientOptions, loadLibrary, toLibraryContent } from './client.js';

// The real whatsapp-web.js, without a browser: these tests build its objects from media
// downloaded from a local server. If the package cannot load here, the
// adapter still works with an injected client, so the suite is skipped rather than failed.
const lib: LibraryModule | undefined = await loadLibrary().catch(() => undefined);

describe.skipIf(!lib)('the real client wraps whatsapp-web.js', () => {
  const wa = lib as LibraryModule;
  const media: Record<string, Answer> = {
    '/photo.jpg': { bytes: Buffer.from([0xff, 0xd8, 0xff, 0xd9]), headers: { 'content-type': 'image/jpeg', 'content-length': '4' } },
    '/docs/invoice': { text: '%PDF-1.4', headers: { 'content-type': 'application/pdf; qs=0.9' } },
    '/dl?id=7': { text: 'png', headers: { 'content-type': 'image/png', 'content-disposition': 'attachment; filename="label.png"' } },
    '/busy.jpg': { status: 503, headers: { 'retry-after': '12' } },
    '/huge.jpg': { bytes: Buffer.alloc(17 * 1024 * 1024), headers: { 'content-type': 'image/jpeg' } },
  };
  const server = new PlatformServer((req) => media[req.url] ?? { status: 404, text: '<h1>Not found</h1>', headers: { 'content-type': 'text/html' } });
  let base = '';
  beforeAll(async () => {
    base = (await server.start()).url;
  });
  afterAll(() => server.stop());

  it('LocalAuth keeps the session under the data folder; Chromium is the configured one, headless, with server flags', () => {
    const options = libraryClientOptions(wa, { clientId: 'wa-web', dataPath: '/var/lib/parley', executablePath: '/usr/bin/chromium', headless: true, fetch });
    const auth = options.authStrategy as { clientId: string; dataPath: string };
    expect(auth).toBeInstanceOf(wa.LocalAuth);
    expect({ clientId: auth.clientId, dataPath: auth.dataPath }).toEqual({ clientId: 'wa-web', dataPath: '/var/lib/parley' });
    expect(options.puppeteer).toEqual({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
    });
    expect(options.webVersionCache).toEqual({ type: 'local', path: '/var/lib/parley/wwebjs-cache' });
    expect([...chromiumArgs]).toHaveLength(4);
    // The library accepts them without launching anything.
    expect(() => new wa.Client(options)).not.toThrow();
  });

  it('media by URL becomes a MessageMedia with the served type and name', async () => {
    const media = (await toLibraryContent(wa, { media: { kind: 'image', url: `${base}/photo.jpg` } })) as {
      mimetype: string;
      data: string;
      filename: string;
      filesize: number;
    };
    expect(media).toBeInstanceOf(wa.MessageMedia);
    expect(media).toMatchObject({ mimetype: 'image/jpeg', data: Buffer.from([0xff, 0xd8, 0xff, 0xd9]).toString('base64'), filename: 'photo.jpg', filesize: 4 });
    const doc = await toLibraryContent(wa, { media: { kind: 'file', url: `${base}/docs/invoice`, filename: 'invoice-10234.pdf' } });
    expect(doc).toMatchObject({ mimetype: 'application/pdf', filename: 'invoice-10234.pdf' });
    expect(await toLibraryContent(wa, { media: { kind: 'image', url: `${base}/dl?id=7` } })).toMatchObject({ mimetype: 'image/png', filename: 'label.png' });
  });

  it('a 404 is refused, not sent as an image (MessageMedia.fromUrl would send the error page)', async () => {
    await expect(toLibraryContent(wa, { media: { kind: 'image', url: `${base}/gone.jpg` } })).rejects.toMatchObject({
      code: 'DELIVERY_FAILED',
      retryable: false,
      details: { status: 404 },
    });
  });

  it("503 with Retry-After and unreachable hosts are retryable; media over WhatsApp's limit is not", async () => {
    await expect(toLibraryContent(wa, { media: { kind: 'image', url: `${base}/busy.jpg` } })).rejects.toMatchObject({ retryable: true, retryAfterMs: 12_000 });
    await expect(toLibraryContent(wa, { media: { kind: 'image', url: 'http://127.0.0.1:1/x.jpg' } })).rejects.toMatchObject({
      code: 'DELIVERY_FAILED',
      retryable: true,
    });
    await expect(toLibraryContent(wa, { media: { kind: 'image', url: `${base}/huge.jpg` } })).rejects.toMatchObject({
      retryable: false,
      message: expect.stringContaining('16 MB'),
    });
  });

  it('locations become a Location; text stays text', async () => {
    const loc = await toLibraryContent(wa, { location: { latitude: 52.37, longitude: 4.89, name: 'Pawsome HQ', address: 'Kalverstraat 1' } });
    expect(loc).toBeInstanceOf(wa.Location);
    expect(loc).toMatchObject({ latitude: 52.37, longitude: 4.89, name: 'Pawsome HQ', address: 'Kalverstraat 1', description: 'Pawsome HQ\nKalverstraat 1' });
    expect(await toLibraryContent(wa, 'Hallo')).toBe('Hallo');
  });
});

describe('createLibraryClient', () => {
  it('names the missing browser before loading anything', async () => {
    await expect(
      createLibraryClient({ clientId: 'wa-web', dataPath: '/tmp/x', executablePath: '/nonexistent/chromium', headless: true, fetch }),
    ).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('WHATSAPP_WEB_CHROMIUM'),
    });
  });
});
