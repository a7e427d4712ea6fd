import { describe, expect, it } from 'vitest';
import { fakeContext, fixture, HOOK_PASS, HOOK_USER, MAILGUN_KEY, mailgunFields, mailgunRequest, postmarkRequest } from '../../test/support/email.js';
import { basicAuthorization, MAILGUN_MAX_SKEW_MS, mailgunSignature, verifyBasicAuth, verifyMailgun } from './verify.js';

const auth = { user: HOOK_USER, pass: HOOK_PASS };

describe('Postmark inbound webhook: Basic auth', () => {
  it("builds the header as RFC 7617 §2 shows it (its example's credentials)", () => {
    expect(basicAuthorization('Aladdin', 'open sesame')).toBe('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
  });

  it('accepts the configured credentials', () => {
    expect(verifyBasicAuth(postmarkRequest(fixture('postmark-inbound.json')), auth).ok).toBe(true);
  });

  it.each([
    ['wrong password', basicAuthorization(HOOK_USER, 'nope'), 'bad credentials'],
    ['wrong user', basicAuthorization('other', HOOK_PASS), 'bad credentials'],
    ['a bearer token', `Bearer ${HOOK_PASS}`, 'bad credentials'],
    ['no header', '', 'missing credentials'],
  ])('refuses %s with 401', (_, header, reason) => {
    expect(verifyBasicAuth(postmarkRequest('{}', header), auth)).toEqual({ ok: false, status: 401, reason });
  });

  it('refuses everything while the webhook or its password is not configured', () => {
    const req = postmarkRequest('{}');
    expect(verifyBasicAuth(req, undefined)).toMatchObject({ ok: false, status: 401 });
    expect(verifyBasicAuth(req, { user: HOOK_USER })).toMatchObject({ ok: false, status: 401 });
  });
});

describe('Mailgun route POST: signature, timestamp, token', () => {
  // Computed outside this code: python3 -c "import hmac,hashlib; print(hmac.new(b'mailgun-test-signing-key',
  // b'1412239366' + b'4166ec05b27b5d3c024252ad43df47865128c8fcde47dfea6b', hashlib.sha256).hexdigest())"
  // (timestamp and token of Mailgun's sample POST; Mailgun publishes no key for its example signatures).
  it('signs timestamp + token with HMAC-SHA256 as hex, as Mailgun documents', () => {
    expect(mailgunSignature(MAILGUN_KEY, '1412239366', '4166ec05b27b5d3c024252ad43df47865128c8fcde47dfea6b')).toBe(
      'b8d7f6b03dd2533afd0aca4b109c06c8544b659368b38f2b9493c5d87e5c2746',
    );
  });

  const setup = () => {
    const { ctx, clock, state } = fakeContext();
    return { clock, state, check: { signingKey: MAILGUN_KEY, channelId: 'support', clock, state: ctx.state } };
  };

  it('accepts the sample POST signed now, urlencoded or multipart with its attachments, and hands over the fields', async () => {
    const { clock, check } = setup();
    const plain = await verifyMailgun(await mailgunRequest(mailgunFields(), { now: clock.now() }), check);
    expect(plain.ok && plain.request.verified.fields.subject).toBe('Re: Sample POST request');
    const files = [{ field: 'attachment-1', name: 'rechnung.pdf', type: 'application/pdf', content: Buffer.from('%PDF-1.4 x') }];
    const multipart = await verifyMailgun(await mailgunRequest(mailgunFields(), { now: clock.now(), files }), check);
    expect(multipart.ok && multipart.request.verified.files).toEqual([
      { field: 'attachment-1', name: 'rechnung.pdf', mimeType: 'application/pdf', size: 10, data: Buffer.from('%PDF-1.4 x') },
    ]);
  });

  it.each<[string, { key?: string; now?: number }, string]>([
    ['a wrong key', { key: 'other-key' }, 'bad signature'],
    ['a timestamp 6 minutes old', { now: -6 * 60_000 }, 'stale timestamp'],
    ['a timestamp 6 minutes ahead', { now: 6 * 60_000 }, 'stale timestamp'],
  ])('refuses %s with 401', async (_, change, reason) => {
    const { clock, check } = setup();
    const req = await mailgunRequest(mailgunFields(), { key: change.key ?? MAILGUN_KEY, now: clock.now() + (change.now ?? 0) });
    expect(await verifyMailgun(req, check)).toEqual({ ok: false, status: 401, reason });
  });

  it('refuses a changed field of the signature, a missing signature, a JSON body and an unconfigured key', async () => {
    const { clock, check } = setup();
    const req = await mailgunRequest(mailgunFields(), { now: clock.now() });
    const forged = { ...req, body: Buffer.from(req.body.toString().replace(/token=[0-9a-f]/, 'token=Z')) };
    expect(await verifyMailgun(forged, check)).toMatchObject({ ok: false, status: 401, reason: 'bad signature' });
    const unsigned = { ...req, body: Buffer.from(new URLSearchParams({ subject: 'hi', from: 'a@b.example' }).toString()) };
    expect(await verifyMailgun(unsigned, check)).toMatchObject({ status: 401, reason: 'missing signature' });
    const json = { ...req, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(mailgunFields())) };
    expect(await verifyMailgun(json, check)).toMatchObject({ status: 401, reason: 'missing signature' });
    expect(await verifyMailgun(req, { ...check, signingKey: undefined })).toMatchObject({ status: 401, reason: 'inbound.signingKey not configured' });
  });

  it('takes each token once, on every instance sharing the state, until its timestamp is stale anyway', async () => {
    const { clock, state, check } = setup();
    const req = await mailgunRequest(mailgunFields(), { now: clock.now() });
    expect((await verifyMailgun(req, check)).ok).toBe(true);
    const otherInstance = { ...check, state };
    expect(await verifyMailgun(req, otherInstance)).toMatchObject({ ok: false, status: 401, reason: 'replayed token' });
    clock.t += MAILGUN_MAX_SKEW_MS + 1;
    expect(await verifyMailgun(req, check)).toMatchObject({ reason: 'stale timestamp' });
    // Remembered no longer than needed.
    expect([...state.values.values()].every((v) => (v.expiresAt ?? Infinity) <= clock.now() + 1_000)).toBe(true);
  });
});
