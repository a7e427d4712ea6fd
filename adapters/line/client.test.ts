import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConversationRef } from '../../src/core/message.js';
import { createLineAdapter, type LineAdapter } from './adapter.js';
import { retryKey } from './client.js';
import type { LineMessageObject } from './render.js';
import { envelope, fakeContext, lineApiServer, testConfig } from '../../test/support/line.js';
import { failure } from '../../test/support/adapter-context.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const text = (t: string): LineMessageObject => ({ type: 'text', text: t });
const texts = (n: number) => Array.from({ length: n }, (_, i) => text(`m${i + 1}`));

let api: Awaited<ReturnType<typeof lineApiServer>>;
let fake: ReturnType<typeof fakeContext>;
let line: LineAdapter;

/** A one-on-one chat whose last event came `ageMs` ago with a reply token. */
function refWithToken(ageMs: number, token = 'reply-token-1'): ConversationRef {
  return {
    channelId: 'line-test',
    chatId: 'U1',
    userId: 'U1',
    extra: { sourceType: 'user', replyToken: token, replyTokenAt: fake.clock.now() - ageMs },
  };
}

beforeEach(async () => {
  api = await lineApiServer();
  fake = fakeContext();
  line = createLineAdapter(testConfig(api.url), fake.ctx);
});

afterEach(async () => {
  await api.close();
});

describe('LINE deliver: reply token, then push', () => {
  it('replies with a fresh token: POST /v2/bot/message/reply, bearer token, no retry key', async () => {
    const receipt = await line.deliver(refWithToken(10_000), [text('Hello')], envelope());
    expect(api.requests).toHaveLength(1);
    const [req] = api.requests;
    expect(req).toMatchObject({ method: 'POST', path: '/v2/bot/message/reply' });
    expect(req?.headers.authorization).toBe('Bearer line-test-access-token');
    expect(req?.headers['content-type']).toBe('application/json');
    expect(req?.headers['x-line-retry-key']).toBeUndefined();
    expect(req?.body).toEqual({ replyToken: 'reply-token-1', messages: [{ type: 'text', text: 'Hello' }] });
    expect(receipt.platformMessageIds).toEqual(['1-0']);
  });

  it('a second message with the same token is pushed with X-Line-Retry-Key', async () => {
    const ref = refWithToken(5_000);
    await line.deliver(ref, [text('first')], envelope({ idempotencyKey: 'out-1' }));
    await line.deliver(ref, [text('second')], envelope({ idempotencyKey: 'out-2' }));
    const push = api.requests[1];
    expect(push).toMatchObject({ method: 'POST', path: '/v2/bot/message/push', body: { to: 'U1', messages: [{ type: 'text', text: 'second' }] } });
    expect(push?.headers.authorization).toBe('Bearer line-test-access-token');
    expect(push?.headers['x-line-retry-key']).toBe(retryKey('out-2', 0));
    expect(push?.headers['x-line-retry-key']).toMatch(uuid);
  });

  it('a token older than 50 s is not used: the message is pushed', async () => {
    await line.deliver(refWithToken(51_000), [text('late')], envelope());
    expect(api.requests.map((r) => r.path)).toEqual(['/v2/bot/message/push']);
  });

  it('a push goes to the group or room, not the user', async () => {
    await line.deliver({ channelId: 'line-test', chatId: 'Cgroup', userId: 'U1' }, [text('hi all')], envelope());
    expect(api.requests[0]?.body).toEqual({ to: 'Cgroup', messages: [{ type: 'text', text: 'hi all' }] });
  });

  it('falls back to push when LINE answers 400 "Invalid reply token"', async () => {
    api.answers.push({ status: 400, body: { message: 'Invalid reply token' } });
    const receipt = await line.deliver(refWithToken(1_000), [text('Hello')], envelope());
    expect(api.requests.map((r) => r.path)).toEqual(['/v2/bot/message/reply', '/v2/bot/message/push']);
    expect(receipt.platformMessageIds).toEqual(['2-0']);
  });

  it('sends at most 5 messages per request: reply the first five, push the rest', async () => {
    const receipt = await line.deliver(refWithToken(1_000), texts(12), envelope({ idempotencyKey: 'big' }));
    expect(api.requests.map((r) => [r.path, (r.body as { messages: unknown[] }).messages.length])).toEqual([
      ['/v2/bot/message/reply', 5],
      ['/v2/bot/message/push', 5],
      ['/v2/bot/message/push', 2],
    ]);
    expect(api.requests[1]?.headers['x-line-retry-key']).toBe(retryKey('big', 1));
    expect(api.requests[2]?.headers['x-line-retry-key']).toBe(retryKey('big', 2));
    expect(receipt.platformMessageIds).toHaveLength(12);
  });
});

