import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { silentLogger } from '../../src/core/ports.js';
import { channelDefinitions } from '../../src/server/channels.js';
import { type Gateway, startGateway } from '../../src/server/gateway.js';
import { PostgresDriver } from '../../src/store/postgres.js';
import { ConsoleClient } from '../support/console-client.js';
import { makeSite, type TestSite } from '../support/gateway.js';
import { type Answer, PlatformServer, type Received } from '../support/platform-server.js';
import { history, openSession, sendHttp, until } from '../support/webchat-client.js';

const POSTGRES_URL = process.env.PARLEY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const TG_TOKEN = '123456:ABC-test_token';
const API_KEY = 'test-api-key-0123456789';
const ADMIN = { email: 'lead@shop.test', password: 'lead-password-123' };
/** NUL, which Postgres text cannot hold, and a lone surrogate, which no UTF-8 column can. */
const BAD = 'ship\u0000ping \ud800';

function telegram(req: Received): Answer {
  if (req.path.endsWith('/sendMessage'))
    return { json: { ok: true, result: { message_id: 1000 + Math.floor(Math.random() * 1e6), date: 1, chat: { id: 42, type: 'private' } } } };
  return { json: { ok: true, result: true } };
}

const update = (id: number, chat: number, text: string) => ({
  update_id: id,
  message: {
    message_id: id,
    date: 1_767_225_600,
    chat: { id: chat, type: 'private' },
    from: { id: chat, is_bot: false, first_name: 'Ana', language_code: 'en' },
    text,
  },
});

describe('text the store cannot hold, on the real Postgres', () => {
  const schema = `parley_e2e_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  let api: PlatformServer;
  let site: TestSite;
  let gateway: Gateway;

  const postTelegram = (body: unknown) =>
    fetch(`${gateway.url}/webhooks/tg`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'tg-secret' },
      body: JSON.stringify(body),
    });
  const apiCall = (method: string, path: string, body?: unknown) =>
    fetch(`${gateway.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${API_KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const repliesTo = (chat: number) => api.calls(/\/sendMessage$/).filter((r) => String((r.json as { chat_id?: unknown }).chat_id) === String(chat));

  beforeAll(async () => {
    api = await new PlatformServer(telegram).start();
    site = makeSite(`
console: { admin: { email: "${ADMIN.email}", password: "${ADMIN.password}", name: Lead } }
channels:
  webchat: { type: webchat }
  tg: { type: telegram, token: "${TG_TOKEN}", secretToken: tg-secret, apiRoot: "${api.url}" }
`);
    const yaml = readFileSync(site.configFile, 'utf8').replace(
      /^storage: .*$/m,
      `storage: { driver: postgres, postgres: { url: "${POSTGRES_URL}", schema: ${schema} } }`,
    );
    writeFileSync(site.configFile, yaml);
    gateway = await startGateway(parseConfigText(yaml, site.configFile, process.env, channelDefinitions), { log: silentLogger });
  });
  afterAll(async () => {
    await gateway?.close();
    await api?.stop();
    site?.cleanup();
    const admin = new PostgresDriver({ url: POSTGRES_URL });
    await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.close();
  });

  it('answers a Telegram message holding NUL and a lone surrogate, and the next message in that chat without waiting', async () => {
    expect((await postTelegram(update(1, 42, `How long does ${BAD} to Germany take?`))).status).toBe(200);
    await until(
      async () => repliesTo(42).length,
      (n) => n >= 1,
      10_000,
    );
    const started = Date.now();
    expect((await postTelegram(update(2, 42, 'How long does shipping to Germany take?'))).status).toBe(200);
    await until(
      async () => repliesTo(42).length,
      (n) => n >= 2,
      10_000,
    );
    expect(Date.now() - started).toBeLessThan(10_000);

    const [conversation] = await gateway.store.listConversations({ limit: 10 });
    const stored = await gateway.store.listMessages(conversation?.id ?? '', { limit: 10 });
    const first = stored.find((m) => m.role === 'shopper');
    // What could not be stored became U+FFFD, the replacement character, in the text and its parts.
    expect(first?.originalText).toBe('How long does ship\ufffdping \ufffd to Germany take?');
    expect(JSON.stringify(first?.parts)).not.toMatch(/\\u0000|\\ud800/);
  });

  it('answers a web chat message holding NUL', async () => {
    const { token } = await openSession(gateway.url);
    expect((await sendHttp(gateway.url, token, { type: 'message', clientId: 'n1', text: `Hi\u0000, how long does shipping to Germany take?` })).status).toBe(
      200,
    );
    const messages = await until(
      () => history(gateway.url, token),
      (m) => m.some((x) => x.role === 'bot'),
      10_000,
    );
    expect(messages[0]?.parts[0]?.text).toBe('Hi\ufffd, how long does shipping to Germany take?');
  });

  it('stores API and console writes holding NUL instead of failing with 500', async () => {
    const [conversation] = await gateway.store.listConversations({ limit: 10 });
    const id = conversation?.id ?? '';
    const send = await apiCall('POST', '/messages', { conversationId: id, text: 'Your parcel\u0000 left today.' });
    expect(send.status).toBeLessThan(300);
    expect((await apiCall('POST', '/messages', { customerRef: 'ref\u0000x', text: 'Hello' })).status).toBeLessThan(500);

    const admin = await ConsoleClient.login(gateway.url, ADMIN.email, ADMIN.password);
    expect((await admin.call('POST', `/conversations/${id}/notes`, { text: 'Called\u0000 back' })).status).toBe(200);
    expect((await admin.call('PATCH', '/me', { name: 'Lead\u0000 One' })).status).toBe(200);
  });

  it('refuses ids holding NUL or other control characters with 400 and the reason', async () => {
    for (const res of [
      await apiCall('GET', '/conversations/abc%00def/messages'),
      await apiCall('PUT', '/shoppers/ref%00x', { timezone: 'Europe/Berlin' }),
      await apiCall('POST', '/care/messages/a%01b/resend'),
      await fetch(`${gateway.url}/webhooks/tg%00`, { method: 'POST', body: '{}' }),
      await fetch(`${gateway.url}/webchat/locales/en%00`),
    ]) {
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'bad_request', message: expect.stringMatching(/control character/) });
    }
    const admin = await ConsoleClient.login(gateway.url, ADMIN.email, ADMIN.password);
    const res = await admin.call('GET', '/conversations/x%00y');
    expect(res).toMatchObject({ status: 400, body: { error: 'bad_request' } });
  });
});
