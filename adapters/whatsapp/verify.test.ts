import { describe, expect, it } from 'vitest';
import type { RawRequest } from '../../src/core/adapter.js';
import { fixtureBytes, signedRequest } from '../../test/support/whatsapp.js';
import { answerHandshake, verifySignature } from './verify.js';

const vector = JSON.parse(fixtureBytes('x_hub_signature_256_scheme_vector.json').toString()) as {
  secret: string;
  raw_body: string;
  expected: string;
};

function request(body: string, signature: string | undefined): RawRequest {
  return { method: 'POST', url: '/webhooks/wa', headers: { 'x-hub-signature-256': signature }, query: {}, body: Buffer.from(body) };
}

describe('verifySignature (X-Hub-Signature-256)', () => {
  it('accepts the published HMAC-SHA256 vector', () => {
    const result = verifySignature(request(vector.raw_body, vector.expected), vector.secret);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.request.body.toString()).toBe('Hello, World!');
  });

  it('accepts uppercase hex from a proxy that rewrote it', () => {
    expect(verifySignature(request(vector.raw_body, vector.expected.toUpperCase().replace('SHA256=', 'sha256=')), vector.secret).ok).toBe(true);
  });

  it('rejects a tampered byte, a wrong secret, a missing or malformed header with 401', () => {
    const cases: [RawRequest, string | undefined][] = [
      [request('Hello, World?', vector.expected), vector.secret],
      [request(vector.raw_body, vector.expected), 'another secret'],
      [request(vector.raw_body, undefined), vector.secret],
      [request(vector.raw_body, vector.expected.replace('sha256=', '')), vector.secret],
      [request(vector.raw_body, `sha1=${vector.expected.slice(7)}`), vector.secret],
      [request(vector.raw_body, vector.expected), undefined],
    ];
    for (const [req, secret] of cases) expect(verifySignature(req, secret)).toMatchObject({ ok: false, status: 401 });
  });

  it('signs raw bytes: re-serialised JSON with escaped non-ASCII does not verify against the original', () => {
    const raw = Buffer.from('{"text":"\\u00e9t\\u00e9"}');
    const req = signedRequest(raw);
    expect(verifySignature(req, 'test-app-secret').ok).toBe(true);
    const reserialised = { ...req, body: Buffer.from(JSON.stringify(JSON.parse(raw.toString()))) };
    expect(verifySignature(reserialised, 'test-app-secret').ok).toBe(false);
  });
});

describe('answerHandshake (hub.challenge)', () => {
  // The sample from Meta's "Getting started" page (fixtures/verification_handshake.txt).
  const url = '/webhooks?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=meatyhamhock';
  const get = (query: Record<string, string>): RawRequest => ({ method: 'GET', url, headers: {}, query, body: Buffer.alloc(0) });
  const sample = Object.fromEntries(new URL(url, 'https://x.example').searchParams);

  it('echoes the challenge as plain text when the verify token matches', () => {
    expect(fixtureBytes('verification_handshake.txt').toString()).toContain('hub.verify_token=meatyhamhock');
    const ack = answerHandshake(get(sample), 'meatyhamhock');
    expect(ack.status).toBe(200);
    expect(ack.body).toBe('1158201444');
    expect(ack.headers?.['content-type']).toMatch(/^text\/plain/);
  });

  it('answers 403 for a wrong token, another mode, no challenge or no configured token', () => {
    expect(answerHandshake(get(sample), 'meatyhamhocks').status).toBe(403);
    expect(answerHandshake(get({ ...sample, 'hub.mode': 'unsubscribe' }), 'meatyhamhock').status).toBe(403);
    const { 'hub.challenge': _c, ...noChallenge } = sample;
    expect(answerHandshake(get(noChallenge), 'meatyhamhock').status).toBe(403);
    expect(answerHandshake(get(sample), undefined).status).toBe(403);
    expect(answerHandshake(get({}), 'meatyhamhock').status).toBe(403);
  });
});
