import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptMessage, encryptMessage, sha1Signature } from '../../adapters/wechat/crypto.js';
import { type ChildGateway, makeSite, spawnGateway, type TestSite } from '../support/gateway.js';
import { type Answer, PlatformServer, type Received } from '../support/platform-server.js';
import { until } from '../support/webchat-client.js';
import { telegramWhatsAppYaml, WA, whatsappText } from '../support/local-channels.js';

const QUESTION = 'How long does shipping to Germany take?';
const TG_TOKEN = '123456:ABC-test_token';
const WX = { appId: 'wx5823bf96d3bd56c7', token: 'wxtoken', aes: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' };
const LINE = { secret: 'line-secret', token: 'line-token' };

/** The local stand-in for every platform's API. */
function platformRoutes(req: Received): Answer {
  if (req.path.startsWith('/bot')) {
    const method = req.path.split('/').pop();
    if (method === 'sendMessage')
      return { json: { ok: true, result: { message_id: 1000 + Math.floor(Math.random() * 1e6), date: 1, chat: { id: 42, type: 'private' } } } };
    return { json: { ok: true, result: true } };
  }
  if (req.path === `/v21.0/${WA.pnid}/messages`) return { json: { messaging_product: 'whatsapp', messages: [{ id: `wamid.out${Math.random()}` }] } };
  if (req.path === '/cgi-bin/token') return { json: { access_token: 'WX_ACCESS_TOKEN', expires_in: 7200 } };
  if (req.path.startsWith('/cgi-bin/')) return { json: { errcode: 0, errmsg: 'ok' } };
  if (req.path === '/v2/bot/message/reply') return { json: {} };
  if (req.path === '/v2/bot/message/push') return { json: { sentMessages: [{ id: '1', quoteToken: 'q' }] } };
  return { status: 404, json: { error: 'unknown path in test server' } };
}

const channelsYaml = (api: string) => `
channels:
  webchat: { type: webchat }
${telegramWhatsAppYaml(api, TG_TOKEN)}
  wx:
    type: wechat
    appId: ${WX.appId}
    appSecret: wx-secret
    token: ${WX.token}
    encodingAESKey: ${WX.aes}
    apiBaseUrl: "${api}"
  wx-slow:
    type: wechat
    appId: ${WX.appId}
    appSecret: wx-secret
    token: ${WX.token}
    replyBudgetMs: 0
    apiBaseUrl: "${api}"
  line:
    type: line
    channelSecret: ${LINE.secret}
    channelAccessToken: ${LINE.token}
    apiBaseUrl: "${api}"
    dataApiBaseUrl: "${api}"
`;

describe('channels end to end: webhook in, knowledge-base answer out through the platform API', () => {
  let api: PlatformServer;
  let site: TestSite;
  let gateway: ChildGateway;
  const port = 20_000 + Math.floor(Math.random() * 20_000);

  beforeAll(async () => {
    api = await new PlatformServer(platformRoutes).start();
    site = makeSite(channelsYaml(api.url));
    gateway = await spawnGateway(site, port, { PUBLIC_URL: `http://127.0.0.1:${port}` });
  }, 60_000);
  afterAll(async () => {
    gateway?.child.kill('SIGTERM');
    await gateway?.exited;
    await api?.stop();
    site?.cleanup();
  });

  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${gateway.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it('Telegram: registers its webhook, answers with sendMessage, once per update', async () => {
    const setWebhook = api.calls(/\/setWebhook$/)[0];
    expect(setWebhook?.json).toMatchObject({ url: `http://127.0.0.1:${port}/webhooks/tg`, secret_token: 'tg-secret' });
    const update = JSON.stringify({
      update_id: 900001,
      message: {
        message_id: 5,
        date: Math.floor(Date.now() / 1000),
        chat: { id: 42, type: 'private' },
        from: { id: 42, is_bot: false, first_name: 'Ana', language_code: 'en' },
        text: QUESTION,
      },
    });
    expect((await post('/webhooks/tg', update, { 'x-telegram-bot-api-secret-token': 'wrong' })).status).toBe(401);
    expect((await post('/webhooks/tg', update, { 'x-telegram-bot-api-secret-token': 'tg-secret' })).status).toBe(200);
    expect((await post('/webhooks/tg', update, { 'x-telegram-bot-api-secret-token': 'tg-secret' })).status).toBe(200);
    const [sent] = await until(
      async () => api.calls(/\/sendMessage$/),
      (c) => c.length >= 1,
    );
    expect(sent?.path).toBe(`/bot${TG_TOKEN}/sendMessage`);
    expect(sent?.json).toMatchObject({ chat_id: '42', parse_mode: 'HTML' });
    expect(String((sent?.json as { text: string }).text)).toMatch(/Germany[\s\S]*2–3 business days/);
    await new Promise((r) => setTimeout(r, 1500));
    expect(api.calls(/\/sendMessage$/)).toHaveLength(1);
  });

  it('Telegram: an edited question is answered again, as edited', async () => {
    const before = api.calls(/\/sendMessage$/).length;
    const edited = JSON.stringify({
      update_id: 900002,
      edited_message: {
        message_id: 5,
        date: Math.floor(Date.now() / 1000) - 5,
        edit_date: Math.floor(Date.now() / 1000),
        chat: { id: 42, type: 'private' },
        from: { id: 42, is_bot: false, first_name: 'Ana', language_code: 'en' },
        text: 'Do you accept PayPal?',
      },
    });
    expect((await post('/webhooks/tg', edited, { 'x-telegram-bot-api-secret-token': 'tg-secret' })).status).toBe(200);
    const calls = await until(
      async () => api.calls(/\/sendMessage$/),
      (c) => c.length > before,
    );
    expect(String((calls.at(-1)?.json as { text: string }).text)).toMatch(/PayPal/);
  });

  it('WhatsApp: answers the handshake, then sends the answer through the Graph API', async () => {
    const hs = await fetch(`${gateway.url}/webhooks/wa?hub.mode=subscribe&hub.verify_token=${WA.verify}&hub.challenge=1158201444`);
    expect(await hs.text()).toBe('1158201444');
    const { body, signature: sig } = whatsappText({ from: '4915112345678', name: 'Jonas', id: 'wamid.IN1', text: QUESTION, at: Date.now() });
    expect((await post('/webhooks/wa', body, { 'x-hub-signature-256': 'sha256=00' })).status).toBe(401);
    expect((await post('/webhooks/wa', body, { 'x-hub-signature-256': sig })).status).toBe(200);
    expect((await post('/webhooks/wa', body, { 'x-hub-signature-256': sig })).status).toBe(200);
    const [sent] = await until(
      async () => api.calls(/\/messages$/),
      (c) => c.length >= 1,
    );
    expect(sent?.headers.authorization).toBe(`Bearer ${WA.token}`);
    expect(sent?.json).toMatchObject({ messaging_product: 'whatsapp', to: '4915112345678', type: 'text' });
    expect(JSON.stringify(sent?.json)).toMatch(/Germany/);
    await new Promise((r) => setTimeout(r, 1000));
    expect(api.calls(/\/messages$/)).toHaveLength(1);
  });

  it('WeChat (safe mode): answers inside the HTTP response, encrypted, and never also through the API', async () => {
    const xml = `<xml><ToUserName><![CDATA[gh_shop]]></ToUserName><FromUserName><![CDATA[oWX_shopper1]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${QUESTION}]]></Content><MsgId>7000000000000001</MsgId></xml>`;
    const crypto = { token: WX.token, encodingAESKey: WX.aes, receiveId: WX.appId };
    const encrypted = encryptMessage(xml, crypto);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const sig = sha1Signature(WX.token, timestamp, 'n1', encrypted);
    const path = `/webhooks/wx?timestamp=${timestamp}&nonce=n1&msg_signature=${sig}&encrypt_type=aes`;
    const res = await post(path, `<xml><ToUserName><![CDATA[gh_shop]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`, {
      'content-type': 'text/xml',
    });
    expect(res.status).toBe(200);
    const envelope = await res.text();
    const inner = /<Encrypt><!\[CDATA\[([^\]]+)\]\]><\/Encrypt>/.exec(envelope)?.[1] ?? '';
    const reply = decryptMessage(inner, crypto);
    expect(reply.ok && reply.message).toMatch(/<ToUserName><!\[CDATA\[oWX_shopper1\]\]>[\s\S]*Germany/);
    await new Promise((r) => setTimeout(r, 3000));
    expect(api.calls(/custom\/send$/).filter((c) => String(c.body).includes('oWX_shopper1'))).toHaveLength(0);
    const tampered = await post(path.replace(`msg_signature=${sig}`, 'msg_signature=0000'), '<xml><Encrypt>x</Encrypt></xml>');
    expect(tampered.status).toBe(401);
  });

  it('WeChat: when the answer misses the budget, acks "success" and sends through the customer-service API', async () => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const xml = `<xml><ToUserName><![CDATA[gh_shop]]></ToUserName><FromUserName><![CDATA[oWX_shopper2]]></FromUserName><CreateTime>${timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${QUESTION}]]></Content><MsgId>7000000000000002</MsgId></xml>`;
    const sig = sha1Signature(WX.token, timestamp, 'n2');
    const res = await post(`/webhooks/wx-slow?timestamp=${timestamp}&nonce=n2&signature=${sig}`, xml, { 'content-type': 'text/xml' });
    expect(await res.text()).toBe('success');
    const [sent] = await until(
      async () => api.calls(/custom\/send$/).filter((c) => c.body.includes('oWX_shopper2')),
      (c) => c.length >= 1,
      20_000,
    );
    expect(sent?.query.get('access_token')).toBe('WX_ACCESS_TOKEN');
    expect(sent?.json).toMatchObject({ touser: 'oWX_shopper2', msgtype: 'text' });
    expect(sent?.body).toMatch(/Germany/);
  });

  it('LINE: replies with the reply token while it is valid', async () => {
    const body = JSON.stringify({
      destination: 'U0bot',
      events: [
        {
          type: 'message',
          mode: 'active',
          timestamp: Date.now(),
          webhookEventId: '01HLINEEVENT0001',
          deliveryContext: { isRedelivery: false },
          source: { type: 'user', userId: 'U4af4980629' },
          replyToken: 'nHuyWiB7yP5Zw52FIkcQobQuGDXCTA',
          message: { id: '444573844083572737', type: 'text', quoteToken: 'q', text: QUESTION },
        },
      ],
    });
    const sig = createHmac('sha256', LINE.secret).update(body).digest('base64');
    expect((await post('/webhooks/line', body, { 'x-line-signature': 'bad' })).status).toBe(401);
    expect((await post('/webhooks/line', body, { 'x-line-signature': sig })).status).toBe(200);
    expect((await post('/webhooks/line', body, { 'x-line-signature': sig })).status).toBe(200);
    const [sent] = await until(
      async () => api.calls(/\/v2\/bot\/message\/(reply|push)$/),
      (c) => c.length >= 1,
    );
    expect(sent?.path).toBe('/v2/bot/message/reply');
    expect(sent?.headers.authorization).toBe(`Bearer ${LINE.token}`);
    expect(sent?.json).toMatchObject({ replyToken: 'nHuyWiB7yP5Zw52FIkcQobQuGDXCTA' });
    expect(JSON.stringify(sent?.json)).toMatch(/Germany/);
    await new Promise((r) => setTimeout(r, 1000));
    expect(api.calls(/\/v2\/bot\/message\/(reply|push)$/)).toHaveLength(1);
  });

  it.each([
    // [language, the shopper's question, what the answer must say, the localised source line]
    ['es', '¿Cuánto tarda el envío a Alemania?', /Alemania/, /Fuente: Envíos a Alemania/],
    ['zh-CN', '寄到德国要多久？', /德国/, /来源：配送至德国/],
  ])('answers a %s shopper in their language on Telegram, WhatsApp, WeChat and LINE', async (language, question, fact, source) => {
    const n = language === 'es' ? 1 : 2;
    const at = Date.now();
    const json = (c: Received) => JSON.stringify(c.json ?? c.body);
    // Telegram
    await post(
      '/webhooks/tg',
      JSON.stringify({
        update_id: 910000 + n,
        message: {
          message_id: 50 + n,
          date: Math.floor(at / 1000),
          chat: { id: 4200 + n, type: 'private' },
          from: { id: 4200 + n, is_bot: false, first_name: 'S', language_code: language },
          text: question,
        },
      }),
      { 'x-telegram-bot-api-secret-token': 'tg-secret' },
    );
    // WhatsApp
    const wa = whatsappText({ from: `3460000000${n}`, name: 'S', id: `wamid.LANG${n}`, text: question, at });
    await post('/webhooks/wa', wa.body, { 'x-hub-signature-256': wa.signature });
    // WeChat (the answer goes out through the customer-service API)
    const ts = String(Math.floor(at / 1000));
    const xml = `<xml><ToUserName><![CDATA[gh_shop]]></ToUserName><FromUserName><![CDATA[oWX_lang${n}]]></FromUserName><CreateTime>${ts}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${question}]]></Content><MsgId>710000000000000${n}</MsgId></xml>`;
    await post(`/webhooks/wx-slow?timestamp=${ts}&nonce=l${n}&signature=${sha1Signature(WX.token, ts, `l${n}`)}`, xml, { 'content-type': 'text/xml' });
    // LINE
    const line = JSON.stringify({
      destination: 'U0bot',
      events: [
        {
          type: 'message',
          mode: 'active',
          timestamp: at,
          webhookEventId: `01HLINELANG000${n}`,
          deliveryContext: { isRedelivery: false },
          source: { type: 'user', userId: `Ulang${n}` },
          replyToken: `reply-lang-${n}`,
          message: { id: `44457384408357${n}`, type: 'text', quoteToken: 'q', text: question },
        },
      ],
    });
    await post('/webhooks/line', line, { 'x-line-signature': createHmac('sha256', LINE.secret).update(line).digest('base64') });

    const replies = await until(
      async () => [
        api.calls(/\/sendMessage$/).find((c) => json(c).includes(`"chat_id":"${4200 + n}"`)),
        api.calls(/\/messages$/).find((c) => json(c).includes(`"to":"3460000000${n}"`)),
        api.calls(/custom\/send$/).find((c) => json(c).includes(`oWX_lang${n}`)),
        api.calls(/\/v2\/bot\/message\/(reply|push)$/).find((c) => json(c).includes(`reply-lang-${n}`) || json(c).includes(`Ulang${n}`)),
      ],
      (found) => found.every(Boolean),
      20_000,
    );
    for (const reply of replies) {
      const body = json(reply as Received);
      expect(body).toMatch(fact);
      expect(body).toMatch(source);
      expect(body).not.toMatch(/Source:|Germany/);
    }
  });

  it('refuses bad input with a clear 4xx and keeps running', async () => {
    const res = await post('/webhooks/nope', '{}');
    expect(res.status).toBe(404);
    expect((await res.json()).message).toMatch(/No channel "nope"/);
    const big = await post('/webhooks/wa', 'x'.repeat(5 * 1024 * 1024), { 'x-hub-signature-256': 'sha256=00' });
    expect(big.status).toBe(413);
    const truncated = `<xml><ToUserName><![CDATA[gh]]></ToUserName><FromUserName><![CDATA[o1]]`;
    const ts = String(Math.floor(Date.now() / 1000));
    const bad = await post(`/webhooks/wx-slow?timestamp=${ts}&nonce=n3&signature=${sha1Signature(WX.token, ts, 'n3')}`, truncated, {
      'content-type': 'text/xml',
    });
    expect(bad.status).toBe(400);
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
  });
});
