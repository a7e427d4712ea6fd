import { markVerified, type RawRequest, type VerifyResult } from '../../src/core/adapter.js';
import { hmac, safeEqual } from '../../src/core/http.js';
import type { Clock } from '../../src/core/ports.js';

/** Slack's SDKs refuse requests signed more than five minutes away from now. */
export const replayWindowSeconds = 5 * 60;

/** What verification established: how often Slack has retried this delivery (0 = first). */
export interface SlackVerified {
  retryNum: number;
}

/**
 * Checks `X-Slack-Signature: v0=hex(HMAC-SHA256(signing secret, "v0:" + timestamp + ":" + raw body))`
 * in constant time, and that `X-Slack-Request-Timestamp` is within five minutes of `clock`
 * (either way, so a replayed or forged-future request fails). Events (JSON) and interactivity
 * (form-encoded) are signed the same way.
 * https://docs.slack.dev/authentication/verifying-requests-from-slack
 */
export function verifySlackRequest(req: RawRequest, signingSecret: string | undefined, clock: Clock): VerifyResult<SlackVerified> {
  if (!signingSecret) return { ok: false, status: 401, reason: 'signing secret not configured' };
  const signature = req.headers['x-slack-signature'];
  const timestamp = req.headers['x-slack-request-timestamp'];
  if (!signature || !timestamp || !/^\d{1,12}$/.test(timestamp)) return { ok: false, status: 401, reason: 'missing signature' };
  if (Math.abs(clock.now() / 1000 - Number(timestamp)) > replayWindowSeconds) {
    return { ok: false, status: 401, reason: 'stale timestamp' };
  }
  const base = Buffer.concat([Buffer.from(`v0:${timestamp}:`), req.body]);
  if (!safeEqual(signature.trim(), `v0=${hmac('sha256', signingSecret, base, 'hex')}`)) {
    return { ok: false, status: 401, reason: 'bad signature' };
  }
  const retryNum = Number(req.headers['x-slack-retry-num'] ?? 0);
  return { ok: true, request: markVerified(req, { retryNum: Number.isInteger(retryNum) ? retryNum : 0 }) };
}
