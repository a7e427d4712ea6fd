import type { Capabilities } from '../../src/core/capabilities.js';

/** Longest photo/video/document caption, in characters after entity parsing. */
export const maxCaptionLength = 1024;

/** Longest `callback_data` of an inline button, in bytes. */
export const maxCallbackDataBytes = 64;

/**
 * What a Telegram bot can show. Limits: https://core.telegram.org/bots/api#sendmessage (4096),
 * https://core.telegram.org/bots/api#inlinekeyboardbutton (callback_data 1-64 bytes) and the Bot
 * FAQ on flood limits (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this).
 * Telegram has no messaging window: a bot may write to anyone who started it and has not blocked it.
 */
export const telegramCapabilities: Capabilities = Object.freeze({
  maxTextLength: 4096,
  markup: 'html',
  // Why 10 and 64: Telegram accepts 100 buttons, but more than ten stacked rows bury the
  // conversation; labels past ~64 characters are cut off on phones anyway.
  buttons: { max: 10, maxLabelLength: 64 },
  list: false,
  cards: true,
  media: ['image', 'video', 'audio', 'file', 'sticker', 'location'],
  typing: true,
  edit: false,
  pushByUserId: true,
  // Why: "avoid sending more than one message per second" in one chat and about 30 per second
  // overall; past that Telegram answers 429 with retry_after, which deliver passes on.
  rateLimit: { perChatPerSecond: 1, perBotPerSecond: 30 },
} satisfies Capabilities);
