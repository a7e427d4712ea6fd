import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { RawRequest } from '../../src/core/adapter.js';
import { whatsappWebCapabilities } from './capabilities.js';
import { createWhatsAppWebAdapter, type WhatsAppWebAdapter, sendArgs, toChatId } from './adapter.js';
import { whatsappWebChannel } from './channel.js';
import { renderMessage } from './render.js';
import { FakeClient, FakeLeases, testContext, until } from '../../test/support/whatsapp-web.js';

const ref = { channelId: 'wa-web', chatId: '491701234567@c.us', userId: '491701234567@c.us' };
const envelope = (attempt = 1) => ({ idempotencyKey: 'out-42', messageId: 'm42', seq: 3, role: 'bot' as const, attempt, createdAt: 0 });

function parse(raw: unknown) {
  const parsed = whatsappWebChannel.parseConfig(raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.value;
}

const started: WhatsAppWebAdapter[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((a) => a.stop?.()));
});

async function readyAdapter() {
  const ctx = testContext({ clock: { now: () => Date.now() }, leases: new FakeLeases().for('a') });
  const clients: FakeClient[] = [];
  const adapter = createWhatsAppWebAdapter(parse({ executablePath: '/usr/bin/chromium' }), ctx, {
    createClient: (opts) => {
      const client = new FakeClient(opts);
      clients.push(client);
      return client;
    },
    printQr: () => {},
  });
  started.push(adapter);
  await adapter.start?.();
  await until(() => clients[0]?.initialized === 1, 'initialize');
  const [client] = clients;
  if (!client) throw new Error('no client');
  client.emit('ready');
  return { adapter, ctx, client };
}

describe('whatsapp-web config', () => {
  it('defaults: Debian Chromium, headless, no groups, QR printed', () => {
    const saved = process.env.WHATSAPP_WEB_CHROMIUM;
    delete process.env.WHATSAPP_WEB_CHROMIUM;
    try {
      expect(parse({})).toEqual({
        executablePath: '/usr/bin/chromium',
        headless: true,
        allowGroups: false,
        printQr: true,
        leaseTtlMs: 60_000,
        standbyRetryMs: 15_000,
        reconnectDelayMs: 5_000,
      });
      expect(parse({ executablePath: '' }).executablePath).toBe('/usr/bin/chromium');
      process.env.WHATSAPP_WEB_CHROMIUM = '/opt/chrome/chrome';
      expect(parse({}).executablePath).toBe('/opt/chrome/chrome');
      expect(parse({ executablePath: '/snap/bin/chromium' }).executablePath).toBe('/snap/bin/chromium');
    } finally {
      if (saved === undefined) delete process.env.WHATSAPP_WEB_CHROMIUM;
      else process.env.WHATSAPP_WEB_CHROMIUM = saved;
    }
  });

  it('reports unknown keys and bad values with their paths', () => {
    const parsed = whatsappWebChannel.parseConfig({ headless: 'yes', allowGroup: true });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues.map((i) => i.path.join('.') || i.message)).toEqual(expect.arrayContaining(['headless']));
  });

  it('describe names a missing browser and warns that the channel is unofficial', () => {
    const missing = whatsappWebChannel.describe?.(parse({ executablePath: '/nonexistent/chromium' }));
    expect(missing?.missing[0]).toContain('WHATSAPP_WEB_CHROMIUM');
    expect(missing?.notes?.join(' ')).toMatch(/UNOFFICIAL/);
  });
});

describe('whatsapp-web has no webhook', () => {
  it('verify refuses every request with 404; normalize yields nothing', async () => {
    const adapter = createWhatsAppWebAdapter(parse({}), testContext());
    const req: RawRequest = { method: 'POST', url: '/webhooks/wa-web', headers: {}, query: {}, body: Buffer.from('{"from":"491701234567@c.us","body":"hi"}') };
    expect(await adapter.verify(req)).toEqual({ ok: false, status: 404, reason: 'whatsapp-web channels have no webhook' });
    expect(adapter.type).toBe('whatsapp-web');
    expect(adapter.capabilities).toBe(whatsappWebCapabilities);
    expect(adapter.capabilities.buttons).toBe(false);
    expect(adapter.handshake).toBeUndefined();
  });

  it('creating the adapter starts nothing', () => {
    let created = 0;
    createWhatsAppWebAdapter(parse({}), testContext(), {
      createClient: (o) => {
        created += 1;
        return new FakeClient(o);
      },
    });
    expect(created).toBe(0);
  });
});