describe('LINE deliver: failures and retries', () => {
  it('429 with Retry-After is retryable with retryAfterMs', async () => {
    api.answers.push({ status: 429, body: { message: 'The API rate limit has been exceeded. Try again later.' }, headers: { 'retry-after': '3' } });
    const err = await failure(line.deliver(refWithToken(60_000), [text('x')], envelope()));
    expect(err).toMatchObject({ code: 'DELIVERY_FAILED', reason: 'rate_limited', retryable: true, retryAfterMs: 3000 });
  });

  it('400 is not retryable; 500 is', async () => {
    api.answers.push({ status: 400, body: { message: 'The request body has 1 error(s)' } });
    expect(await failure(line.deliver(refWithToken(60_000), [text('x')], envelope()))).toMatchObject({ reason: 'invalid', retryable: false });
    api.answers.push({ status: 500, body: { message: 'Internal error' } });
    expect(await failure(line.deliver(refWithToken(60_000), [text('x')], envelope({ idempotencyKey: 'o2' })))).toMatchObject({
      reason: 'transient',
      retryable: true,
    });
  });

  it('401 names the env var to check', async () => {
    api.answers.push({ status: 401, body: { message: 'Authentication failed' } });
    const err = await failure(line.deliver(refWithToken(60_000), [text('x')], envelope()));
    expect(err.message).toContain('LINE_CHANNEL_ACCESS_TOKEN');
  });

  it('a retry repeats the same X-Line-Retry-Key and skips batches already sent', async () => {
    const ref = refWithToken(1_000);
    api.answers.push({ status: 200, body: { sentMessages: [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd' }, { id: 'e' }] } });
    api.answers.push({ status: 503, body: {} });
    await failure(line.deliver(ref, texts(7), envelope({ idempotencyKey: 'k7' })));
    const receipt = await line.deliver(ref, texts(7), envelope({ idempotencyKey: 'k7', attempt: 2 }));
    expect(api.requests.map((r) => r.path)).toEqual(['/v2/bot/message/reply', '/v2/bot/message/push', '/v2/bot/message/push']);
    expect(api.requests[1]?.headers['x-line-retry-key']).toBe(api.requests[2]?.headers['x-line-retry-key']);
    expect(receipt.platformMessageIds).toEqual(['a', 'b', 'c', 'd', 'e', '3-0', '3-1']);
  });

  it('a failed reply is not retried with the spent token: the retry pushes', async () => {
    const ref = refWithToken(1_000);
    api.answers.push({ status: 500, body: {} });
    await failure(line.deliver(ref, [text('x')], envelope()));
    await line.deliver(ref, [text('x')], envelope({ attempt: 2 }));
    expect(api.requests.map((r) => r.path)).toEqual(['/v2/bot/message/reply', '/v2/bot/message/push']);
  });

  // The window of a kill or a lost answer: the call reached LINE (or not), its answer never came back.
  function losingAnswers(which: 'after' | 'before') {
    let lose = true;
    const fetchOnce: typeof fetch = async (input, init) => {
      if (lose && String(input).endsWith('/v2/bot/message/reply')) {
        lose = false;
        if (which === 'after') await (await fetch(input, init)).body?.cancel();
        throw new TypeError('fetch failed: other side closed');
      }
      return fetch(input, init);
    };
    const ctx = fakeContext({ fetch: fetchOnce });
    return { ctx, line: createLineAdapter(testConfig(api.url), ctx.ctx) };
  }

  it('a reply whose answer was lost is tried again with its own token; LINE refusing it means it was delivered, so nothing is pushed', async () => {
    const { line: lossy } = losingAnswers('after');
    const ref = { ...refWithToken(1_000), extra: { sourceType: 'user', replyToken: 'tok-lost', replyTokenAt: fake.clock.now() - 1_000 } };
    await failure(lossy.deliver(ref, [text('x')], envelope({ idempotencyKey: 'k-lost' })));
    const receipt = await lossy.deliver(ref, [text('x')], envelope({ idempotencyKey: 'k-lost', attempt: 2 }));
    expect(api.requests.map((r) => r.path)).toEqual(['/v2/bot/message/reply', '/v2/bot/message/reply']);
    expect(receipt.platformMessageIds).toEqual([]);
  });

  it('a reply that never reached LINE goes out on the retry with its token, once', async () => {
    const { line: lossy } = losingAnswers('before');
    const ref = { ...refWithToken(1_000), extra: { sourceType: 'user', replyToken: 'tok-unsent', replyTokenAt: fake.clock.now() - 1_000 } };
    await failure(lossy.deliver(ref, [text('x')], envelope({ idempotencyKey: 'k-unsent' })));
    const receipt = await lossy.deliver(ref, [text('x')], envelope({ idempotencyKey: 'k-unsent', attempt: 2 }));
    expect(api.requests.map((r) => r.path)).toEqual(['/v2/bot/message/reply']);
    expect(receipt.platformMessageIds).toEqual(['1-0']);
  });

  it("another message's retry does not take the token its first batch holds", async () => {
    const { line: lossy } = losingAnswers('after');
    const ref = { ...refWithToken(1_000), extra: { sourceType: 'user', replyToken: 'tok-held', replyTokenAt: fake.clock.now() - 1_000 } };
    await failure(lossy.deliver(ref, [text('first')], envelope({ idempotencyKey: 'k-first' })));
    await lossy.deliver(ref, [text('second')], envelope({ idempotencyKey: 'k-second' }));
    expect(api.requests.map((r) => r.path)).toEqual(['/v2/bot/message/reply', '/v2/bot/message/push']);
  });

  it('409 (retry key already accepted) counts as delivered', async () => {
    api.answers.push({ status: 409, body: { message: 'The retry key is already accepted' }, headers: { 'x-line-accepted-request-id': 'r1' } });
    await expect(line.deliver(refWithToken(60_000), [text('x')], envelope())).resolves.toEqual({ platformMessageIds: [] });
  });

  it('without an access token nothing is sent and the error names LINE_CHANNEL_ACCESS_TOKEN', async () => {
    const bare = createLineAdapter(testConfig(api.url, { channelAccessToken: undefined }), fake.ctx);
    const err = await failure(bare.deliver(refWithToken(60_000), [text('x')], envelope()));
    expect(err).toMatchObject({ retryable: false });
    expect(err.message).toContain('LINE_CHANNEL_ACCESS_TOKEN');
    expect(api.requests).toHaveLength(0);
  });
});

describe('LINE typing, media and webhook registration', () => {
  it('shows the loading animation in one-on-one chats only', async () => {
    await line.sendTyping({ channelId: 'line-test', chatId: 'U1', userId: 'U1' });
    await line.sendTyping({ channelId: 'line-test', chatId: 'Cgroup', userId: 'U1' });
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]).toMatchObject({ method: 'POST', path: '/v2/bot/chat/loading/start', body: { chatId: 'U1', loadingSeconds: 20 } });
  });

  it('downloads platform:<id> content from the data API', async () => {
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]);
    api.answers.push({ status: 200, body: jpeg, headers: { 'content-type': 'image/jpeg' } });
    const media = await line.fetchMedia('platform:325708');
    expect(media).toEqual({ data: jpeg, mimeType: 'image/jpeg' });
    expect(api.requests[0]).toMatchObject({ method: 'GET', path: '/v2/bot/message/325708/content' });
    expect(api.requests[0]?.headers.authorization).toBe('Bearer line-test-access-token');
  });

  it('content still being prepared (202) is retryable; a foreign URL is refused', async () => {
    api.answers.push({ status: 202, body: {} });
    expect(await failure(line.fetchMedia('platform:325709'))).toMatchObject({ retryable: true });
    expect(await failure(line.fetchMedia('ftp://example.com/a.jpg'))).toMatchObject({ retryable: false });
  });

  it('external content is fetched from its public URL without the channel token', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    api.answers.push({ status: 200, body: png, headers: { 'content-type': 'image/png' } });
    const media = await line.fetchMedia(`${api.url}/external/photo.png`);
    expect(media).toEqual({ data: png, mimeType: 'image/png' });
    expect(api.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('start sets the webhook endpoint when the public URL is https', async () => {
    const https = fakeContext({ publicUrl: 'https://shop.example/' });
    await createLineAdapter(testConfig(api.url, { registerWebhook: true }), https.ctx).start?.();
    expect(api.requests[0]).toMatchObject({
      method: 'PUT',
      path: '/v2/bot/channel/webhook/endpoint',
      body: { endpoint: 'https://shop.example/webhooks/line-test' },
    });
    const local = fakeContext({ publicUrl: 'http://localhost:3000' });
    await createLineAdapter(testConfig(api.url, { registerWebhook: true }), local.ctx).start?.();
    expect(api.requests).toHaveLength(1);
  });
});

describe('retryKey', () => {
  it('is a deterministic v5-style UUID per key and batch', () => {
    expect(retryKey('out-1', 0)).toMatch(uuid);
    expect(retryKey('out-1', 0)).toBe(retryKey('out-1', 0));
    expect(retryKey('out-1', 1)).not.toBe(retryKey('out-1', 0));
    expect(retryKey('out-2', 0)).not.toBe(retryKey('out-1', 0));
  });
});
