import type { Capabilities } from '../../src/core/capabilities.js';

/**
 * What a WhatsApp Web session can show. No buttons or lists: WhatsApp Web's buttons and list
 * messages are deprecated and no longer delivered, so the core sends choices as numbered text
 * (https://github.com/wwebjs/whatsapp-web.js/pull/2443). Texts arrive as Parley markdown and
 * `render` rewrites them to WhatsApp's `*bold*` / `_italic_`, which is never longer, so the
 * app's 4096-character split still holds. No stickers out: sending one needs ffmpeg.
 */
export const whatsappWebCapabilities: Capabilities = Object.freeze({
  maxTextLength: 4096,
  markup: 'whatsapp',
  buttons: false,
  list: false,
  cards: false,
  media: ['image', 'video', 'audio', 'file', 'location'],
  typing: true,
  edit: false,
  // The sender is a phone number WhatsApp has verified.
  verifiedPhone: true,
  // Why so slow: an automated personal number that sends fast is what WhatsApp bans first.
  rateLimit: { perChatPerSecond: 1, perBotPerSecond: 5 },
} satisfies Capabilities);
