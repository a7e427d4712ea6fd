import type { FetchedMedia, FetchMediaOptions } from '../../src/core/adapter.js';
import { DeliveryError } from '../../src/core/errors.js';
import { callApi } from '../../src/core/http.js';
import { fetchMediaBytes } from '../../src/core/media.js';
import { bearer, type GraphApi, type GraphRules, graphUrl, postGraph, withGraphCode } from '../meta/graph.js';
import type { WhatsAppPayload } from './wire.js';

export type { GraphApi } from '../meta/graph.js';

/** Said on a refused or missing token. */
export const AUTH_HINT = 'Check WHATSAPP_ACCESS_TOKEN.';
/** WhatsApp's largest media (documents) is 100 MB. */
const MEDIA_MAX_BYTES = 100 * 1024 * 1024;

/**
 * Graph error codes that change what the outbox should do.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes
 */
const graphRules: GraphRules = {
  131047: {
    reason: 'invalid',
    advice: 'The 24-hour customer-service window is closed: send an approved template (see `templates`) or wait for the shopper to write.',
  },
  130429: { reason: 'rate_limited', advice: 'Throughput limit reached. Retrying.', waitMs: 1_000 },
  131056: { reason: 'rate_limited', advice: 'Too many messages to this shopper in a short time (pair rate limit). Retrying.', waitMs: 6_000 },
  131048: { reason: 'rate_limited', advice: 'Spam rate limit reached. Retrying later.', waitMs: 60_000 },
  80007: { reason: 'rate_limited', advice: 'WhatsApp Business Account rate limit reached. Retrying later.', waitMs: 60_000 },
  4: { reason: 'rate_limited', advice: 'App call limit reached. Retrying later.', waitMs: 60_000 },
  1: { reason: 'transient', advice: 'Temporary Graph API error. Retrying.' },
  2: { reason: 'transient', advice: 'Temporary Graph API error. Retrying.' },
  131000: { reason: 'transient', advice: 'Temporary WhatsApp error. Retrying.' },
  131016: { reason: 'transient', advice: 'WhatsApp is unavailable. Retrying.' },
  190: { reason: 'auth', advice: `The access token is invalid or expired. ${AUTH_HINT}` },
  131030: { reason: 'blocked', advice: 'The recipient is not in the allowed list of this test number: add it in WhatsApp Manager.' },
  131026: { reason: 'blocked', advice: 'The message is undeliverable to this number (not on WhatsApp, or an old app).' },
};

async function postMessages<T>(api: GraphApi, phoneNumberId: string, body: unknown, label: string): Promise<T> {
  return postGraph<T>(api, `${encodeURIComponent(phoneNumberId)}/messages`, body, label, graphRules);
}

/**
 * Sends one message body from the business number `phoneNumberId`; resolves to its `wamid`.
 * Throws a {@link DeliveryError}: `rate_limited` for rate limits (130429, 131056) and 429,
 * `transient` for 5xx, `invalid` for a closed window (131047) and other 4xx.
 *
 * @example
 * ```ts
 * const wamid = await sendMessage(api, '106540352242922', { ...payload, to: '16505551234' });
 * ```
 */
export async function sendMessage(api: GraphApi, phoneNumberId: string, payload: WhatsAppPayload): Promise<string> {
  const body = await postMessages<{ messages?: { id?: string }[] } | undefined>(api, phoneNumberId, payload, 'WhatsApp send');
  const id = body?.messages?.[0]?.id;
  // Why not retryable: a 200 means WhatsApp accepted the message; sending again would duplicate it.
  if (!id) throw new DeliveryError('invalid', 'WhatsApp send answered 200 without a message id; not retried to avoid a duplicate.');
  return id;
}

/**
 * Marks a shopper's message (and every earlier one) as read: the blue ticks.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/guides/mark-message-as-read
 *
 * @example
 * ```ts
 * await markAsRead(api, ref.extra.phoneNumberId, event.messageId);
 * ```
 */
export async function markAsRead(api: GraphApi, phoneNumberId: string, messageId: string): Promise<void> {
  await postMessages(api, phoneNumberId, { messaging_product: 'whatsapp', status: 'read', message_id: messageId }, 'WhatsApp mark as read');
}

/**
 * Downloads media a shopper sent: looks up the media id for a short-lived URL, then fetches it
 * with the same token (the URL alone is refused).
 * https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#download-media
 *
 * @example
 * ```ts
 * const { mimeType, data } = await downloadMedia(api, '1234567890'); // or 'platform:1234567890'
 * ```
 */
export async function downloadMedia(api: GraphApi, mediaId: string, options: FetchMediaOptions = {}): Promise<FetchedMedia> {
  const id = mediaId.startsWith('platform:') ? mediaId.slice('platform:'.length) : mediaId;
  const authorization = bearer(api);
  const label = 'WhatsApp media lookup';
  let meta: { url?: unknown; mime_type?: unknown } | undefined;
  try {
    const url = graphUrl(api, encodeURIComponent(id));
    meta = (await callApi<typeof meta>(api.fetch, url, { headers: { authorization } }, { label, authHint: AUTH_HINT })).body;
  } catch (err) {
    throw withGraphCode(err, label, graphRules);
  }
  if (typeof meta?.url !== 'string' || !/^https?:\/\//i.test(meta.url)) {
    throw new DeliveryError('invalid', `${label} answered without a download URL for media ${id}.`);
  }
  const maxBytes = Math.min(options.maxBytes ?? MEDIA_MAX_BYTES, MEDIA_MAX_BYTES);
  const media = await fetchMediaBytes(api.fetch, meta.url, {
    label: 'WhatsApp media download',
    authHint: AUTH_HINT,
    headers: { authorization },
    ...options,
    maxBytes,
  });
  return { ...media, mimeType: typeof meta.mime_type === 'string' ? meta.mime_type : media.mimeType };
}
