import { afterEach, describe, expect, it } from 'vitest';
import type { DeliveryEnvelope } from '../../src/core/adapter.js';
import { isParleyError, type ParleyError } from '../../src/core/errors.js';
import { createWhatsAppAdapter } from './adapter.js';
import { whatsappConfigSchema } from './config.js';
import { graphServer, type Recorded, testContext } from '../../test/support/whatsapp.js';
import { renderTemplate } from './window.js';

const TOKEN = 'EAAG-test-token';
const ref = { channelId: 'wa-test', chatId: '34612345678', userId: '34612345678' };
const envelope: DeliveryEnvelope = { idempotencyKey: 'out-1', messageId: 'm1', seq: 1, role: 'bot', attempt: 1, createdAt: 0 };
let close: (() => Promise<void>) | undefined;

afterEach(async () => {
  await close?.();
  close = undefined;
});

async function setup(handler: (req: Recorded, base: string) => { status?: number; headers?: Record<string, string>; body: string | Buffer | object }) {
  const server = await graphServer(handler);
  close = server.close;
  const config = whatsappConfigSchema.parse({ phoneNumberId: '106540352242922', accessToken: TOKEN, appSecret: 's', graphBaseUrl: `${server.base}/` });
  const ctx = testContext();
  return { ...server, ctx, adapter: createWhatsAppAdapter(config, ctx) };
}

const ok = (id: string) => ({ body: { messaging_product: 'whatsapp', contacts: [{ input: '34612345678', wa_id: '34612345678' }], messages: [{ id }] } });
const graphError = (status: number, code: number, headers?: Record<string, string>) => ({
  status,
  headers,
  body: { error: { message: `(#${code}) error`, type: 'OAuthException', code, error_data: { messaging_product: 'whatsapp', details: 'x' }, fbtrace_id: 'A' } },
});

async function failure(promise: Promise<unknown>): Promise<ParleyError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isParleyError(err, 'DELIVERY_FAILED')) throw new Error(`expected DELIVERY_FAILED, got ${String(err)}`);
  return err;
}

