import type { Normalized, RawRequest, VerifyResult } from '../../src/core/adapter.js';

/**
 * WhatsApp Web has no webhook: messages arrive over the browser session and reach the inbox
 * through `ctx.inbox.accept`. Every request to `/webhooks/<id>` is refused with 404, so nothing
 * posted there can pose as a shopper.
 */
export function verifyNoWebhook(_req: RawRequest): VerifyResult {
  return { ok: false, status: 404, reason: 'whatsapp-web channels have no webhook' };
}

/** Never reached (nothing verifies); answers 404 with no events should it ever be. */
export function normalizeNoWebhook(): Normalized {
  return { ack: { status: 404 }, events: [] };
}
