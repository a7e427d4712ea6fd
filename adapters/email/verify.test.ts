import { describe, expect, it } from 'vitest';
import { fixture, HOOK_PASS, HOOK_USER, postmarkRequest } from '../../test/support/email.js';
import { basicAuthorization, verifyBasicAuth } from './verify.js';

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
