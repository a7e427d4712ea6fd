import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/server/gateway.js';
import { ConsoleClient } from '../support/console-client.js';
import { makeSite, startTestGateway, type TestSite } from '../support/gateway.js';
import { PlatformServer, type Received } from '../support/platform-server.js';
import { until } from '../support/webchat-client.js';

const ADMIN = { email: 'lead@shop.test', password: 'lead-password-123' };
const API_KEY = 'test-api-key-0123456789';
const TG_TOKEN = '123456:ABC-dead_letters';

/**
 * A shopper blocks the bot, so the answer is dead-lettered (Bot API 403, not retried); once they
 * unblock it an operator re-sends it, from the API or the console, and it arrives exactly once.
 */
describe('dead letters: listed and re-sent, idempotently', () => {
  let site: TestSite;
  let gateway: Gateway;
  let telegram: PlatformServer;
  let blocked = true;

  const sendMessages = () => telegram.calls(/\/sendMessage$/);
  const api = (method: string, path: string) =>
    fetch(`${gateway.url}/api/v1${path}`, { method, headers: { authorization: `Bearer ${API_KEY}` } }).then(async (r) => ({
      status: r.status,
      body: await r.json(),
    }));
  const shopperWrites = (updateId: number, text: string) =>
    fetch(`${gateway.url}/webhooks/tg`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'tg-secret' },
      body: JSON.stringify({
        update_id: updateId,
        message: {
          message_id: updateId,
          date: Math.floor(Date.now() / 1000),
          chat: { id: 77, type: 'private' },
          from: { id: 77, is_bot: false, first_name: 'Ana' },
          text,
        },
      }),
    });
  const deadLetters = async () => (await api('GET', '/outbox/dead')).body.dead as { id: number; lastReason: string }[];

  beforeAll(async () => {
    telegram = await new PlatformServer((req: Received) => {
      if (req.path.endsWith('/sendMessage') && blocked)
        return { status: 403, json: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' } };
      if (req.path.endsWith('/sendMessage'))
        return { json: { ok: true, result: { message_id: 500 + sendMessages().length, date: 1, chat: { id: 77, type: 'private' } } } };
      return { json: { ok: true, result: true } };
    }).start();
    site = makeSite(`
console: { admin: { email: "${ADMIN.email}", password: "${ADMIN.password}", name: Lead } }
channels:
  tg: { type: telegram, token: "${TG_TOKEN}", secretToken: tg-secret, apiRoot: "${telegram.url}" }
`);
    gateway = await startTestGateway(site);
  }, 60_000);
  afterAll(async () => {
    await gateway?.close();
    await telegram?.stop();
    site?.cleanup();
  });

  it('re-sends from the API once the cause is gone, and a second request sends nothing more', async () => {
    expect((await shopperWrites(1, 'How long does shipping to Germany take?')).status).toBe(200);
    await until(deadLetters, (d) => d.length === 1);
    const [dead] = await deadLetters();
    expect(dead?.lastReason).toBe('blocked');
    const attemptsWhileBlocked = sendMessages().length;

    blocked = false;
    const first = await api('POST', `/outbox/${dead?.id}/resend`);
    expect(first).toMatchObject({ status: 200, body: { id: dead?.id, resent: true } });
    const second = await api('POST', `/outbox/${dead?.id}/resend`);
    expect(second.status).toBe(200);
    expect(second.body.resent).toBe(false);
    await until(
      async () => sendMessages().length,
      (n) => n === attemptsWhileBlocked + 1,
    );
    await gateway.idle();
    expect((await api('POST', `/outbox/${dead?.id}/resend`)).body).toMatchObject({ status: 'sent', resent: false });
    expect(sendMessages()).toHaveLength(attemptsWhileBlocked + 1);
    expect(await deadLetters()).toEqual([]);
  }, 60_000);

  it('refuses unknown and malformed rows with a reason', async () => {
    expect((await api('POST', '/outbox/987654/resend')).status).toBe(404);
    const bad = await api('POST', '/outbox/abc/resend');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/row number/);
  });

  it('lets an admin list and re-send from the console; agents may not', async () => {
    blocked = true;
    expect((await shopperWrites(2, 'Welche Zahlungsarten akzeptiert ihr?')).status).toBe(200);
    await until(deadLetters, (d) => d.length === 1);
    const admin = await ConsoleClient.login(gateway.url, ADMIN.email, ADMIN.password);
    const listed = await admin.call('GET', '/dead-letters');
    expect(listed.status).toBe(200);
    expect(listed.body.dead).toHaveLength(1);
    expect(listed.body.dead[0]).toMatchObject({ channelId: 'tg', lastReason: 'blocked' });

    expect((await admin.call('POST', '/agents', { email: 'bo@shop.test', name: 'Bo', language: 'en', password: 'agent-password-1' })).status).toBe(201);
    const agent = await ConsoleClient.login(gateway.url, 'bo@shop.test', 'agent-password-1');
    expect((await agent.call('GET', '/dead-letters')).status).toBe(403);
    expect((await agent.call('POST', `/dead-letters/${listed.body.dead[0].id}/resend`)).status).toBe(403);

    blocked = false;
    const before = sendMessages().length;
    expect((await admin.call('POST', `/dead-letters/${listed.body.dead[0].id}/resend`)).body).toMatchObject({ resent: true });
    await until(
      async () => sendMessages().length,
      (n) => n === before + 1,
    );
    expect((await admin.call('GET', '/dead-letters')).body.dead).toEqual([]);
  }, 60_000);
});
