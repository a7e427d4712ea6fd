import { markVerified, type RawRequest, type VerifyResult } from '../../src/core/adapter.js';
import { hmac, safeEqual } from '../../src/core/http.js';

/**
 * Checks `X-Line-Signature: base64(HMAC-SHA256(raw body, channel secret))` in constant time.
 * LINE signs the exact bytes it sent, so only the raw body will do; LINE signs no timestamp,
 * so replays are caught by dedupe on `webhookEventId`, not here.
 * https://developers.line.biz/en/docs/messaging-api/verify-webhook-signature/
 */
export function verifySignature(req: RawRequest, channelSecret: string | undefined): VerifyResult<Record<string, never>> {
  if (!channelSecret) return { ok: false, status: 401, reason: 'channel secret not configured' };
  const header = req.headers['x-line-signature'];
  if (!header) return { ok: false, status: 401, reason: 'missing signature' };
  const expected = hmac('sha256', channelSecret, req.body, 'base64');
  if (!safeEqual(header.trim(), expected)) return { ok: false, status: 401, reason: 'bad signature' };
  return { ok: true, request: markVerified(req, {}) };
}
