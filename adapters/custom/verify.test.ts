import { describe, expect, it } from 'vitest';
import type { RawRequest } from '../../src/core/adapter.js';
import { dingtalkRequest, exampleConfig, feishuRequest, feishuSignedBody, fixture, NOW } from '../../test/support/custom.js';
import { customConfigSchema, type VerifyConfig } from './config.js';
import { checkSignature, decryptField, expectedSignature, signingBytes } from './verify.js';

const feishuVectors = JSON.parse(fixture('feishu/signature_vectors.json'));
const dingtalkVectors = JSON.parse(fixture('dingtalk/signature_vectors.json'));

const request = (overrides: Partial<RawRequest> = {}): RawRequest => ({
  method: 'POST',
  url: '/webhooks/x',
  headers: {},
  query: {},
  body: Buffer.from('{"id":1}'),
  ...overrides,
});

const verifyOf = (verify: Record<string, unknown>): VerifyConfig =>
  customConfigSchema.parse({ inbound: { verify, eventId: 'id', userId: 'u', chatId: 'c' }, outbound: { url: 'https://x.example/send', body: 'text' } }).inbound
    .verify;

describe('custom channel verification', () => {
  it('computes Feishu’s X-Lark-Signature as documented (vector computed with Python’s hashlib)', () => {
    const v = feishuVectors.signature;
    const config = exampleConfig('feishu').inbound.verify;
    const req = request({
      headers: { 'x-lark-request-timestamp': v.timestamp, 'x-lark-request-nonce': v.nonce, 'x-lark-signature': v.signature },
      body: Buffer.from(v.body),
    });
    if (config.kind !== 'digest') throw new Error('feishu uses a digest');
    expect(expectedSignature(config, req, v.encryptKey)).toBe(v.signature);
    expect(checkSignature({ ...config, secret: v.encryptKey }, req, NOW)).toEqual({ ok: true });
    expect(checkSignature({ ...config, secret: 'another key' }, req, NOW)).toEqual({ ok: false, reason: 'bad signature' });
  });

  it('decrypts Feishu’s documented example (test key → hello world)', () => {
    const { encryptKey, encrypt, plaintext } = feishuVectors.decrypt;
    const decrypt = { field: 'encrypt', cipher: 'aes-256-cbc', keyDerivation: 'sha256', key: encryptKey } as const;
    expect(decryptField(encrypt, decrypt)).toBe(plaintext);
    expect(decryptField(encrypt, { ...decrypt, key: 'other key' })).toBeUndefined();
    expect(decryptField('AAAA', decrypt)).toBeUndefined();
  });

  it('computes DingTalk’s sign as documented (vector computed with Python’s hmac)', () => {
    const config = exampleConfig('dingtalk').inbound.verify;
    if (config.kind !== 'hmac') throw new Error('dingtalk uses an hmac');
    const req = request({ headers: { timestamp: dingtalkVectors.timestamp, sign: dingtalkVectors.sign } });
    expect(expectedSignature(config, req, dingtalkVectors.appSecret)).toBe(dingtalkVectors.sign);
    const at = Number(dingtalkVectors.timestamp);
    expect(checkSignature({ ...config, secret: dingtalkVectors.appSecret }, req, at + 60_000)).toEqual({ ok: true });
    // DingTalk: a timestamp more than an hour from now is refused.
    expect(checkSignature({ ...config, secret: dingtalkVectors.appSecret }, req, at + 3_601_000)).toEqual({ ok: false, reason: 'stale timestamp' });
  });

  it('accepts the examples’ signed requests and refuses them altered', () => {
    const feishu = exampleConfig('feishu').inbound.verify;
    const signed = feishuRequest(fixture('feishu/im_message_receive_v1.json'));
    expect(checkSignature(feishu, signed, NOW)).toEqual({ ok: true });
    const body = Buffer.from(signed.body);
    body[20] = (body[20] ?? 0) ^ 1;
    expect(checkSignature(feishu, { ...signed, body }, NOW)).toEqual({ ok: false, reason: 'bad signature' });
    expect(checkSignature(feishu, feishuSignedBody('{}', { signed: false }), NOW)).toEqual({ ok: false, reason: 'missing signature' });

    const dingtalk = exampleConfig('dingtalk').inbound.verify;
    const req = dingtalkRequest(fixture('dingtalk/receive_message_text_group.json'));
    expect(checkSignature(dingtalk, req, NOW)).toEqual({ ok: true });
    expect(checkSignature(dingtalk, { ...req, headers: { ...req.headers, sign: dingtalkRequest('{}', { secret: 'other' }).headers.sign } }, NOW)).toEqual({
      ok: false,
      reason: 'bad signature',
    });
  });

  it('hmac over the body, with a prefix (GitHub/Meta style)', () => {
    const config = verifyOf({ kind: 'hmac', header: 'X-Hub-Signature-256', prefix: 'sha256=', secret: "It's a Secret to Everybody" });
    // GitHub's documented example: https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries#testing-the-webhook-payload-validation
    const req = request({
      body: Buffer.from('Hello, World!'),
      headers: { 'x-hub-signature-256': 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17' },
    });
    expect(checkSignature(config, req, NOW)).toEqual({ ok: true });
    expect(checkSignature(config, { ...req, body: Buffer.from('Hello, World?') }, NOW)).toEqual({ ok: false, reason: 'bad signature' });
  });

  it('a signing string that names a missing header is refused', () => {
    const config = verifyOf({ kind: 'hmac', header: 'x-sig', secret: 's', over: '{header.x-ts}.{body}' });
    expect(checkSignature(config, request({ headers: { 'x-sig': 'abc' } }), NOW)).toEqual({ ok: false, reason: 'a signed header or parameter is missing' });
    expect(signingBytes('{header.x-ts}.{query.a}.{body}', request({ headers: { 'x-ts': '1' }, query: { a: 'q' } }), 's')?.toString()).toBe('1.q.{"id":1}');
  });

  it('bearer token: constant-time compare of the Authorization header', () => {
    const config = verifyOf({ kind: 'bearer', token: 'tok-123' });
    expect(checkSignature(config, request({ headers: { authorization: 'Bearer tok-123' } }), NOW)).toEqual({ ok: true });
    expect(checkSignature(config, request({ headers: { authorization: 'Bearer tok-124' } }), NOW)).toEqual({ ok: false, reason: 'bad token' });
    expect(checkSignature(config, request(), NOW)).toEqual({ ok: false, reason: 'missing token' });
    expect(checkSignature(verifyOf({ kind: 'bearer' }), request({ headers: { authorization: 'Bearer ' } }), NOW)).toEqual({
      ok: false,
      reason: 'token not configured',
    });
  });

  it('shared secret in the URL', () => {
    const config = verifyOf({ kind: 'urlSecret', param: 'key', secret: 's3cret' });
    expect(checkSignature(config, request({ query: { key: 's3cret' } }), NOW)).toEqual({ ok: true });
    expect(checkSignature(config, request({ query: { key: 's3cre' } }), NOW)).toEqual({ ok: false, reason: 'bad secret' });
    expect(checkSignature(config, request(), NOW)).toEqual({ ok: false, reason: 'missing secret' });
  });

  it('none passes everything (the adapter warns)', () => {
    expect(checkSignature(verifyOf({ kind: 'none' }), request(), NOW)).toEqual({ ok: true });
  });
});
