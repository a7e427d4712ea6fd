import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appId, appPassword, channelToken, localBotFramework, mintKey } from '../support/botframework.js';
import { slackApiServer } from '../support/slack.js';
import { decryptMessage, encryptMessage, sha1Signature } from '../../adapters/wechat/crypto.js';
import { type ChildGateway, makeSite, spawnGateway, type TestSite } from '../support/gateway.js';
import { type Answer, PlatformServer, type Received } from '../support/platform-server.js';
import { until } from '../support/webchat-client.js';

const QUESTION = 'How long does shipping to Germany take?';
const WECOM = { corpId: 'ww1234567890abcdef', token: 'wecomtoken', aes: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' };
const SLACK_SECRET = 'slack-e2e-signing-secret';

function wecomApi(req: Received): Answer {
  if (req.path === '/cgi-bin/gettoken') return { json: { errcode: 0, access_token: 'WECOM_TOKEN', expires_in: 7200 } };
  return { json: { errcode: 0, errmsg: 'ok' } };
}

describe('more channels end to end: WeCom, Slack and Bot Framework (Teams)', () => {
  let wecom: PlatformServer;
  let slack: Awaited<ReturnType<typeof slackApiServer>>;
  let bf: Awaited<ReturnType<typeof localBotFramework>>;
  let site: TestSite;
  let gateway: ChildGateway;
  const port = 20_000 + Math.floor(Math.random() * 20_000);

  beforeAll(async () => {
    wecom = await new PlatformServer(wecomApi).start();
    slack = await slackApiServer();
    bf = await localBotFramework();
    bf.state.keys = [await mintKey('bf-key-1')];
    site = makeSite(`
channels:
  webchat: { type: webchat }
  wecom:
    type: wecom
    corpId: ${WECOM.corpId}
    agentId: 1000002
    secret: wecom-secret
    token: ${WECOM.token}
    encodingAESKey: ${WECOM.aes}
    apiBaseUrl: "${wecom.url}"
  slack:
    type: slack
    botToken: xoxb-e2e-token
    signingSecret: ${SLACK_SECRET}
    botUserId: UBOT
    slackApiUrl: "${slack.url}"
  teams:
    type: botframework
    appId: "${appId}"
    appPassword: ${appPassword}
    openIdMetadataUrl: "${bf.url}/bf/openid"
    emulatorOpenIdMetadataUrl: "${bf.url}/emu/openid"
    tokenEndpoint: "${bf.url}/token"
`);
    gateway = await spawnGateway(site, port, { PUBLIC_URL: `http://127.0.0.1:${port}` });
  }, 60_000);
  afterAll(async () => {
    gateway?.child.kill('SIGTERM');
    await gateway?.exited;
    await Promise.all([wecom?.stop(), slack?.close(), bf?.close()]);
    site?.cleanup();
  });

  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${gateway.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it('WeCom: decrypts the callback and answers inside the encrypted response', async () => {
    const crypto = { token: WECOM.token, encodingAESKey: WECOM.aes, receiveId: WECOM.corpId };
    const now = Math.floor(Date.now() / 1000);
    const xml = `<xml><ToUserName><![CDATA[${WECOM.corpId}]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>${now}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${QUESTION}]]></Content><MsgId>8100000000000001</MsgId><AgentID>1000002</AgentID></xml>`;
    const encrypted = encryptMessage(xml, crypto);
    const sig = sha1Signature(WECOM.token, String(now), 'n1', encrypted);
    const body = `<xml><ToUserName><![CDATA[${WECOM.corpId}]]></ToUserName><AgentID><![CDATA[1000002]]></AgentID><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`;
    const path = `/webhooks/wecom?msg_signature=${sig}&timestamp=${now}&nonce=n1`;
    expect((await post(path.replace(sig, '0'.repeat(40)), body, { 'content-type': 'text/xml' })).status).toBe(401);
    const res = await post(path, body, { 'content-type': 'text/xml' });
    expect(res.status).toBe(200);
    const inner = /<Encrypt><!\[CDATA\[([^\]]+)\]\]><\/Encrypt>/.exec(await res.text())?.[1] ?? '';
    const reply = decryptMessage(inner, crypto);
    expect(reply.ok && reply.message).toMatch(/<ToUserName><!\[CDATA\[zhangsan\]\]>[\s\S]*Germany/);
    await new Promise((r) => setTimeout(r, 2500));
    expect(wecom.calls(/message\/send$/)).toHaveLength(0);
  });

  it('Slack: verifies the v0 signature, answers a DM with chat.postMessage, once per event_id', async () => {
    const event = JSON.stringify({
      token: 'x',
      team_id: 'T1',
      api_app_id: 'A1',
      type: 'event_callback',
      event_id: 'Ev0E2E0001',
      event_time: Math.floor(Date.now() / 1000),
      event: {
        type: 'message',
        channel_type: 'im',
        channel: 'D0SHOPPER',
        user: 'U0SHOPPER',
        text: QUESTION,
        ts: '1767225600.000100',
        event_ts: '1767225600.000100',
      },
    });
    const sign = (body: string, ts: number) => `v0=${createHmac('sha256', SLACK_SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
    const ts = Math.floor(Date.now() / 1000);
    const headers = { 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sign(event, ts) };
    expect((await post('/webhooks/slack', event, { ...headers, 'x-slack-signature': 'v0=00' })).status).toBe(401);
    const stale = ts - 600;
    expect((await post('/webhooks/slack', event, { 'x-slack-request-timestamp': String(stale), 'x-slack-signature': sign(event, stale) })).status).toBe(401);
    expect((await post('/webhooks/slack', event, headers)).status).toBe(200);
    expect((await post('/webhooks/slack', event, { ...headers, 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' })).status).toBe(200);
    const [sent] = await until(
      async () => slack.requests.filter((r) => r.path.endsWith('chat.postMessage')),
      (c) => c.length >= 1,
    );
    expect(sent?.headers.authorization).toBe('Bearer xoxb-e2e-token');
    expect(sent?.form.channel).toBe('D0SHOPPER');
    expect(String(sent?.form.text)).toMatch(/Germany/);
    await new Promise((r) => setTimeout(r, 1000));
    expect(slack.requests.filter((r) => r.path.endsWith('chat.postMessage'))).toHaveLength(1);
    const challenge = JSON.stringify({ token: 'x', challenge: 'c-123', type: 'url_verification' });
    const cts = Math.floor(Date.now() / 1000);
    const res = await post('/webhooks/slack', challenge, { 'x-slack-request-timestamp': String(cts), 'x-slack-signature': sign(challenge, cts) });
    expect(await res.json()).toEqual({ challenge: 'c-123' });
  });

  it.each([
    ['es', '¿Cuánto tarda el envío a Alemania?', /Alemania/, /Fuente: Envíos a Alemania/],
    ['zh-CN', '寄到德国要多久？', /德国/, /来源：配送至德国/],
  ])('answers a %s shopper in their language on WeCom, Slack and Teams', async (language, question, fact, source) => {
    const n = language === 'es' ? 1 : 2;
    const now = Math.floor(Date.now() / 1000);
    // WeCom: the answer comes back in the encrypted HTTP response.
    const crypto = { token: WECOM.token, encodingAESKey: WECOM.aes, receiveId: WECOM.corpId };
    const xml = `<xml><ToUserName><![CDATA[${WECOM.corpId}]]></ToUserName><FromUserName><![CDATA[lang${n}]]></FromUserName><CreateTime>${now}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${question}]]></Content><MsgId>810000000000010${n}</MsgId><AgentID>1000002</AgentID></xml>`;
    const encrypted = encryptMessage(xml, crypto);
    const body = `<xml><ToUserName><![CDATA[${WECOM.corpId}]]></ToUserName><AgentID><![CDATA[1000002]]></AgentID><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`;
    const res = await post(`/webhooks/wecom?msg_signature=${sha1Signature(WECOM.token, String(now), `l${n}`, encrypted)}&timestamp=${now}&nonce=l${n}`, body, {
      'content-type': 'text/xml',
    });
    const inner = /<Encrypt><!\[CDATA\[([^\]]+)\]\]><\/Encrypt>/.exec(await res.text())?.[1] ?? '';
    const decrypted = decryptMessage(inner, crypto);
    const wecomReply = decrypted.ok ? decrypted.message : '';
    // Slack
    const event = JSON.stringify({
      token: 'x',
      team_id: 'T1',
      api_app_id: 'A1',
      type: 'event_callback',
      event_id: `Ev0LANG000${n}`,
      event_time: now,
      event: {
        type: 'message',
        channel_type: 'im',
        channel: `D0LANG${n}`,
        user: `U0LANG${n}`,
        text: question,
        ts: `176722560${n}.000100`,
        event_ts: `176722560${n}.000100`,
      },
    });
    await post('/webhooks/slack', event, {
      'x-slack-request-timestamp': String(now),
      'x-slack-signature': `v0=${createHmac('sha256', SLACK_SECRET).update(`v0:${now}:${event}`).digest('hex')}`,
    });
    // Teams
    const activity = {
      type: 'message',
      id: `act-lang-${n}`,
      timestamp: new Date().toISOString(),
      channelId: 'msteams',
      serviceUrl: bf.url,
      from: { id: `29:lang${n}`, name: 'S' },
      conversation: { id: `a:conv-lang-${n}`, conversationType: 'personal' },
      recipient: { id: `28:${appId}`, name: 'Pawsome' },
      text: question,
      locale: language,
    };
    const token = await channelToken(bf.state.keys[0] as Awaited<ReturnType<typeof mintKey>>, Date.now(), { serviceurl: bf.url });
    await post('/webhooks/teams', JSON.stringify(activity), { authorization: `Bearer ${token}` });

    const [slackReply, teamsReply] = await until(
      async () => [
        slack.requests.find((r) => r.path.endsWith('chat.postMessage') && r.form.channel === `D0LANG${n}`),
        bf.connectorCalls().find((c) => c.path.includes(`conv-lang-${n}`) && (c.body as { type?: string }).type === 'message'),
      ],
      (found) => found.every(Boolean),
      20_000,
    );
    for (const reply of [wecomReply, String(slackReply?.form.text), JSON.stringify(teamsReply?.body)]) {
      expect(reply).toMatch(fact);
      expect(reply).toMatch(source);
      expect(reply).not.toMatch(/Source:|Germany/);
    }
  });

  it('Teams: validates the JWT against the OpenID keys and replies to the serviceUrl with the bot token', async () => {
    const activity = {
      type: 'message',
      id: 'act-e2e-1',
      timestamp: new Date().toISOString(),
      channelId: 'msteams',
      serviceUrl: bf.url,
      from: { id: '29:shopper', name: 'Mia' },
      conversation: { id: 'a:conv-e2e', conversationType: 'personal' },
      recipient: { id: `28:${appId}`, name: 'Pawsome' },
      text: QUESTION,
      locale: 'en-US',
    };
    const good = await channelToken(bf.state.keys[0] as Awaited<ReturnType<typeof mintKey>>, Date.now(), { serviceurl: bf.url });
    const wrongKey = await channelToken(await mintKey('bf-key-1'), Date.now(), { serviceurl: bf.url });
    const body = JSON.stringify(activity);
    expect((await post('/webhooks/teams', body)).status).toBe(401);
    expect((await post('/webhooks/teams', body, { authorization: `Bearer ${wrongKey}` })).status).toBe(401);
    expect((await post('/webhooks/teams', body, { authorization: `Bearer ${good}` })).status).toBeLessThan(300);
    const replies = () => bf.connectorCalls().filter((c) => c.path.includes('conv-e2e') && (c.body as { type?: string }).type === 'message');
    const [sent] = await until(
      async () => replies(),
      (c) => c.length >= 1,
    );
    expect(sent?.path).toMatch(/^\/v3\/conversations\/a%3Aconv-e2e\/activities/);
    expect(sent?.headers.authorization).toBe('Bearer bot-token-1');
    expect(JSON.stringify(sent?.body)).toMatch(/Germany/);
  });
});
