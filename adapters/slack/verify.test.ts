import { describe, expect, it } from 'vitest';
import type { RawRequest } from '../../src/core/adapter.js';
import { replayWindowSeconds, verifySlackRequest } from './verify.js';
import { fixtureJson, signedRequest, signingSecret, startMs } from '../../test/support/slack.js';

interface OfficialVector {
  signing_secret: string;
  headers: Record<string, string>;
  raw_body: string;
  sdk_test_clock_now: number;
  negative_cases: { raw_body?: string }[];
}

const vector = fixtureJson<OfficialVector>('signature_official_example.json');
const at = (sec: number) => ({ now: () => sec * 1000 });

function officialRequest(body = vector.raw_body, headers: Record<string, string> = {}): RawRequest {
  return {
    method: 'POST',
    url: '/webhooks/slack',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': vector.headers['X-Slack-Request-Timestamp'],
      'x-slack-signature': vector.headers['X-Slack-Signature'],
      ...headers,
    },
    query: {},
    body: Buffer.from(body),
  };
}

describe('Slack v0 signature: official vector (docs.slack.dev worked example)', () => {
  it('verifies at the vector clock', () => {
    const result = verifySlackRequest(officialRequest(), vector.signing_secret, at(vector.sdk_test_clock_now));
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.request.verified).toEqual({ retryNum: 0 });
  });

  it('rejects the official tampered body with 401', () => {
    const tampered = vector.negative_cases[0]?.raw_body ?? '';
    expect(verifySlackRequest(officialRequest(tampered), vector.signing_secret, at(vector.sdk_test_clock_now))).toMatchObject({ ok: false, status: 401 });
  });

  it('rejects a stale request (more than five minutes old) and accepts one at the edge', () => {
    const ts = vector.sdk_test_clock_now;
    expect(verifySlackRequest(officialRequest(), vector.signing_secret, at(ts + replayWindowSeconds)).ok).toBe(true);
    expect(verifySlackRequest(officialRequest(), vector.signing_secret, at(ts + replayWindowSeconds + 1))).toMatchObject({
      ok: false,
      status: 401,
      reason: 'stale timestamp',
    });
  });

  it('rejects a timestamp from the future beyond the window (the wall clock of the vector is far away)', () => {
    expect(verifySlackRequest(officialRequest(), vector.signing_secret, at(vector.sdk_test_clock_now - 301)).ok).toBe(false);
    expect(verifySlackRequest(officialRequest(), vector.signing_secret, { now: () => Date.now() }).ok).toBe(false);
  });

  it('rejects a wrong secret, a changed timestamp, a missing or mangled header', () => {
    const clock = at(vector.sdk_test_clock_now);
    expect(verifySlackRequest(officialRequest(), 'another-secret', clock).ok).toBe(false);
    expect(
      verifySlackRequest(officialRequest(undefined, { 'x-slack-request-timestamp': String(vector.sdk_test_clock_now + 1) }), vector.signing_secret, clock).ok,
    ).toBe(false);
    expect(verifySlackRequest(officialRequest(undefined, { 'x-slack-signature': '' }), vector.signing_secret, clock).ok).toBe(false);
    expect(verifySlackRequest(officialRequest(undefined, { 'x-slack-request-timestamp': '1531420618.5' }), vector.signing_secret, clock).ok).toBe(false);
    const v1 = vector.headers['X-Slack-Signature']?.replace('v0=', 'v1=') ?? '';
    expect(verifySlackRequest(officialRequest(undefined, { 'x-slack-signature': v1 }), vector.signing_secret, clock).ok).toBe(false);
  });

  it('without a signing secret every request is refused with 401', () => {
    expect(verifySlackRequest(officialRequest(), undefined, at(vector.sdk_test_clock_now))).toMatchObject({ ok: false, status: 401 });
  });
});

describe('Slack signature over JSON event bodies', () => {
  const clock = { now: () => startMs };

  it('verifies a signed event body and records the retry number', () => {
    const req = signedRequest('{"type":"event_callback"}', { headers: { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_timeout' } });
    const result = verifySlackRequest(req, signingSecret, clock);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.request.verified.retryNum).toBe(2);
  });

  it('a single flipped byte fails', () => {
    const req = signedRequest('{"type":"event_callback","event_id":"Ev1"}');
    const body = Buffer.from(req.body);
    body[10] = (body[10] ?? 0) ^ 1;
    expect(verifySlackRequest({ ...req, body }, signingSecret, clock)).toMatchObject({ ok: false, status: 401 });
  });
});