describe('deliver (sendMessage on the client)', () => {
  it('sends text, media with caption, files as documents and location pins; returns message ids', async () => {
    const { adapter, client } = await readyAdapter();
    const payloads = [
      ...renderMessage({ parts: [{ kind: 'text', text: '**Hallo** Jonas', markup: 'markdown' }], replyTo: 'false_491701234567@c.us_A5F1' }, ref),
      ...renderMessage({ parts: [{ kind: 'image', url: 'https://cdn.example/p.jpg', caption: 'Your parcel' }] }, ref),
      ...renderMessage({ parts: [{ kind: 'file', url: 'https://cdn.example/i.pdf', name: 'invoice.pdf' }] }, ref),
      ...renderMessage({ parts: [{ kind: 'location', latitude: 52.37, longitude: 4.89, name: 'Pawsome HQ', address: 'Kalverstraat 1' }] }, ref),
    ];
    const receipt = await adapter.deliver(ref, payloads, envelope());
    expect(client.sent).toEqual([
      { chatId: '491701234567@c.us', content: '*Hallo* Jonas', options: { quotedMessageId: 'false_491701234567@c.us_A5F1' } },
      { chatId: '491701234567@c.us', content: { media: { kind: 'image', url: 'https://cdn.example/p.jpg' } }, options: { caption: 'Your parcel' } },
      {
        chatId: '491701234567@c.us',
        content: { media: { kind: 'file', url: 'https://cdn.example/i.pdf', filename: 'invoice.pdf' } },
        options: { sendMediaAsDocument: true },
      },
      { chatId: '491701234567@c.us', content: { location: { latitude: 52.37, longitude: 4.89, name: 'Pawsome HQ', address: 'Kalverstraat 1' } }, options: {} },
    ]);
    expect(receipt.platformMessageIds).toEqual([1, 2, 3, 4].map((n) => `true_491701234567@c.us_3EB0${String(n).padStart(16, '0')}`));
  });

  it('a phone number as chat id becomes its WhatsApp id', async () => {
    const { adapter, client } = await readyAdapter();
    await adapter.deliver({ ...ref, chatId: '+49 170 1234567' }, [{ type: 'text', text: 'Ihr Paket ist da.' }], envelope());
    expect(client.sent[0]?.chatId).toBe('491701234567@c.us');
    expect(toChatId('120363025246125486@g.us')).toBe('120363025246125486@g.us');
    expect(toChatId('178923456781234@lid')).toBe('178923456781234@lid');
  });

  it('a retry does not resend the parts that went out', async () => {
    const { adapter, client } = await readyAdapter();
    const payloads = [
      { type: 'text' as const, text: 'one' },
      { type: 'text' as const, text: 'two' },
    ];
    let sent = 0;
    const original = client.sendMessage.bind(client);
    client.sendMessage = async (chatId, content, options) => {
      sent += 1;
      if (sent === 2) throw new Error('Evaluation failed: TypeError: Cannot read properties of undefined');
      return original(chatId, content, options);
    };
    await expect(adapter.deliver(ref, payloads, envelope(1))).rejects.toMatchObject({ code: 'DELIVERY_FAILED', retryable: true, retryAfterMs: 10_000 });
    const receipt = await adapter.deliver(ref, payloads, envelope(2));
    expect(client.sent.map((c) => c.content)).toEqual(['one', 'two']);
    expect(receipt.platformMessageIds).toHaveLength(2);
  });

  it('an unknown recipient is not retried; not being connected is', async () => {
    const { adapter, client } = await readyAdapter();
    client.failNext = new Error('Evaluation failed: Error: wid error: invalid wid');
    await expect(adapter.deliver(ref, [{ type: 'text', text: 'x' }], envelope())).rejects.toMatchObject({
      code: 'DELIVERY_FAILED',
      reason: 'blocked',
      retryable: false,
    });

    client.emit('qr', '2@abc');
    await expect(adapter.deliver(ref, [{ type: 'text', text: 'x' }], envelope())).rejects.toMatchObject({
      code: 'DELIVERY_FAILED',
      reason: 'transient',
      retryable: true,
      retryAfterMs: 30_000,
      message: expect.stringContaining('/channels/wa-web/status'),
    });
  });

  it('downloads media of received messages by platform url; typing goes to the chat', async () => {
    const { adapter, client } = await readyAdapter();
    client.media.set('false_34612345678@c.us_3A7D2C9B1E4F6A8C0D2E', { data: Buffer.from('jpeg'), mimeType: 'image/jpeg' });
    expect(await adapter.fetchMedia('platform:false_34612345678@c.us_3A7D2C9B1E4F6A8C0D2E')).toEqual({ data: Buffer.from('jpeg'), mimeType: 'image/jpeg' });
    await expect(adapter.fetchMedia('platform:false_1@c.us_gone')).rejects.toMatchObject({ code: 'DELIVERY_FAILED', retryable: false });
    await adapter.sendTyping?.(ref);
    expect(client.typing).toEqual(['491701234567@c.us']);
  });

  it('sendArgs keeps audio as plain media', () => {
    expect(sendArgs({ type: 'media', kind: 'audio', url: 'https://cdn.example/a.ogg', mimeType: 'audio/ogg' })).toEqual([
      { media: { kind: 'audio', url: 'https://cdn.example/a.ogg', mimeType: 'audio/ogg' } },
      {},
    ]);
  });
});

describe('whatsapp-web.js stays inside this folder and is imported lazily', () => {
  it('only client.ts names the package, and only in a dynamic import', () => {
    const dir = new URL('./', import.meta.url);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
      const source = readFileSync(new URL(file, dir), 'utf8');
      const mentions = source.match(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]whatsapp-web\.js['"]/g) ?? [];
      expect(mentions, file).toEqual(file === 'client.ts' ? ["import('whatsapp-web.js'"] : []);
    }
  });
});
