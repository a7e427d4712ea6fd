import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeAdapterContract } from '../../test/contract/adapter-contract.js';
import type { DeliveryEnvelope, RawRequest } from '../../src/core/adapter.js';
import { ParleyError } from '../../src/core/errors.js';
import { createTelegramAdapter } from './adapter.js';
import { telegramChannel } from './channel.js';
import type { TelegramConfig } from './config.js';
import { FakeBotApi, testContext } from '../../test/support/telegram.js';
import { secretHeader } from './verify.js';

const token = '123456:TEST-token_abc';
const secretToken = 'wh-secret_1';
const ref = { channelId: 'tg-test', chatId: '42', userId: '42' };
const envelope: DeliveryEnvelope = { idempotencyKey: 'out-1', messageId: 'm1', seq: 1, role: 'bot', attempt: 1, createdAt: 0 };

function config(overrides: Record<string, unknown> = {}): TelegramConfig {
  const parsed = telegramChannel.parseConfig({ token, secretToken, ...overrides });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.value;
}

const fixtureDir = new URL('./fixtures/', import.meta.url);
const fixtureBodies = readdirSync(fixtureDir)
  .filter((f) => f.endsWith('.json') && !f.startsWith('recorded_'))
  .map((f) => readFileSync(new URL(f, fixtureDir)));

const signed = (body: Buffer): RawRequest => ({
  method: 'POST',
  url: '/webhooks/tg-test',
  headers: { 'content-type': 'application/json', [secretHeader]: secretToken },
  query: {},
  body,
});

describeAdapterContract({
  name: 'telegram',
  create: () => createTelegramAdapter(config(), testContext()),
  validRequests: () => fixtureBodies.map(signed),
  // Telegram signs nothing in the body: tampering means a forged or missing secret header.
  tamper: (req) => ({ ...req, headers: { ...req.headers, [secretHeader]: 'wh-secret_2' } }),
});

