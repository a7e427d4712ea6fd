import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/cli/check.js';
import { parseConfigText } from '../../src/config/load.js';
import { silentLogger } from '../../src/core/ports.js';
import { channelDefinitions } from '../../src/server/channels.js';
import { type Gateway, startGateway } from '../../src/server/gateway.js';
import { dingtalkSign, exampleEnv, exampleYaml, feishuEncrypt, feishuSignature, fixture, platformServer } from '../support/custom.js';
import { inboxRows, makeSite, type TestSite } from '../support/gateway.js';
import { until } from '../support/webchat-client.js';

/** The two worked examples' YAML, as docs/channels/custom.md shows them, under one `channels:` key. */
const examplesYaml = () => `channels:\n${[exampleYaml('feishu'), exampleYaml('dingtalk')].map((y) => y.replace(/^[\s\S]*?channels:\n/, '')).join('')}`;

/**
 * A gateway configured with the two worked examples exactly as documented, their platforms'
 * hosts pointed at a local server speaking Feishu's and DingTalk's published APIs.
 */
describe('custom channels end to end: Feishu and DingTalk defined in config alone', () => {
  let api: Awaited<ReturnType<typeof platformServer>>;
  let site: TestSite;
  let gateway: Gateway;
  let env: Record<string, string | undefined>;

  beforeAll(async () => {
    api = await platformServer();
    site = makeSite(examplesYaml());
    env = { ...process.env, ...exampleEnv(api.url) };
    const config = parseConfigText(readFileSync(site.configFile, 'utf8'), site.configFile, env, channelDefinitions);
    gateway = await startGateway(config, { log: silentLogger });
  }, 30_000);
  afterAll(async () => {
    await gateway?.close();
    await api?.close();
    site?.cleanup();
  });

  const feishuPost = (plaintext: string, options: { signed?: boolean; tamper?: boolean } = {}) => {
    const body = JSON.stringify({ encrypt: feishuEncrypt(plaintext) });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = '28392';
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.signed !== false) {
      headers['x-lark-request-timestamp'] = timestamp;
      headers['x-lark-request-nonce'] = nonce;
      headers['x-lark-signature'] = feishuSignature(timestamp, nonce, options.tamper ? `${body} ` : body);
    }
    return fetch(`${gateway.url}/webhooks/feishu`, { method: 'POST', headers, body });
  };
  const dingtalkPost = (body: string, sign?: string) => {
    const timestamp = String(Date.now());
    return fetch(`${gateway.url}/webhooks/dingtalk`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', timestamp, sign: sign ?? dingtalkSign(timestamp) },
      body,
    });
  };

  it('answers Feishu’s URL check (encrypted, unsigned) with the challenge', async () => {
    const check = { ...JSON.parse(fixture('feishu/url_verification.json')), token: env.FEISHU_VERIFICATION_TOKEN };
    const res = await feishuPost(JSON.stringify(check), { signed: false });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: 'ajls384kdjx98XX' });
    expect(inboxRows(site)).toBe(0);
  });

  it('a Spanish Feishu message gets a Spanish answer through im/v1/messages, once, however often Feishu delivers it', async () => {
    const event = fixture('feishu/im_message_receive_v1_p2p_es.json');
    expect((await feishuPost(event)).status).toBe(200);
    expect((await feishuPost(event)).status).toBe(200);
    const chat = 'oc_5ad11d72b830411d72b836c20';
    const replies = await until(
      async () => api.feishuMessages().filter((m) => m.receive_id === chat),
      (sent) => sent.length >= 1,
      20_000,
    );
    expect(api.server.calls(/tenant_access_token/)).toHaveLength(1);
    expect(api.server.calls(/\/open-apis\/im\/v1\/messages/)[0]?.headers.authorization).toBe('Bearer t-caecc734c2e3328a62489fe0648c4b98779515d3');
    await gateway.idle();
    await new Promise((r) => setTimeout(r, 500));
    const all = api.feishuMessages().filter((m) => m.receive_id === chat);
    const text = all.map((m) => JSON.parse(m.content as string).text as string).join('\n');
    expect(replies[0]).toMatchObject({ msg_type: 'text', uuid: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(text).toMatch(/Alemania/);
    expect(text).not.toMatch(/Germany/);
    // One turn: a second answer would repeat a text; a retried send would repeat a uuid.
    const texts = all.map((m) => m.content as string);
    expect(new Set(texts).size).toBe(texts.length);
    const uuids = all.map((m) => m.uuid);
    expect(new Set(uuids).size).toBe(uuids.length);
  });

  it('a Spanish DingTalk message is answered on its sessionWebhook, once, however often DingTalk delivers it', async () => {
    const body = JSON.parse(fixture('dingtalk/receive_message_text_single_es.json'));
    body.sessionWebhook = `${api.url}/robot/sendBySession?session=c5d3a1e0b7f94e2d8c6b5a4f3e2d1c0b`;
    body.sessionWebhookExpiredTime = Date.now() + 90 * 60_000;
    const text = JSON.stringify(body);
    expect((await dingtalkPost(text)).status).toBe(200);
    expect((await dingtalkPost(text)).status).toBe(200);
    await until(
      async () => api.dingtalkMessages(),
      (sent) => sent.length >= 1,
      20_000,
    );
    await gateway.idle();
    await new Promise((r) => setTimeout(r, 500));
    const sent = api.dingtalkMessages();
    expect(sent.every((m) => m.session === 'c5d3a1e0b7f94e2d8c6b5a4f3e2d1c0b' && m.body.msgtype === 'text')).toBe(true);
    const contents = sent.map((m) => m.body.text.content as string);
    expect(contents.join('\n')).toMatch(/Alemania/);
    expect(new Set(contents).size).toBe(contents.length);
  });

  it('bad signatures get 401 and nothing is stored', async () => {
    const before = inboxRows(site);
    const event = JSON.parse(fixture('feishu/im_message_receive_v1_p2p_es.json'));
    event.header.event_id = 'b0d5a1e2f3c4d5e6f708192a3b4c5d6e';
    expect((await feishuPost(JSON.stringify(event), { tamper: true })).status).toBe(401);
    expect((await feishuPost(JSON.stringify(event), { signed: false })).status).toBe(401);
    const ding = fixture('dingtalk/receive_message_text_group.json').replace('msg0xxxxx', 'msg-forged');
    expect((await dingtalkPost(ding, 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=')).status).toBe(401);
    expect((await dingtalkPost(ding, dingtalkSign(String(Date.now() - 2 * 3600_000)))).status).toBe(401);
    expect(inboxRows(site)).toBe(before);
  });

  it('a verified event without a chat id gets 400 with the reason and nothing is stored', async () => {
    const before = inboxRows(site);
    const event = JSON.parse(fixture('feishu/im_message_receive_v1.json'));
    delete event.event.message.chat_id;
    const res = await feishuPost(JSON.stringify(event));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'bad_payload', message: 'Custom channel "feishu" cannot read this event: no chatId in the event.' });
    expect(inboxRows(site)).toBe(before);
  });

  it('parley check prints each example’s webhook URL, and a bad expression with its channel and key', async () => {
    const lines: string[] = [];
    expect(await check(site.configFile, env, (l) => lines.push(l))).toBe(0);
    expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/^ {2}feishu \(custom\) webhook http:\/\/127\.0\.0\.1\/webhooks\/feishu ok$/)]));
    expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/^ {2}dingtalk \(custom\) webhook http:\/\/127\.0\.0\.1\/webhooks\/dingtalk ok$/)]));
    expect(lines.join('\n')).toMatch(/The signature does not cover the body/);

    writeFileSync(site.configFile, readFileSync(site.configFile, 'utf8').replace('eventId: msgId', 'eventId: "msgId["'));
    const bad: string[] = [];
    expect(await check(site.configFile, env, (l) => bad.push(l))).toBe(1);
    expect(bad.join('\n')).toMatch(/channels\.dingtalk\.inbound\.eventId: bad JSONata expression: S0\d{3}: /);
  });
});
