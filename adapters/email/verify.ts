import { markVerified, type RawRequest, type VerifyResult } from '../../src/core/adapter.js';
import { safeEqual } from '../../src/core/http.js';

/** What the inbound webhook needs checked: HTTP Basic credentials in the webhook URL. */
export interface BasicAuth {
  user: string;
  pass?: string;
}

/**
 * The `Authorization` header a client sends for these credentials (RFC 7617 §2):
 * `Basic ` + base64(user ":" pass).
 *
 * @example
 * ```ts
 * basicAuthorization('Aladdin', 'open sesame'); // 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==' (RFC 7617's example)
 * ```
 */
export function basicAuthorization(user: string, pass: string): string {
  return `Basic ${Buffer.from(`${user}:${pass}`, 'utf8').toString('base64')}`;
}

/**
 * Checks Postmark's inbound webhook before the body is read. Postmark signs nothing: it
 * authenticates with the Basic credentials written into the webhook URL
 * (`https://user:pass@gateway.example/webhooks/<id>`), sent as `Authorization: Basic …`.
 * https://postmarkapp.com/developer/webhooks/webhooks-overview#protecting-your-webhook
 * The header is compared whole, in constant time; every failure is a 401 with the reason
 * for the log only.
 */
export function verifyBasicAuth(req: RawRequest, auth: BasicAuth | undefined): VerifyResult<Record<string, never>> {
  if (!auth) return { ok: false, status: 401, reason: 'inbound webhook not configured' };
  if (!auth.pass) return { ok: false, status: 401, reason: 'inbound.basicAuth.pass not configured' };
  const header = req.headers.authorization?.trim();
  if (!header) return { ok: false, status: 401, reason: 'missing credentials' };
  if (!safeEqual(header, basicAuthorization(auth.user, auth.pass))) return { ok: false, status: 401, reason: 'bad credentials' };
  return { ok: true, request: markVerified(req, {}) };
}
