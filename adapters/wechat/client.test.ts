import { afterEach, describe, expect, it } from 'vitest';
import type { DeliveryEnvelope } from '../../src/core/adapter.js';
import type { ConversationRef } from '../../src/core/message.js';
import { createWechatAdapter, createWecomAdapter, type WechatAdapter } from './adapter.js';
import type { WechatConfig, WecomConfig } from './config.js';
import { apiServer, fakeContext, type Received, type SharedBackend, sharedBackend } from '../../test/support/wechat.js';
import { failure } from '../../test/support/adapter-context.js';

const envelope: DeliveryEnvelope = { idempotencyKey: 'k1', messageId: 'm1', seq: 1, role: 'bot', attempt: 1, createdAt: 0 };
const ref: ConversationRef = { channelId: 'wechat-test', chatId: 'oUser1', userId: 'oUser1', extra: { toUserName: 'gh_1' } };
const hello = [{ msgtype: 'text' as const, text: { content: 'Hello & <welcome>' } }];

type Answer = { status?: number; body: unknown; headers?: Record<string, string>; delayMs?: number };
let servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

/** A fake WeChat API: tokens T1, T2, ... from the token endpoint; `send` answers sends. */
async function platform(send: (req: Received, token: string) => Answer, tokenAnswer?: () => Answer) {
  let issued = 0;
  const server = await apiServer((req) => {
    if (req.path === '/cgi-bin/token' || req.path === '/cgi-bin/gettoken')
      return tokenAnswer?.() ?? { body: { access_token: `T${++issued}`, expires_in: 7200 }, delayMs: 100 };
    return send(req, req.query.get('access_token') ?? '');
  });
  servers.push(server);
  const tokenCalls = () => server.received.filter((r) => r.path.endsWith('token'));
  const sends = () => server.received.filter((r) => !r.path.endsWith('token'));
  return { ...server, tokenCalls, sends };
}

function wechat(url: string, options: { backend?: SharedBackend; now?: () => number } = {}): WechatAdapter {
  const config: WechatConfig = { appId: 'wxAPP', appSecret: 'sec&ret', token: 'tok', apiBaseUrl: url, replyBudgetMs: 4000, timestampWindowSec: 300 };
  return createWechatAdapter(config, fakeContext(options));
}

function wecom(url: string): WechatAdapter {
  const config: WecomConfig = {
    corpId: 'wwCORP',
    agentId: 1000002,
    secret: 'corpsecret',
    token: 'tok',
    encodingAESKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
    apiBaseUrl: url,
    replyBudgetMs: 4000,
    timestampWindowSec: 300,
  };
  return createWecomAdapter(config, fakeContext({ channelId: 'wecom-test' }));
}

const ok = (): Answer => ({ body: { errcode: 0, errmsg: 'ok' } });

