import { markVerified, type RawRequest, type VerifyResult } from '../../src/core/adapter.js';
import { hmac, safeEqual } from '../../src/core/http.js';

/** The header Telegram sets to the webhook's `secret_token` on every update. */
export const secretHeader = 'x-telegram-bot-api-secret-token';

/**
 * The secret given to setWebhook: the configured one, else one derived from the bot token and
 * the channel id, so every gateway instance computes the same value without extra config.
 */
export function webhookSecret(config: { token?: string; secretToken?: string }, channelId: string): string | undefined {
  if (config.secretToken) return config.secretToken;
  if (!config.token) return undefined;
  // base64url (unpadded) only uses A-Z a-z 0-9 _ -, the alphabet secret_token allows.
  return hmac('sha256', config.token, `parley:telegram:webhook:${channelId}`, 'base64url');
}

/**
 * Telegram does not sign update bodies; the only proof of origin is the secret header, compared
 * in constant time. https://core.telegram.org/bots/api#setwebhook
 */
export function verifyTelegram(req: RawRequest, secret: string | undefined): VerifyResult {
  if (!secret) return { ok: false, status: 401, reason: 'no webhook secret configured' };
  if (req.method.toUpperCase() !== 'POST') return { ok: false, status: 401, reason: 'not a POST' };
  if (!safeEqual(req.headers[secretHeader], secret)) return { ok: false, status: 401, reason: 'bad secret token' };
  return { ok: true, request: markVerified(req, {}) };
}
