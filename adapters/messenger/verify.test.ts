import { describe, expect, it } from 'vitest';
import type { RawRequest } from '../../src/core/adapter.js';
import { fixtureBytes, fixtureJson, signedRequest, VERIFY_TOKEN } from '../../test/support/meta.js';
import { answerHandshake, verifySignature } from './verify.js';

const github = fixtureJson<{ secret: string; raw_body: string; expected: string }>('x_hub_signature_256_vector.json');
const openssl = fixtureJson<{ secret: string; vectors: { file: string; expected: string }[] }>('openssl_fixture_vectors.json');

function request(body: Buffer | string, signature: string | undefined): RawRequest {
  return { method: 'POST', url: '/webhooks/fb', headers: { 'x-hub-signature-256': signature }, query: {}, body: Buffer.from(body) };
}

describe('X-Hub-Signature-256 on Messenger and Instagram webhooks', () => {
  it('accepts the published HMAC-SHA256 vector and the OpenSSL-computed vectors over fixture bytes', () => {
    expect(verifySignature(request(github.raw_body, github.expected), github.secret).ok).toBe(true);
    expect(openssl.vectors.length).toBeGreaterThan(0);
    for (const v of openssl.vectors) expect(verifySignature(request(fixtureBytes(v.file), v.expected), openssl.secret).ok, v.file).toBe(true);
  });

  it('rejects a flipped byte, another secret, a missing header and a missing app secret with 401', () => {
    const body = fixtureBytes('instagram_story_mention.json');
    const good = signedRequest(body);
    const flipped = Buffer.from(body);
    flipped[10] = (flipped[10] ?? 0) ^ 1;
    const cases: [RawRequest, string | undefined][] = [
      [{ ...good, body: flipped }, openssl.secret],
      [good, 'another secret'],
      [request(body, undefined), openssl.secret],
      [good, undefined],
    ];
    for (const [req, secret] of cases) expect(verifySignature(req, secret)).toMatchObject({ ok: false, status: 401 });
  });

  it('answers the hub.challenge handshake only with the verify token', () => {
    const get = (query: Record<string, string>): RawRequest => ({ method: 'GET', url: '/webhooks/fb', headers: {}, query, body: Buffer.alloc(0) });
    const ok = answerHandshake(get({ 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1158201444' }), VERIFY_TOKEN);
    expect(ok).toMatchObject({ status: 200, body: '1158201444' });
    expect(answerHandshake(get({ 'hub.mode': 'subscribe', 'hub.verify_token': 'nope', 'hub.challenge': '1' }), VERIFY_TOKEN).status).toBe(403);
    expect(answerHandshake(get({ 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1' }), undefined).status).toBe(403);
  });
});
