import { describe, expect, it } from 'vitest';
import type { RawRequest } from '../../src/core/adapter.js';
import { fixture, signedRequest } from '../../test/support/line.js';
import { verifySignature } from './verify.js';

interface Vector {
  channel_secret: string;
  raw_body: string;
  x_line_signature: string;
  negative: string;
}

const { vectors } = JSON.parse(fixture('signature_vectors.json').toString()) as { vectors: Vector[] };

const request = (body: string, signature?: string): RawRequest => ({
  method: 'POST',
  url: '/webhooks/line-test',
  headers: signature === undefined ? {} : { 'x-line-signature': signature },
  query: {},
  body: Buffer.from(body),
});

describe('LINE X-Line-Signature', () => {
  it('accepts the official SDK vectors', () => {
    expect(vectors.length).toBeGreaterThan(0);
    for (const v of vectors) {
      const result = verifySignature(request(v.raw_body, v.x_line_signature), v.channel_secret);
      expect(result.ok).toBe(true);
      if (result.ok) expect(result.request.body.toString()).toBe(v.raw_body);
    }
  });

  it('rejects the official negative vectors (one letter case flipped) with 401', () => {
    for (const v of vectors) expect(verifySignature(request(v.raw_body, v.negative), v.channel_secret)).toMatchObject({ ok: false, status: 401 });
  });

  it('rejects a tampered byte, a wrong secret, a missing header and a missing secret', () => {
    const good = signedRequest(fixture('event_message_text.json'));
    expect(verifySignature(good, 'line-test-channel-secret').ok).toBe(true);

    const body = Buffer.from(good.body);
    body[40] = (body[40] ?? 0) ^ 0x01;
    expect(verifySignature({ ...good, body }, 'line-test-channel-secret')).toMatchObject({ ok: false, status: 401 });
    expect(verifySignature(good, 'another-secret')).toMatchObject({ ok: false, status: 401 });
    expect(verifySignature({ ...good, headers: {} }, 'line-test-channel-secret')).toMatchObject({ ok: false, status: 401 });
    expect(verifySignature(good, undefined)).toMatchObject({ ok: false, status: 401 });
  });

  it('verifies over the raw bytes, not re-serialised JSON', () => {
    const spaced = '{ "destination": "U1",   "events": [] }';
    const req = signedRequest(spaced);
    expect(verifySignature(req, 'line-test-channel-secret').ok).toBe(true);
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(spaced)));
    expect(verifySignature({ ...req, body: reserialised }, 'line-test-channel-secret').ok).toBe(false);
  });
});
