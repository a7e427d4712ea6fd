import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RawRequest } from '../../src/core/adapter.js';
import { AUTH_TOKEN, fixture, PUBLIC_URL, signedRequest } from '../../test/support/twilio.js';
import { expectedSignature, requestUrl, signedUrlCandidates, verifySignature } from './verify.js';

interface Vector {
  name: string;
  url: string;
  signature: string;
  params?: Record<string, string | string[]>;
}
const official = JSON.parse(readFileSync(new URL('./fixtures/signature_vectors.json', import.meta.url), 'utf8')) as {
  authToken: string;
  params: Record<string, string>;
  vectors: Vector[];
  negative: Vector[];
};

const asLists = (params: Record<string, string | string[]>) => Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));

/** A request for an official vector: its URL split into the configured public URL and the request target. */
function vectorRequest(v: Vector): { req: RawRequest; publicUrl: string } {
  const url = new URL(v.url);
  const body = new URLSearchParams();
  for (const [k, values] of Object.entries(asLists(v.params ?? official.params))) for (const value of values) body.append(k, value);
  const q = v.url.indexOf('?');
  return {
    publicUrl: v.url.slice(0, q),
    req: {
      method: 'POST',
      url: `${url.pathname}${v.url.slice(q)}`,
      headers: { 'x-twilio-signature': v.signature },
      query: {},
      body: Buffer.from(body.toString()),
    },
  };
}

describe('Twilio request signature (official twilio-node vectors)', () => {
  it('the documented example: RSOYDt4T1cUTdK1PDd93/VVr8B8=', () => {
    const [first] = official.vectors;
    expect(expectedSignature(official.authToken, first?.url ?? '', asLists(official.params))).toBe('RSOYDt4T1cUTdK1PDd93/VVr8B8=');
  });

  it.each(official.vectors.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    const { req, publicUrl } = vectorRequest(v);
    expect(verifySignature(req, official.authToken, publicUrl).ok).toBe(true);
  });

  it.each(official.negative.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    const { req, publicUrl } = vectorRequest(v);
    expect(verifySignature(req, official.authToken, publicUrl)).toEqual({ ok: false, status: 401, reason: 'bad signature' });
  });

  it('a signature made with another token, for another URL, or over another body fails', () => {
    const [first] = official.vectors;
    if (!first) throw new Error('no vector');
    const { req, publicUrl } = vectorRequest(first);
    expect(verifySignature(req, 'other-token', publicUrl).ok).toBe(false);
    expect(verifySignature(req, official.authToken, 'https://mycompany.com/other.php').ok).toBe(false);
    expect(verifySignature({ ...req, body: Buffer.from(`${req.body.toString()}&Extra=1`) }, official.authToken, publicUrl).ok).toBe(false);
  });
});

describe('verifySignature on webhook requests', () => {
  const body = fixture('inbound_sms.form');

  it('accepts a signed fixture and hands normalize the parsed form', () => {
    const result = verifySignature(signedRequest(body), AUTH_TOKEN, PUBLIC_URL);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.request.verified.params.Body).toEqual(['Ahoy! We can do that']);
  });

  it('refuses a missing or forged signature, a missing token or public URL, all with 401', () => {
    const req = signedRequest(body);
    expect(verifySignature({ ...req, headers: {} }, AUTH_TOKEN, PUBLIC_URL)).toMatchObject({ ok: false, status: 401, reason: 'missing signature' });
    expect(verifySignature({ ...req, headers: { 'x-twilio-signature': 'AAAA' } }, AUTH_TOKEN, PUBLIC_URL)).toMatchObject({
      status: 401,
      reason: 'bad signature',
    });
    expect(verifySignature(req, undefined, PUBLIC_URL)).toMatchObject({ status: 401, reason: 'auth token not configured' });
    expect(verifySignature(req, AUTH_TOKEN, undefined)).toMatchObject({ status: 401 });
  });

  it('signs the query the request arrived with: a status callback URL with ?x=1 verifies, a changed query does not', () => {
    const req = signedRequest(body, '/webhooks/sms?x=1');
    expect(verifySignature(req, AUTH_TOKEN, PUBLIC_URL).ok).toBe(true);
    expect(verifySignature({ ...req, url: '/webhooks/sms?x=2' }, AUTH_TOKEN, PUBLIC_URL).ok).toBe(false);
  });

  it('builds the signed URL from the configured one, whatever path the proxy forwarded', () => {
    expect(requestUrl('https://shop.example/hooks/sms', { url: '/webhooks/sms?a=1' } as RawRequest)).toBe('https://shop.example/hooks/sms?a=1');
    expect(signedUrlCandidates('https://shop.example/hooks/sms')).toEqual(['https://shop.example/hooks/sms', 'https://shop.example:443/hooks/sms']);
  });
});
