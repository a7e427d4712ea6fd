import type { Capabilities } from '../../src/core/capabilities.js';

/** The customer-service window: free-form messages only within 24 h of the shopper's last one. */
export const messagingWindowMs = 24 * 60 * 60 * 1000;

/**
 * What a WhatsApp Cloud API number can show.
 * Limits: https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-reply-buttons-messages
 * and .../interactive-list-messages. Texts arrive as Parley markdown and `render` rewrites
 * them to WhatsApp's `*bold*` / `_italic_`, which is never longer, so 4096 still holds.
 */
export const whatsappCapabilities: Capabilities = Object.freeze({
  maxTextLength: 4096,
  markup: 'whatsapp',
  buttons: { max: 3, maxLabelLength: 20 },
  list: { maxRows: 10, maxLabelLength: 24 },
  cards: false,
  media: ['image', 'video', 'audio', 'file', 'sticker', 'location'],
  typing: false,
  edit: false,
  pushByUserId: true,
  // The sender is a phone number WhatsApp has verified.
  verifiedPhone: true,
  messagingWindowMs,
  // Why: 80 msg/s is a number's default throughput; the pair limit is about one message per
  // 6 s to one user with short bursts allowed, so one per second keeps split replies flowing.
  rateLimit: { perBotPerSecond: 80, perChatPerSecond: 1 },
} satisfies Capabilities);
