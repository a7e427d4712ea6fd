import type { Capabilities } from '../../src/core/capabilities.js';

/**
 * The standard messaging window: free-form messages within 24 h of the shopper's last message.
 * https://developers.facebook.com/docs/messenger-platform/policy/policy-overview#24hours_window
 */
const messagingWindowMs = 24 * 60 * 60 * 1000;

/** Quick replies: at most 13, titles of at most 20 characters. */
const quickReplies = { max: 13, maxLabelLength: 20 } as const;

/**
 * What a Facebook Page can show in Messenger. Text up to 2,000 characters
 * (https://developers.facebook.com/docs/messenger-platform/reference/send-api#message), quick
 * replies (13 × 20), generic templates (cards; a carousel of up to 10), media by URL. No list
 * picker: more than 13 choices become numbered text.
 */
export const messengerCapabilities: Capabilities = Object.freeze({
  maxTextLength: 2000,
  markup: 'plain',
  buttons: quickReplies,
  list: false,
  cards: true,
  media: ['image', 'video', 'audio', 'file'],
  typing: false,
  edit: false,
  messagingWindowMs,
  // Why: one message a second per shopper keeps a split reply in order on the handset.
  rateLimit: { perChatPerSecond: 1 },
} satisfies Capabilities);

/**
 * What an Instagram professional account can show: text under 1,000 bytes (render splits by
 * bytes beyond the 1,000 characters counted here), quick replies, generic templates, images,
 * video and audio by URL; no files.
 * https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/messaging-api
 */
export const instagramCapabilities: Capabilities = Object.freeze({
  maxTextLength: 1000,
  markup: 'plain',
  buttons: quickReplies,
  list: false,
  cards: true,
  media: ['image', 'video', 'audio'],
  typing: false,
  edit: false,
  messagingWindowMs,
  rateLimit: { perChatPerSecond: 1 },
} satisfies Capabilities);
