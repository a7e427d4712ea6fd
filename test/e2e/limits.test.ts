import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/server/gateway.js';
import { makeSite, startTestGateway, type TestSite } from '../support/gateway.js';
import { telegramWhatsAppYaml } from '../support/local-channels.js';
import { PlatformServer } from '../support/platform-server.js';
import { ChatSocket, sendHttp } from '../support/webchat-client.js';

const KEYS = ['test-api-key-0123456789', 'other-api-key-0123456789'];

/** Every `rateLimits` family tiny, to be reached in a few requests. */
const limitsYaml = (api: string) => `
rateLimits:
  webchatSession: { max: 4, windowMs: 60000 }
  webchatMessage: { max: 3, windowMs: 60000 }
  api: { max: 3, windowMs: 60000 }
channels:
  webchat: { type: webchat }
${telegramWhatsAppYaml(api, '123456:ABC-test_token')}
`;

const newSession = (base: string) => fetch(`${base}/webchat/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
const apiGet = (base: string, key: string) => fetch(`${base}/api/v1/conversations`, { headers: { authorization: `Bearer ${key}` } });

describe('rate limits per route family', () => {
  let platform: PlatformServer;
  let site: TestSite;
  let gateway: Gateway;
  /** The sessions the address got before its limit. */
  const tokens: string[] = [];

  beforeAll(async () => {
    platform = await new PlatformServer(() => ({ json: { ok: true, result: true } })).start();
    site = makeSite(limitsYaml(platform.url));
    // Both keys, so each can be shown to count on its own.
    const { readFileSync, writeFileSync } = await import('node:fs');
    writeFileSync(site.configFile, readFileSync(site.configFile, 'utf8').replace(/^api: .*$/m, `api: { keys: [${KEYS.map((k) => `"${k}"`).join(', ')}] }`));
    gateway = await startTestGateway(site);
  });
  afterAll(async () => {
    await gateway?.close();
    await platform?.stop();
    site?.cleanup();
  });

  it('refuses new web chat sessions from one address past the limit, with Retry-After and the error vocabulary', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await newSession(gateway.url);
      statuses.push(res.status);
      if (res.ok) tokens.push(((await res.json()) as { token: string }).token);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    const refused = await newSession(gateway.url);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(await refused.json()).toEqual({ error: 'rate_limited', message: expect.stringMatching(/Too many new chat sessions.*at most 4 per 1 min/) });
  });

  it('counts a chat session’s messages over the socket and HTTP together; other sessions have their own', async () => {
    const base = gateway.url;
    const [first, second] = tokens as [string, string];
    expect((await sendHttp(base, first, { type: 'message', clientId: 'h1', text: 'hello' })).status).toBe(200);
    const socket = await ChatSocket.connect(base, first);
    socket.send({ type: 'message', clientId: 's1', text: 'shipping?' });
    socket.send({ type: 'message', clientId: 's2', text: 'returns?' });
    await socket.next((f) => f.type === 'ack' && f.clientId === 's2');
    socket.send({ type: 'message', clientId: 's3', text: 'one too many' });
    const error = await socket.next((f) => f.type === 'error');
    expect(error).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/Try again in \d+ s/) });
    expect(socket.frames.some((f) => f.type === 'ack' && f.clientId === 's3')).toBe(false);
    const overHttp = await sendHttp(base, first, { type: 'message', clientId: 'h2', text: 'and again' });
    expect(overHttp.status).toBe(429);
    expect(overHttp.headers.get('retry-after')).toMatch(/^\d+$/);
    await socket.close();

    expect((await sendHttp(base, second, { type: 'message', clientId: 'x1', text: 'hello' })).status).toBe(200);
    // Nothing over the limit was stored.
    const conversations = await gateway.store.listConversations({ limit: 50 });
    const stored = await Promise.all(conversations.map((c) => gateway.store.listMessages(c.id, { limit: 50 })));
    const texts = stored.flat().flatMap((m) => (m.role === 'shopper' ? [m.originalText] : []));
    expect(texts).not.toContain('one too many');
    expect(texts).not.toContain('and again');
  });

  it('limits the REST API per key', async () => {
    const own: number[] = [];
    for (let i = 0; i < 4; i++) own.push((await apiGet(gateway.url, KEYS[0] as string)).status);
    expect(own).toEqual([200, 200, 200, 429]);
    expect((await apiGet(gateway.url, KEYS[1] as string)).status).toBe(200);
    const refused = await apiGet(gateway.url, KEYS[0] as string);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(((await refused.json()) as { error: string }).error).toBe('rate_limited');
  });

  it('never throttles a platform’s webhooks', async () => {
    const statuses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        fetch(`${gateway.url}/webhooks/tg`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'tg-secret' },
          body: JSON.stringify({
            update_id: 700_000 + i,
            message: {
              message_id: i,
              date: Math.floor(Date.now() / 1000),
              chat: { id: 7, type: 'private' },
              from: { id: 7, is_bot: false, first_name: 'Ana' },
              text: `hi ${i}`,
            },
          }),
        }).then((r) => r.status),
      ),
    );
    expect(statuses).toEqual(Array(20).fill(200));
  });
});
