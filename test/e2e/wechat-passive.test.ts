import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha1Signature } from '../../adapters/wechat/crypto.js';
import type { Gateway } from '../../src/server/gateway.js';
import { makeSite, startTestGateway, type TestSite } from '../support/gateway.js';
import { PlatformServer, type Received } from '../support/platform-server.js';
import { until } from '../support/webchat-client.js';

const WX = { appId: 'wx5823bf96d3bd56c7', token: 'wxtoken' };
const QUESTION = 'How long does shipping to Germany take?';

/**
 * WeChat answers in the webhook's response (passive reply). The answer counts as delivered only
 * once that response is written; Tencent's retry of an answered event gets the same answer.
 */
describe('WeChat passive replies: delivered only when written', () => {
  let site: TestSite;
  let gateway: Gateway;
  let tencent: PlatformServer;

  const customSends = (openId: string) => tencent.calls(/custom\/send$/).filter((c: Received) => c.body.includes(openId));
  const event = (openId: string, msgId: string) => {
    const ts = String(Math.floor(Date.now() / 1000));
    const xml = `<xml><ToUserName><![CDATA[gh_shop]]></ToUserName><FromUserName><![CDATA[${openId}]]></FromUserName><CreateTime>${ts}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${QUESTION}]]></Content><MsgId>${msgId}</MsgId></xml>`;
    return { path: `/webhooks/wx?timestamp=${ts}&nonce=n${msgId}&signature=${sha1Signature(WX.token, ts, `n${msgId}`)}`, xml };
  };

  beforeAll(async () => {
    tencent = await new PlatformServer((req) => {
      if (req.path === '/cgi-bin/token') return { json: { access_token: 'WX_ACCESS_TOKEN', expires_in: 7200 } };
      return { json: { errcode: 0, errmsg: 'ok' } };
    }).start();
    site = makeSite(`
channels:
  wx: { type: wechat, appId: ${WX.appId}, appSecret: wx-secret, token: ${WX.token}, apiBaseUrl: "${tencent.url}" }
`);
    gateway = await startTestGateway(site);
  }, 60_000);
  afterAll(async () => {
    await gateway?.close();
    await tencent?.stop();
    site?.cleanup();
  });

  it('sends through the customer-service API when Tencent hung up before the response', async () => {
    const { path, xml } = event('oWX_hangup', '7100000000000001');
    const url = new URL(gateway.url);
    const socket = connect(Number(url.port), url.hostname);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(`POST ${path} HTTP/1.1\r\nHost: ${url.host}\r\ncontent-type: text/xml\r\ncontent-length: ${Buffer.byteLength(xml)}\r\n\r\n${xml}`);
    // Gone before the answer is ready: the response cannot be written.
    await new Promise((r) => setTimeout(r, 50));
    socket.destroy();
    const [sent] = await until(
      async () => customSends('oWX_hangup'),
      (c) => c.length >= 1,
      20_000,
    );
    expect(sent?.json).toMatchObject({ touser: 'oWX_hangup', msgtype: 'text' });
    expect(sent?.body).toMatch(/Germany/);
    await gateway.idle();
    expect(customSends('oWX_hangup')).toHaveLength(1);
  }, 30_000);

  it("answers Tencent's retry of an answered event with the same reply, and only in the response", async () => {
    const { path, xml } = event('oWX_retry', '7100000000000002');
    const post = () => fetch(`${gateway.url}${path}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: xml }).then((r) => r.text());
    const first = await post();
    expect(first).toMatch(/<ToUserName><!\[CDATA\[oWX_retry\]\]>[\s\S]*Germany/);
    const retry = await post();
    expect(retry).toBe(first);
    await gateway.idle();
    await new Promise((r) => setTimeout(r, 500));
    expect(customSends('oWX_retry')).toHaveLength(0);
  }, 30_000);
});