describe('telegram adapter against a local Bot API', () => {
  let api: FakeBotApi;
  beforeEach(async () => {
    api = await new FakeBotApi().listen();
  });
  afterEach(() => api.close());

  const adapter = (overrides: Record<string, unknown> = {}, ctx = testContext()) => createTelegramAdapter(config({ apiRoot: api.apiRoot, ...overrides }), ctx);

  it('start() registers the webhook with the public URL and secret_token', async () => {
    await adapter().start?.();
    expect(api.calls).toEqual([
      {
        method: 'setWebhook',
        token,
        path: `/bot${token}/setWebhook`,
        contentType: 'application/json',
        body: {
          url: 'https://parley.example/webhooks/tg-test',
          secret_token: secretToken,
          allowed_updates: ['message', 'edited_message', 'callback_query', 'my_chat_member'],
          drop_pending_updates: false,
        },
      },
    ]);
  });

  it('start() says what to fix when setWebhook is refused or the token or URL is missing', async () => {
    api.on('setWebhook', () => ({
      status: 400,
      body: { ok: false, error_code: 400, description: 'Bad Request: bad webhook: HTTPS url must be provided for webhook' },
    }));
    await expect(adapter().start?.()).rejects.toThrow(/setWebhook failed \(400 .*HTTPS url.*\)\. Check that the public URL is HTTPS/);
    await expect(adapter({ token: '' }).start?.()).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('TELEGRAM_BOT_TOKEN') });
    await expect(adapter({}, testContext({ publicUrl: undefined })).start?.()).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });

  it('deliver posts each payload to /bot<token>/<method> as JSON and returns message ids', async () => {
    const a = adapter();
    const payloads = a.render({ parts: [{ kind: 'image', url: 'https://example.com/a.jpg', caption: 'Parcel' }] }, ref);
    const text = a.render({ parts: [{ kind: 'text', text: 'Hi & bye', markup: 'plain' }] }, ref);
    const receipt = await a.deliver(ref, [...payloads, ...text], envelope);
    expect(receipt.platformMessageIds).toEqual(['101', '102']);
    expect(api.calls.map((c) => [c.path, c.contentType, c.body])).toEqual([
      [`/bot${token}/sendPhoto`, 'application/json', { chat_id: '42', photo: 'https://example.com/a.jpg', caption: 'Parcel', parse_mode: 'HTML' }],
      [`/bot${token}/sendMessage`, 'application/json', { chat_id: '42', text: 'Hi &amp; bye', parse_mode: 'HTML' }],
    ]);
  });

  it('a retry skips the payloads that were already sent', async () => {
    const ctx = testContext();
    const a = adapter({}, ctx);
    const payloads = a.render({ parts: [{ kind: 'text', text: 'one' }] }, ref).concat(a.render({ parts: [{ kind: 'text', text: 'two' }] }, ref));
    let fail = true;
    api.on('sendMessage', (call) => {
      if (call.body.text === 'two' && fail) return { status: 502, body: 'Bad Gateway' };
      return { body: { ok: true, result: { message_id: call.body.text === 'one' ? 1 : 2 } } };
    });
    await expect(a.deliver(ref, payloads, envelope)).rejects.toMatchObject({ retryable: true });
    fail = false;
    const receipt = await a.deliver(ref, payloads, { ...envelope, attempt: 2 });
    expect(receipt.platformMessageIds).toEqual(['1', '2']);
    expect(api.calls.map((c) => c.body.text)).toEqual(['one', 'two', 'two']);
  });

  it('429 with retry_after is retryable after that delay', async () => {
    api.on('sendMessage', () => ({
      status: 429,
      body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 7', parameters: { retry_after: 7 } },
    }));
    const err = await adapter()
      .deliver(ref, adapter().render({ parts: [{ kind: 'text', text: 'x' }] }, ref), envelope)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParleyError);
    expect(err).toMatchObject({ code: 'DELIVERY_FAILED', reason: 'rate_limited', retryable: true, retryAfterMs: 7000 });
  });

  it('400 is invalid, 403 blocked, 401 auth: none retried; 5xx is transient and retried', async () => {
    const payloads = adapter().render({ parts: [{ kind: 'text', text: 'x' }] }, ref);
    const send = (status: number, description: string) => {
      api.on('sendMessage', () => ({ status, body: { ok: false, error_code: status, description } }));
      return adapter()
        .deliver(ref, payloads, envelope)
        .then(
          () => undefined,
          (e: unknown) => e as ParleyError,
        );
    };
    const bad = await send(400, 'Bad Request: chat not found');
    expect(bad).toMatchObject({ reason: 'invalid', retryable: false, message: 'Telegram sendMessage failed (400 Bad Request: chat not found).' });
    expect(bad?.retryAfterMs).toBeUndefined();
    expect(await send(403, 'Forbidden: bot was blocked by the user')).toMatchObject({
      reason: 'blocked',
      retryable: false,
      message: expect.stringContaining('blocked'),
    });
    expect(await send(401, 'Unauthorized')).toMatchObject({ reason: 'auth', retryable: false, message: expect.stringContaining('TELEGRAM_BOT_TOKEN') });
    api.on('sendMessage', () => ({ status: 500, body: 'Internal Server Error' }));
    expect(
      await adapter()
        .deliver(ref, payloads, envelope)
        .catch((e: unknown) => e),
    ).toMatchObject({ reason: 'transient', retryable: true });
  });

  it('an unreachable Bot API is retryable and the error never shows the token', async () => {
    const a = adapter({ apiRoot: 'http://127.0.0.1:1' });
    const err = (await a.deliver(ref, a.render({ parts: [{ kind: 'text', text: 'x' }] }, ref), envelope).catch((e: unknown) => e)) as ParleyError;
    expect(err).toMatchObject({ code: 'DELIVERY_FAILED', reason: 'transient', retryable: true });
    expect(`${err.message} ${JSON.stringify(err.details)}`).not.toContain('TEST-token_abc');
  });

  it('sendTyping sends the typing chat action', async () => {
    await adapter().sendTyping?.({ ...ref, threadId: '77' });
    expect(api.calls).toMatchObject([{ method: 'sendChatAction', body: { chat_id: '42', action: 'typing', message_thread_id: 77 } }]);
  });

  it('fetchMedia resolves platform:<file_id> through getFile and the file endpoint', async () => {
    api.on('getFile', () => ({ body: { ok: true, result: { file_id: 'AgAD', file_unique_id: 'u', file_path: 'photos/file_1.jpg' } } }));
    const media = await adapter().fetchMedia('platform:AgAD');
    expect(media.data.toString()).toBe('file:photos/file_1.jpg');
    expect(api.calls).toMatchObject([{ method: 'getFile', body: { file_id: 'AgAD' } }]);
  });
});