describe('WeChat Official Account delivery', () => {
  it('gets a token, then posts the customer-service message exactly as WeChat expects', async () => {
    const api = await platform(ok);
    const adapter = wechat(api.url);
    await expect(adapter.deliver(ref, hello, envelope)).resolves.toEqual({ platformMessageIds: [] });
    const [token] = api.tokenCalls();
    expect(token?.method).toBe('GET');
    expect(Object.fromEntries(token?.query ?? [])).toEqual({ grant_type: 'client_credential', appid: 'wxAPP', secret: 'sec&ret' });
    const [send] = api.sends();
    expect(send).toMatchObject({ method: 'POST', path: '/cgi-bin/message/custom/send' });
    expect(send?.query.get('access_token')).toBe('T1');
    expect(send?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(send?.body ?? '')).toEqual({ touser: 'oUser1', msgtype: 'text', text: { content: 'Hello & <welcome>' } });
    await adapter.deliver(ref, hello, envelope);
    expect(api.tokenCalls()).toHaveLength(1);
  });

  it('on 40001 renews the token once and retries; a second rejection is retryable', async () => {
    const api = await platform((_req, token) => (token === 'T1' ? { body: { errcode: 40001, errmsg: 'invalid credential' } } : ok()));
    await wechat(api.url).deliver(ref, hello, envelope);
    expect(api.sends().map((s) => s.query.get('access_token'))).toEqual(['T1', 'T2']);

    const always = await platform(() => ({ body: { errcode: 42001, errmsg: 'access_token expired' } }));
    const err = await failure(wechat(always.url).deliver(ref, hello, envelope));
    expect(err).toMatchObject({ code: 'DELIVERY_FAILED', retryable: true });
    expect(always.sends()).toHaveLength(2);
  });

  it('maps errcodes: 45015 window closed and 45047 not retryable, -1 busy retryable', async () => {
    const answers: Record<string, number> = { closed: 45015, quota: 45047, busy: -1 };
    const api = await platform((req) => ({ body: { errcode: answers[JSON.parse(req.body).touser], errmsg: 'x' } }));
    const adapter = wechat(api.url);
    const closed = await failure(adapter.deliver({ ...ref, userId: 'closed' }, hello, envelope));
    expect(closed).toMatchObject({ reason: 'invalid', retryable: false, details: { errcode: 45015 } });
    expect(closed.message).toMatch(/48-hour customer-service window has closed/);
    expect(await failure(adapter.deliver({ ...ref, userId: 'quota' }, hello, envelope))).toMatchObject({ reason: 'invalid', retryable: false });
    expect(await failure(adapter.deliver({ ...ref, userId: 'busy' }, hello, envelope))).toMatchObject({ reason: 'transient', retryable: true });
  });

  it('HTTP 429 with retry-after → retryable with retryAfterMs; 400 → not retryable; 5xx → retryable', async () => {
    const statuses: Record<string, Answer> = {
      limited: { status: 429, body: { errcode: 45009 }, headers: { 'retry-after': '7' } },
      bad: { status: 400, body: 'bad request' },
      down: { status: 502, body: 'bad gateway' },
    };
    const api = await platform((req) => statuses[JSON.parse(req.body).touser] ?? ok());
    const adapter = wechat(api.url);
    expect(await failure(adapter.deliver({ ...ref, userId: 'limited' }, hello, envelope))).toMatchObject({
      reason: 'rate_limited',
      retryable: true,
      retryAfterMs: 7000,
    });
    expect(await failure(adapter.deliver({ ...ref, userId: 'bad' }, hello, envelope))).toMatchObject({ reason: 'invalid', retryable: false });
    expect(await failure(adapter.deliver({ ...ref, userId: 'down' }, hello, envelope))).toMatchObject({ retryable: true });
  });

  it('a token refused for a wrong secret is not retryable and names WECHAT_APP_SECRET', async () => {
    const api = await platform(ok, () => ({ body: { errcode: 40125, errmsg: 'invalid appsecret' } }));
    const err = await failure(wechat(api.url).deliver(ref, hello, envelope));
    expect(err).toMatchObject({ reason: 'auth', retryable: false });
    expect(err.message).toMatch(/WECHAT_APP_SECRET/);
    expect(api.sends()).toHaveLength(0);
  });

  it('sends the typing indicator through custom/typing', async () => {
    const api = await platform(ok);
    await wechat(api.url).sendTyping?.(ref);
    expect(api.sends()[0]).toMatchObject({ path: '/cgi-bin/message/custom/typing' });
    expect(JSON.parse(api.sends()[0]?.body ?? '')).toEqual({ touser: 'oUser1', command: 'Typing' });
  });
});

