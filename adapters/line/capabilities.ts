import type { Capabilities } from '../../src/core/capabilities.js';

/**
 * How long Parley uses a reply token after the event it came with. LINE says tokens are
 * single-use and expire "about one minute" after the webhook; 50 s leaves room for the request.
 * https://developers.line.biz/en/reference/messaging-api/#send-reply-message
 */
export const replyTokenWindowMs = 50_000;

/** At most this many message objects go in one reply or push request. */
export const maxMessagesPerRequest = 5;

/**
 * What a LINE Official Account can show.
 * Limits: https://developers.line.biz/en/reference/messaging-api/#message-objects (text 5000,
 * quick reply 13 items with 20-character labels). LINE has no markup. Video is listed only
 * when a preview image is configured: LINE requires one and media parts carry none.
 * LINE waits 2 s for the webhook answer (docs: check-webhook-error-statistics, request_timeout).
 */
export function lineCapabilities(options: { video: boolean }): Capabilities {
  return Object.freeze({
    maxTextLength: 5000,
    markup: 'plain',
    buttons: { max: 13, maxLabelLength: 20 },
    list: false,
    cards: true,
    media: options.video ? ['image', 'video', 'audio', 'location', 'sticker'] : ['image', 'audio', 'location', 'sticker'],
    typing: true,
    edit: false,
    pushByUserId: true,
    // Why: reply and push allow 2,000 requests/s per channel; half leaves room for other calls.
    rateLimit: { perBotPerSecond: 1000 },
  } satisfies Capabilities);
}
