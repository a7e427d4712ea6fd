import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/server/gateway.js';
import { ConsoleClient } from '../support/console-client.js';
import { inboxRows, makeSite, readSite, startTestGateway, type TestSite } from '../support/gateway.js';
import { APP_SECRET, fixtureBytes, IG_TOKEN, IG_USER_ID, PAGE_ID, PAGE_TOKEN, sendApiServer, sign, VERIFY_TOKEN } from '../support/meta.js';
import { until } from '../support/webchat-client.js';

const PSID = '6543210987654321';
const ADMIN = { email: 'lead@shop.test', password: 'lead-password-123' };
const IGSID = '1234567890123456';

/**
 * A gateway with a `type: messenger` and a `type: instagram` block; replies go to a local server
 * speaking the Send API for both (the Page's and the Instagram account's paths and tokens).
 */
describe('Messenger and Instagram end to end', () => {
  let api: Awaited<ReturnType<typeof sendApiServer>>;
  let site: TestSite;
  let gateway: Gateway;

  beforeAll(async () => {
    api = await sendApiServer();
    site = makeSite(`
channels:
  fb:
    type: messenger
    pageId: "${PAGE_ID}"
    pageAccessToken: ${PAGE_TOKEN}
    appSecret: ${APP_SECRET}
    verifyToken: ${VERIFY_TOKEN}
    graphBaseUrl: "${api.url}"
  ig:
    type: instagram
    igUserId: "${IG_USER_ID}"
    accessToken: ${IG_TOKEN}
    appSecret: ${APP_SECRET}
    verifyToken: ${VERIFY_TOKEN}
    graphBaseUrl: "${api.url}"
console: { admin: { email: "${ADMIN.email}", password: "${ADMIN.password}", name: Lead } }
`);
    // The shop serves French too (the default knowledge base has it).
    const yaml = readFileSync(site.configFile, 'utf8').replace(
      /^shop:.*$/m,
      'shop: { name: Test Shop, languages: [en, fr, es], defaultLanguage: en, workingLanguage: en }',
    );
    writeFileSync(site.configFile, yaml);
    gateway = await startTestGateway(site);
  }, 30_000);
  afterAll(async () => {
    await gateway?.close();
    await api?.close();
    site?.cleanup();
  });

  const post = (channel: string, body: Buffer | string, signature = sign(body)) =>
    fetch(`${gateway.url}/webhooks/${channel}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });
  const sentTo = (id: string) => api.sends().filter((s) => (s.payload.recipient as { id?: string } | undefined)?.id === id);
  const query = <T>(sql: string, ...params: unknown[]): T[] => readSite<T>(site, sql, ...params);

  it("answers Meta's subscription handshake with the challenge, only for the verify token", async () => {
    const good = await fetch(`${gateway.url}/webhooks/fb?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`);
    expect(good.status).toBe(200);
    expect(await good.text()).toBe('1158201444');
    expect((await fetch(`${gateway.url}/webhooks/ig?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`)).status).toBe(403);
  });

  it('a French Messenger message gets a French answer through the Send API, once, however often Meta delivers it', async () => {
    // Sent now: the fixture's 2016 timestamp would put the 24-hour window long closed.
    const body = fixtureBytes('messenger_text.json')
      .toString()
      .replace('hello, world!', 'Combien de temps faut-il pour une livraison en Allemagne ?')
      .replaceAll('1458692752478', String(Date.now()));
    expect((await post('fb', body)).status).toBe(200);
    expect((await post('fb', body)).status).toBe(200);
    const [reply] = await until(
      async () => sentTo(PSID),
      (sent) => sent.length >= 1,
      20_000,
    );
    expect(reply?.path).toBe(`/v21.0/${PAGE_ID}/messages`);
    expect(reply?.headers.authorization).toBe(`Bearer ${PAGE_TOKEN}`);
    expect(reply?.payload.messaging_type).toBe('RESPONSE');
    await gateway.idle();
    await new Promise((r) => setTimeout(r, 500));
    const texts = sentTo(PSID).map((s) => JSON.stringify(s.payload.message));
    expect(texts.join('\n')).toMatch(/Allemagne/);
    expect(texts.join('\n')).not.toMatch(/Germany|Source:/);
    expect(new Set(texts).size).toBe(texts.length);
  });

  it('a delivery receipt marks the reply delivered', async () => {
    const mid = 'm_test_0001';
    const statusOf = () => query<{ status: string }>('SELECT status FROM messages WHERE platform_message_id = ?', mid)[0]?.status;
    const receipt = fixtureBytes('messenger_delivery.json').toString().replace('mid.1458668856218:ed81099e15d3f4f233', mid);
    expect((await post('fb', receipt)).status).toBe(200);
    expect(
      await until(
        async () => statusOf(),
        (s) => s === 'delivered',
        10_000,
      ),
    ).toBe('delivered');
  });

  it('after 24 hours the bot stays silent (refused, with the reason) and an agent answers with the HUMAN_AGENT tag', async () => {
    const late = '7000000000000001';
    const twoDaysAgo = Date.now() - 2 * 24 * 60 * 60 * 1000;
    const body = fixtureBytes('messenger_text.json')
      .toString()
      .replaceAll(PSID, late)
      .replace('m_1457764197618:41d102a3e1ae206a38', 'm_late_1')
      .replace('hello, world!', 'I want to talk to a human')
      .replaceAll('1458692752478', String(twoDaysAgo));
    expect((await post('fb', body)).status).toBe(200);
    const refused = await until(
      async () =>
        query<{ status: string; last_error: string }>(
          'SELECT o.status, o.last_error FROM outbox o JOIN conversations c ON c.id = o.conversation_id WHERE c.ref_json LIKE ?',
          `%${late}%`,
        ),
      (rows) => rows.some((r) => r.status === 'dead'),
      10_000,
    );
    expect(refused.find((r) => r.status === 'dead')?.last_error).toMatch(/messaging window has closed .* only a person's reply through/);
    expect(sentTo(late)).toEqual([]);

    const lead = await ConsoleClient.login(gateway.url, ADMIN.email, ADMIN.password);
    const id = query<{ id: string }>('SELECT id FROM conversations WHERE ref_json LIKE ?', `%${late}%`)[0]?.id;
    expect((await lead.call('POST', `/conversations/${id}/take`, {})).status).toBe(200);
    expect((await lead.call('POST', `/conversations/${id}/messages`, { text: 'Hi, this is Lead from the shop.' })).status).toBeLessThan(300);
    const [reply] = await until(
      async () => sentTo(late),
      (sent) => sent.length >= 1,
      10_000,
    );
    expect(reply?.payload).toMatchObject({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT', message: { text: 'Hi, this is Lead from the shop.' } });
  });

  it('a bad signature is refused with 401 and nothing is stored', async () => {
    const before = inboxRows(site);
    const body = fixtureBytes('messenger_text.json');
    expect((await post('fb', body, sign(body, 'not-the-app-secret'))).status).toBe(401);
    expect((await post('ig', fixtureBytes('instagram_text.json'), 'sha256=00')).status).toBe(401);
    expect((await post('fb', Buffer.from(body.toString().replace('hello', 'HELLO')), sign(body))).status).toBe(401);
    expect(inboxRows(site)).toBe(before);
  });

  it('an Instagram story mention reaches the conversation for agents, and the bot does not answer it', async () => {
    expect((await post('ig', fixtureBytes('instagram_story_mention.json'))).status).toBe(200);
    const rows = await until(
      async () =>
        query<{ role: string; original_text: string }>(
          "SELECT m.role, m.original_text FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.channel_id = 'ig' AND m.direction = 'in'",
        ),
      (r) => r.length >= 1,
      10_000,
    );
    expect(rows[0]).toEqual({ role: 'shopper', original_text: '📣 https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=17911111111111111&signature=def' });
    await gateway.idle();
    expect(sentTo(IGSID)).toEqual([]);
  });

  it('an Instagram echo and an unknown event are acknowledged with nothing stored', async () => {
    const before = inboxRows(site);
    expect((await post('ig', fixtureBytes('instagram_echo.json'))).status).toBe(200);
    expect(
      (await post('fb', JSON.stringify({ object: 'page', entry: [{ id: PAGE_ID, messaging: [{ sender: { id: PSID }, optin: { ref: 'x' } }] }] }))).status,
    ).toBe(200);
    expect(inboxRows(site)).toBe(before);
  });
});
