import { describe, expect, it } from 'vitest';
import type { RawRequest, VerifyResult } from '../../src/core/adapter.js';
import { wechatChannel, wecomChannel } from './adapter.js';
import { sha1Signature } from './crypto.js';
import { fakeContext, fixture, plainPost, rawRequest, vectors } from '../../test/support/wechat.js';

const { mp, plain, wecomA, wechatpy: wpy } = vectors;

const sec = (s: string | undefined) => Number(s) * 1000;

function parse<C>(definition: { parseConfig(raw: unknown): { ok: true; value: C } | { ok: false; issues: unknown } }, raw: unknown): C {
  const parsed = definition.parseConfig(raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.value;
}

const wechat = (extra: Record<string, unknown>, nowMs: number) =>
  wechatChannel.create(parse(wechatChannel, { appId: 'wx2c2769f8efd9abc2', appSecret: 's3cret', token: 'test', ...extra }), fakeContext({ now: () => nowMs }));

const safeWechat = (nowMs: number, appId = mp.appId) => wechat({ appId, token: mp.token, encodingAESKey: mp.encodingAESKey }, nowMs);

const wecom = (nowMs: number, token = 'QDG6eK', encodingAESKey = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', corpId = 'wx5823bf96d3bd56c7') =>
  wecomChannel.create(parse(wecomChannel, { corpId, agentId: 218, secret: 's3cret', token, encodingAESKey }), fakeContext({ now: () => nowMs }));

const mpPost = (body = mp.post_body_xml): RawRequest =>
  rawRequest(
    'POST',
    {
      signature: sha1Signature(mp.token, mp.timestamp, mp.nonce),
      timestamp: mp.timestamp,
      nonce: mp.nonce,
      openid: 'oyORnuP8q7ou2gfYjqLzSIWZf0rs',
      encrypt_type: 'aes',
      msg_signature: mp.msg_signature,
    },
    body,
  );

const wecomPost = (): RawRequest => {
  const d = wecomA.decrypt_msg;
  return rawRequest('POST', { msg_signature: d.msg_signature, timestamp: d.timestamp, nonce: d.nonce }, d.post_body_xml);
};

const expect401 = (result: VerifyResult) => expect(result).toMatchObject({ ok: false, status: 401 });

describe('WeChat plain mode', () => {
  const now = sec(plain.timestamp);
  const body = fixture('wechat/msg_text.xml');

  it('accepts the wechatpy signature vector and passes the body on', async () => {
    const result = await wechat({}, now).verify(plainPost(plain.token, body, plain.timestamp, plain.nonce));
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.request.verified).toEqual({ xml: body, encrypted: false });
  });

  it('rejects the negative vector, a wrong token and a missing signature with 401', async () => {
    const adapter = wechat({}, now);
    const req = plainPost(plain.token, body, plain.timestamp, plain.nonce);
    expect401(await adapter.verify({ ...req, query: { ...req.query, signature: plain.negative_case.signature } }));
    expect401(await adapter.verify(plainPost('wrongtoken', body, plain.timestamp, plain.nonce)));
    expect401(await adapter.verify({ ...req, query: { ...req.query, signature: undefined } }));
  });

  it('rejects a timestamp outside the window (default 5 min, configurable) with 401', async () => {
    const req = plainPost(plain.token, body, plain.timestamp, plain.nonce);
    expect401(await wechat({}, now + 301_000).verify(req));
    expect401(await wechat({}, now - 301_000).verify(req));
    expect((await wechat({}, now + 299_000).verify(req)).ok).toBe(true);
    expect((await wechat({ timestampWindowSec: 900 }, now + 600_000).verify(req)).ok).toBe(true);
  });

  it('refuses bodies over 1 MB before looking at them', async () => {
    const big = `<xml><Content>${'a'.repeat(1024 * 1024)}</Content></xml>`;
    expect(await wechat({}, now).verify(plainPost(plain.token, big, plain.timestamp, plain.nonce))).toMatchObject({ ok: false, status: 413 });
  });
});

describe('WeChat safe mode (official sample)', () => {
  const now = sec(mp.timestamp);

  it('verifies msg_signature over <Encrypt> and hands on the decrypted XML only', async () => {
    const result = await safeWechat(now).verify(mpPost());
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.request.verified).toEqual({ xml: mp.expected_decrypted_xml, encrypted: true });
  });

  it('rejects a tampered ciphertext byte, a wrong token, a stale timestamp and a wrong AppID with 401', async () => {
    const body = mp.post_body_xml;
    const i = body.indexOf('<Encrypt><![CDATA[') + 30;
    const tampered = body.slice(0, i) + (body[i] === 'A' ? 'B' : 'A') + body.slice(i + 1);
    expect401(await safeWechat(now).verify(mpPost(tampered)));
    expect401(await wechat({ token: 'othertoken', encodingAESKey: mp.encodingAESKey }, now).verify(mpPost()));
    expect401(await safeWechat(now + 6 * 60_000).verify(mpPost()));
    expect401(await safeWechat(now, 'wx0000000000000000').verify(mpPost()));
  });

  it('does not fall back to the unsigned plaintext once an EncodingAESKey is configured', async () => {
    const plainOnly = fixture('wechat/msg_text.xml');
    expect401(await safeWechat(now).verify(mpPost(plainOnly)));
  });
});