describe('access_token single owner', () => {
  it('two instances sharing state and leases: only one token request reaches WeChat', async () => {
    const api = await platform(ok);
    const backend = sharedBackend();
    const [a, b] = [wechat(api.url, { backend }), wechat(api.url, { backend })];
    await Promise.all([a.deliver(ref, hello, envelope), b.deliver(ref, hello, envelope)]);
    expect(api.tokenCalls()).toHaveLength(1);
    expect(api.sends().map((s) => s.query.get('access_token'))).toEqual(['T1', 'T1']);
  });

  it('refreshes before expiry; a non-owner keeps using the still-valid token meanwhile', async () => {
    const api = await platform(ok);
    const backend = sharedBackend();
    let now = 1_700_000_000_000;
    const clock = () => now;
    const a = wechat(api.url, { backend, now: clock });
    await a.deliver(ref, hello, envelope);
    now += (7200 - 200) * 1000; // inside the 5-minute refresh margin
    backend.leases.set('wechat:token:wechat-test', { owner: -1, until: now + 30_000 }); // another instance refreshing
    await wechat(api.url, { backend, now: clock }).deliver(ref, hello, envelope);
    expect(api.tokenCalls()).toHaveLength(1);
    backend.leases.clear();
    await a.deliver(ref, hello, envelope);
    expect(api.tokenCalls()).toHaveLength(2);
    expect(api.sends().map((s) => s.query.get('access_token'))).toEqual(['T1', 'T1', 'T2']);
  });
});

describe('WeCom delivery', () => {
  it('gettoken with corpid/corpsecret, then message/send with agentid; returns the msgid', async () => {
    const api = await platform(() => ({ body: { errcode: 0, errmsg: 'ok', invaliduser: '', msgid: 'MSG1' } }));
    const receipt = await wecom(api.url).deliver({ ...ref, userId: 'zhangsan' }, hello, envelope);
    expect(receipt).toEqual({ platformMessageIds: ['MSG1'] });
    expect(Object.fromEntries(api.tokenCalls()[0]?.query ?? [])).toEqual({ corpid: 'wwCORP', corpsecret: 'corpsecret' });
    expect(api.sends()[0]).toMatchObject({ method: 'POST', path: '/cgi-bin/message/send' });
    expect(JSON.parse(api.sends()[0]?.body ?? '')).toEqual({ touser: 'zhangsan', agentid: 1000002, msgtype: 'text', text: { content: 'Hello & <welcome>' } });
  });

  it('errcode 0 with an invaliduser is a non-retryable failure', async () => {
    const api = await platform(() => ({ body: { errcode: 0, errmsg: 'ok', invaliduser: 'zhangsan' } }));
    expect(await failure(wecom(api.url).deliver(ref, hello, envelope))).toMatchObject({ reason: 'blocked', retryable: false });
  });

  it('has no typing indicator', () => {
    expect(wecom('http://127.0.0.1:1').sendTyping).toBeUndefined();
  });
});

describe('media download (cgi-bin/media/get)', () => {
  const amr = Buffer.from('#!AMR\n voice note bytes');
  it('fetches platform:<MediaId> with the access_token, renewing a rejected token once', async () => {
    let first = true;
    const api = await platform((req) => {
      if (req.path !== '/cgi-bin/media/get') return ok();
      if (first) {
        first = false;
        return { body: { errcode: 40001, errmsg: 'invalid credential' } };
      }
      return { body: amr, headers: { 'content-type': 'audio/amr', 'content-disposition': 'attachment; filename="MEDIA_ID.amr"' } };
    });
    const media = await wechat(api.url).fetchMedia?.('platform:MEDIA_ID', { maxBytes: 1000 });
    expect(media).toEqual({ data: amr, mimeType: 'audio/amr', name: 'MEDIA_ID.amr' });
    expect(api.sends().map((r) => [r.path, r.query.get('media_id'), r.query.get('access_token')])).toEqual([
      ['/cgi-bin/media/get', 'MEDIA_ID', 'T1'],
      ['/cgi-bin/media/get', 'MEDIA_ID', 'T2'],
    ]);
  });

  it('an expired media id is final; a file over the cap is refused before it is read', async () => {
    const api = await platform((req) =>
      req.query.get('media_id') === 'GONE'
        ? { body: { errcode: 40007, errmsg: 'invalid media_id' } }
        : { body: Buffer.alloc(5000, 1), headers: { 'content-type': 'video/mp4' } },
    );
    expect(await failure(wecom(api.url).fetchMedia?.('platform:GONE') ?? Promise.resolve())).toMatchObject({ retryable: false });
    expect(await failure(wecom(api.url).fetchMedia?.('platform:BIG', { maxBytes: 100 }) ?? Promise.resolve())).toMatchObject({
      retryable: false,
      details: { maxBytes: 100 },
    });
  });
});
