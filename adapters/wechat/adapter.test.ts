import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeAdapterContract } from '../../test/contract/adapter-contract.js';
import type { RawRequest } from '../../src/core/adapter.js';
import { createWechatAdapter, createWecomAdapter, wechatChannel, wecomChannel } from './adapter.js';
import type { WechatConfig, WecomConfig } from './config.js';
import { type CryptoConfig, encryptMessage, sha1Signature } from './crypto.js';
import { fakeContext, fixture, plainPost, rawRequest, vectors } from '../../test/support/wechat.js';

const payloadFixtures = (folder: string) =>
  readdirSync(new URL(`./fixtures/${folder}/`, import.meta.url))
    .filter((f) => /^(msg|event)_.*\.xml$/.test(f))
    .map((f) => `${folder}/${f}`);

const TS = '1409735669';
const now = () => Number(TS) * 1000;

/** Encrypts and signs a callback body the way WeChat / WeCom send it. */
function encryptedPost(xml: string, crypto: CryptoConfig, nonce = '1320562132'): RawRequest {
  const encrypt = encryptMessage(xml, crypto);
  const body = `<xml><ToUserName><![CDATA[${crypto.receiveId}]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`;
  return rawRequest('POST', { msg_signature: sha1Signature(crypto.token, TS, nonce, encrypt), timestamp: TS, nonce, encrypt_type: 'aes' }, body);
}

const { mp, wecomA: a } = vectors;
const plainConfig: WechatConfig = {
  appId: mp.appId,
  appSecret: 's',
  token: mp.token,
  apiBaseUrl: 'http://127.0.0.1:9',
  replyBudgetMs: 4000,
  timestampWindowSec: 300,
};
const safeConfig: WechatConfig = { ...plainConfig, encodingAESKey: mp.encodingAESKey };
const mpCrypto = { token: mp.token, encodingAESKey: mp.encodingAESKey, receiveId: mp.appId };

const wecomConfig: WecomConfig = {
  corpId: a.receiveId_corpId,
  agentId: 218,
  secret: 's',
  token: a.token,
  encodingAESKey: a.encodingAESKey,
  apiBaseUrl: 'http://127.0.0.1:9',
  replyBudgetMs: 4000,
  timestampWindowSec: 300,
};
const wecomCrypto = { token: a.token, encodingAESKey: a.encodingAESKey, receiveId: a.receiveId_corpId };

describeAdapterContract({
  name: 'wechat (plain mode)',
  create: () => createWechatAdapter(plainConfig, fakeContext({ now })),
  validRequests: () => payloadFixtures('wechat').map((f) => plainPost(mp.token, fixture(f), TS)),
  // Plain mode signs only token, timestamp and nonce, never the body: tamper with the signature.
  tamper: (req) => ({ ...req, query: { ...req.query, nonce: '1320562133' } }),
});

describeAdapterContract({
  name: 'wechat (safe mode)',
  create: () => createWechatAdapter(safeConfig, fakeContext({ now })),
  validRequests: () => [
    rawRequest('POST', { msg_signature: mp.msg_signature, timestamp: mp.timestamp, nonce: mp.nonce, encrypt_type: 'aes' }, mp.post_body_xml),
    ...payloadFixtures('wechat').map((f) => encryptedPost(fixture(f), mpCrypto)),
  ],
});

describeAdapterContract({
  name: 'wecom',
  create: () => createWecomAdapter(wecomConfig, fakeContext({ now: () => Number(a.decrypt_msg.timestamp) * 1000 })),
  validRequests: () => {
    const d = a.decrypt_msg;
    const official = rawRequest('POST', { msg_signature: d.msg_signature, timestamp: d.timestamp, nonce: d.nonce }, d.post_body_xml);
    const ts = d.timestamp;
    const more = payloadFixtures('wecom').map((f) => {
      const encrypt = encryptMessage(fixture(f), wecomCrypto);
      const body = `<xml><ToUserName><![CDATA[${a.receiveId_corpId}]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>`;
      return rawRequest('POST', { msg_signature: sha1Signature(a.token, ts, '7', encrypt), timestamp: ts, nonce: '7' }, body);
    });
    return [official, ...more];
  },
});

describe('end to end through the adapter', () => {
  it('an encrypted callback verifies, normalises to the decrypted message and acks "success"', async () => {
    const adapter = createWechatAdapter(safeConfig, fakeContext({ now, channelId: 'wx-safe' }));
    const verified = await adapter.verify(encryptedPost(fixture('wechat/msg_voice_with_recognition.xml'), mpCrypto));
    if (!verified.ok) throw new Error(verified.reason);
    expect(adapter.normalize(verified.request).ack).toEqual({ status: 200, body: 'success' });
    expect(adapter.normalize(verified.request)).toMatchObject({
      events: [{ type: 'message', channelId: 'wx-safe', parts: [{ kind: 'audio', transcript: '腾讯微信团队' }] }],
    });
  });

  it('WeCom acks with an empty 200', async () => {
    const adapter = createWecomAdapter(wecomConfig, fakeContext({ now: () => Number(a.decrypt_msg.timestamp) * 1000 }));
    const d = a.decrypt_msg;
    const verified = await adapter.verify(rawRequest('POST', { msg_signature: d.msg_signature, timestamp: d.timestamp, nonce: d.nonce }, d.post_body_xml));
    if (!verified.ok) throw new Error(verified.reason);
    expect(adapter.normalize(verified.request).ack).toEqual({ status: 200, body: '' });
  });
});

describe('config', () => {
  it('applies defaults and strips a trailing slash from apiBaseUrl', () => {
    expect(wechatChannel.parseConfig({ appId: 'wx1', appSecret: 's', token: 'tok' })).toEqual({
      ok: true,
      value: { appId: 'wx1', appSecret: 's', token: 'tok', apiBaseUrl: 'https://api.weixin.qq.com', replyBudgetMs: 4000, timestampWindowSec: 300 },
    });
    const wecom = wecomChannel.parseConfig({
      corpId: 'ww1',
      agentId: '1000002',
      secret: 's',
      token: 'tok',
      encodingAESKey: a.encodingAESKey,
      apiBaseUrl: 'http://local/',
    });
    expect(wecom).toMatchObject({ ok: true, value: { agentId: 1000002, apiBaseUrl: 'http://local' } });
  });

  it('names the env var of each missing secret and rejects a malformed EncodingAESKey', () => {
    const parsed = wechatChannel.parseConfig({ appId: 'wx1', encodingAESKey: 'short' });
    expect(parsed.ok).toBe(false);
    const messages = parsed.ok ? [] : parsed.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(messages).toEqual([
      expect.stringMatching(/^appSecret: required.*WECHAT_APP_SECRET/),
      expect.stringMatching(/^token: required.*WECHAT_TOKEN/),
      expect.stringMatching(/^encodingAESKey: .*43.*WECHAT_AES_KEY/),
    ]);
    const wecom = wecomChannel.parseConfig({ corpId: 'ww1', agentId: 1, secret: 's', token: 'tok' });
    expect(wecom.ok ? [] : wecom.issues.map((i) => i.message)).toEqual([expect.stringMatching(/WECOM_AES_KEY/)]);
  });

  it('describe warns about plain mode', () => {
    const plain = wechatChannel.describe?.(plainConfig);
    expect(plain?.notes?.join(' ')).toMatch(/WECHAT_AES_KEY/);
    expect(wechatChannel.describe?.(safeConfig)?.notes?.join(' ')).toMatch(/Safe mode/);
  });
});