describe('WeCom (official sample)', () => {
  it('verifies and decrypts the official callback POST', async () => {
    const result = await wecom(sec(wecomA.decrypt_msg.timestamp)).verify(wecomPost());
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.request.verified).toMatchObject({ xml: wecomA.decrypt_msg.expected_decrypted_xml });
  });

  it('rejects a wrong token, a wrong CorpID, a stale timestamp and plain signatures with 401', async () => {
    const now = sec(wecomA.decrypt_msg.timestamp);
    expect401(await wecom(now, 'QDG6eX').verify(wecomPost()));
    expect401(await wecom(now, undefined, undefined, 'wx5823bf96d3bd56c8').verify(wecomPost()));
    expect401(await wecom(now + 3_600_000).verify(wecomPost()));
    expect401(await wecom(now).verify(plainPost('QDG6eK', fixture('wecom/msg_text_agentid.xml'), wecomA.decrypt_msg.timestamp)));
  });
});

describe('GET URL verification (handshake)', () => {
  it('WeChat plain: echoes echostr when the signature matches, 401 otherwise', async () => {
    const adapter = wechat({}, sec(plain.timestamp));
    const query = { signature: plain.signature, timestamp: plain.timestamp, nonce: plain.nonce, echostr: '5837397520629580853' };
    expect(await adapter.handshake?.(rawRequest('GET', query))).toMatchObject({ status: 200, body: '5837397520629580853' });
    expect(await adapter.handshake?.(rawRequest('GET', { ...query, nonce: 'x' }))).toMatchObject({ status: 401 });
    expect(await wechat({}, sec(plain.timestamp) + 600_000).handshake?.(rawRequest('GET', query))).toMatchObject({ status: 401 });
  });

  it('WeCom: verifies msg_signature over echostr and returns the decrypted plaintext exactly', async () => {
    const v = wecomA.verify_url;
    const adapter = wecom(sec(v.timestamp));
    const query = { msg_signature: v.msg_signature, timestamp: v.timestamp, nonce: v.nonce, echostr: v.echostr };
    const ack = await adapter.handshake?.(rawRequest('GET', query));
    expect(ack).toEqual({ status: 200, body: v.expected_echo_plaintext, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    // A `+` that arrived unencoded was decoded to a space by the query parser.
    const spaced = await adapter.handshake?.(rawRequest('GET', { ...query, echostr: v.echostr.replaceAll('+', ' ') }));
    expect(spaced).toMatchObject({ status: 200, body: v.expected_echo_plaintext });
  });

  it('WeCom: the wechatpy vector verifies, its negative nonce does not', async () => {
    const v = wpy.verify_url;
    const adapter = wecom(sec(v.timestamp), '123456', 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR', 'wx49f0ab532d5d035a');
    const query = { msg_signature: v.msg_signature, timestamp: v.timestamp, nonce: v.nonce, echostr: v.echostr };
    expect(await adapter.handshake?.(rawRequest('GET', query))).toMatchObject({ status: 200, body: v.expected_echo_plaintext });
    expect(await adapter.handshake?.(rawRequest('GET', { ...query, nonce: v.negative.nonce }))).toMatchObject({ status: 401, body: '' });
  });
});