describe('deliver against a local Graph API', () => {
  it('POSTs each body to /{version}/{phone-number-id}/messages with the bearer token and returns the wamids', async () => {
    let n = 0;
    const { adapter, requests } = await setup(() => ok(`wamid.out${++n}`));
    const payloads = adapter.render(
      {
        parts: [
          { kind: 'text', text: 'Hola' },
          { kind: 'location', latitude: 1.5, longitude: 2.5 },
        ],
      },
      ref,
    );
    const receipt = await adapter.deliver(ref, payloads, envelope);
    expect(receipt).toEqual({ platformMessageIds: ['wamid.out1', 'wamid.out2'] });
    expect(requests).toHaveLength(2);
    const [first] = requests;
    expect(first?.method).toBe('POST');
    expect(first?.url).toBe('/v21.0/106540352242922/messages');
    expect(first?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(first?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(first?.body ?? '')).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '34612345678',
      type: 'text',
      text: { body: 'Hola', preview_url: false },
    });
  });

  it('sends from the business number the shopper wrote to', async () => {
    const { adapter, requests } = await setup(() => ok('wamid.x'));
    const other = { ...ref, extra: { phoneNumberId: '200000000000002' } };
    await adapter.deliver(other, adapter.render({ parts: [{ kind: 'text', text: 'Hi' }] }, other), envelope);
    expect(requests[0]?.url).toBe('/v21.0/200000000000002/messages');
  });

  it('addresses template payloads to the conversation', async () => {
    const { adapter, requests } = await setup(() => ok('wamid.t'));
    await adapter.deliver(ref, [renderTemplate('order_shipped_v2', 'es', ['A-1042'])], envelope);
    expect(JSON.parse(requests[0]?.body ?? '')).toMatchObject({
      to: '34612345678',
      type: 'template',
      template: { name: 'order_shipped_v2', language: { code: 'es' } },
    });
  });

  it('a 429 with Retry-After is retryable after that delay', async () => {
    const { adapter } = await setup(() => ({ status: 429, headers: { 'retry-after': '7' }, body: {} }));
    const err = await failure(adapter.deliver(ref, adapter.render({ parts: [{ kind: 'text', text: 'Hi' }] }, ref), envelope));
    expect(err).toMatchObject({ reason: 'rate_limited', retryable: true });
    expect(err.retryAfterMs).toBe(7000);
  });

  it('Graph rate limits (130429, 131056) are retryable with a wait', async () => {
    for (const code of [130429, 131056]) {
      const { adapter } = await setup(() => graphError(400, code));
      const err = await failure(adapter.deliver(ref, adapter.render({ parts: [{ kind: 'text', text: 'Hi' }] }, ref), envelope));
      expect(err).toMatchObject({ reason: 'rate_limited', retryable: true });
      expect(err.retryAfterMs).toBeGreaterThan(0);
      expect(err.details.graphCode).toBe(code);
      await close?.();
      close = undefined;
    }
  });

  it('a closed 24-hour window (131047) is final and says what to do', async () => {
    const { adapter } = await setup(() => graphError(400, 131047));
    const err = await failure(adapter.deliver(ref, adapter.render({ parts: [{ kind: 'text', text: 'Hi' }] }, ref), envelope));
    expect(err).toMatchObject({ reason: 'invalid', retryable: false });
    expect(err.message).toMatch(/131047/);
    expect(err.message).toMatch(/24-hour/);
    expect(err.message).toMatch(/template/);
  });

  it('another 400 is not retryable; a 5xx is', async () => {
    const bad = await setup(() => graphError(400, 100));
    const err400 = await failure(bad.adapter.deliver(ref, bad.adapter.render({ parts: [{ kind: 'text', text: 'Hi' }] }, ref), envelope));
    expect(err400).toMatchObject({ reason: 'invalid', retryable: false });
    await close?.();
    const down = await setup(() => ({ status: 503, body: 'unavailable' }));
    const err503 = await failure(down.adapter.deliver(ref, down.adapter.render({ parts: [{ kind: 'text', text: 'Hi' }] }, ref), envelope));
    expect(err503).toMatchObject({ reason: 'transient', retryable: true });
  });

  it('a number not on WhatsApp (131026) is blocked, not retried', async () => {
    const { adapter } = await setup(() => graphError(400, 131026));
    const err = await failure(adapter.deliver(ref, adapter.render({ parts: [{ kind: 'text', text: 'Hi' }] }, ref), envelope));
    expect(err).toMatchObject({ reason: 'blocked', retryable: false, details: { graphCode: 131026 } });
  });

  it('an expired token names the env var', async () => {
    const { adapter } = await setup(() => graphError(401, 190));
    const err = await failure(adapter.deliver(ref, adapter.render({ parts: [{ kind: 'text', text: 'Hi' }] }, ref), envelope));
    expect(err).toMatchObject({ reason: 'auth', retryable: false });
    expect(err.message).toContain('WHATSAPP_ACCESS_TOKEN');
  });

  it('a retry after a partial failure does not resend the parts already shown', async () => {
    let calls = 0;
    const { adapter, requests } = await setup(() => (++calls === 2 ? { status: 500, body: {} } : ok(`wamid.${calls}`)));
    const payloads = adapter.render(
      {
        parts: [
          { kind: 'text', text: 'One' },
          { kind: 'image', url: 'https://x.example/a.jpg' },
        ],
      },
      ref,
    );
    await failure(adapter.deliver(ref, payloads, envelope));
    const receipt = await adapter.deliver(ref, payloads, { ...envelope, attempt: 2 });
    expect(receipt.platformMessageIds).toEqual(['wamid.1', 'wamid.3']);
    expect(requests.map((r) => JSON.parse(r.body).type)).toEqual(['text', 'image', 'image']);
  });

  it('without an access token, sends fail at once naming WHATSAPP_ACCESS_TOKEN', async () => {
    const config = whatsappConfigSchema.parse({ phoneNumberId: '1' });
    const adapter = createWhatsAppAdapter(config, testContext());
    const err = await failure(adapter.deliver(ref, adapter.render({ parts: [{ kind: 'text', text: 'Hi' }] }, ref), envelope));
    expect(err.retryable).toBe(false);
    expect(err.message).toContain('WHATSAPP_ACCESS_TOKEN');
  });
});

describe('markAsRead and fetchMedia', () => {
  it('marks a message read', async () => {
    const { adapter, requests } = await setup(() => ({ body: { success: true } }));
    await adapter.markAsRead({ ...ref, extra: { phoneNumberId: '1122334455667' } }, 'wamid.in');
    expect(requests[0]?.url).toBe('/v21.0/1122334455667/messages');
    expect(requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(JSON.parse(requests[0]?.body ?? '')).toEqual({ messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.in' });
  });

  it('looks the media id up, then downloads the URL with the token', async () => {
    const bytes = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    const { adapter, requests } = await setup((req, base) =>
      req.url === '/v21.0/65463453'
        ? {
            body: {
              messaging_product: 'whatsapp',
              url: `${base}/whatsapp_business/attachments/?mid=65463453&ext=1`,
              mime_type: 'image/jpeg',
              sha256: 'x',
              file_size: 7,
              id: '65463453',
            },
          }
        : { body: bytes, headers: { 'content-type': 'image/jpeg' } },
    );
    const media = await adapter.fetchMedia('platform:65463453');
    expect(media.mimeType).toBe('image/jpeg');
    expect(Buffer.compare(media.data, bytes)).toBe(0);
    expect(requests.map((r) => [r.method, r.url, r.headers.authorization])).toEqual([
      ['GET', '/v21.0/65463453', `Bearer ${TOKEN}`],
      ['GET', '/whatsapp_business/attachments/?mid=65463453&ext=1', `Bearer ${TOKEN}`],
    ]);
  });

  it('an unknown media id fails without retry; a failing download is retryable on 5xx', async () => {
    const missing = await setup(() => graphError(400, 100));
    expect((await failure(missing.adapter.fetchMedia('1'))).retryable).toBe(false);
    await close?.();
    const flaky = await setup((req, base) => (req.url === '/v21.0/2' ? { body: { url: `${base}/file` } } : { status: 502, body: '' }));
    expect((await failure(flaky.adapter.fetchMedia('2'))).retryable).toBe(true);
  });
});
