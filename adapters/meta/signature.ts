import { type HttpAck, markVerified, type RawRequest, type VerifyResult } from '../../src/core/adapter.js';
import { hmac, safeEqual } from '../../src/core/http.js';

/**
 * Checks `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(raw body, app secret)>` in constant time.
 * Every Meta webhook (WhatsApp Cloud API, Messenger, Instagram) is signed this way with the
 * app's secret. Meta signs the bytes it sent (non-ASCII escaped as `\uXXXX`), so only the raw
 * body will do.
 * https://developers.facebook.com/docs/graph-api/webhooks/getting-started#event-notifications
 *
 * @example
 * ```ts
 * const v = verifySignature(raw, config.appSecret);
 * if (!v.ok) return reply(v.status); // 401, no detail
 * ```
 */
export function verifySignature(req: RawRequest, appSecret: string | undefined): VerifyResult<Record<string, never>> {
  if (!appSecret) return { ok: false, status: 401, reason: 'app secret not configured' };
  const header = req.headers['x-hub-signature-256'];
  if (!header) return { ok: false, status: 401, reason: 'missing signature' };
  const expected = `sha256=${hmac('sha256', appSecret, req.body, 'hex')}`;
  // Hex is case-insensitive; Meta sends lowercase, but a proxy might not.
  if (!safeEqual(header.trim().toLowerCase(), expected)) return { ok: false, status: 401, reason: 'bad signature' };
  return { ok: true, request: markVerified(req, {}) };
}

/**
 * Answers Meta's subscription check: `GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`
 * → 200 with the challenge as plain text when the token matches, else 403.
 * https://developers.facebook.com/docs/graph-api/webhooks/getting-started#verification-requests
 *
 * @example
 * ```ts
 * answerHandshake(raw, config.verifyToken); // { status: 200, body: '1158201444', ... } or { status: 403 }
 * ```
 */
export function answerHandshake(req: RawRequest, verifyToken: string | undefined): HttpAck {
  const mode = req.query['hub.mode'];
  const token = req.query['hub.verify_token'];
  const challenge = req.query['hub.challenge'];
  if (!verifyToken || mode !== 'subscribe' || challenge === undefined || !safeEqual(token, verifyToken)) {
    return { status: 403 };
  }
  return { status: 200, body: challenge, headers: { 'content-type': 'text/plain; charset=utf-8' } };
}
