import type { Capabilities } from '../../src/core/capabilities.js';

/**
 * What a Bot Framework bot can show on every channel it serves (one instance often serves
 * Teams and Web Chat at once, so the stricter of the two wins).
 *
 * - Text: Teams refuses activities over about 28 KB (HTTP 413, "Format your bot messages":
 *   https://learn.microsoft.com/microsoftteams/platform/bots/how-to/format-your-bot-messages).
 *   Capabilities count characters, and CJK text takes 3 bytes a character in UTF-8, so 8,000
 *   characters (24 KB) plus the activity envelope stays under the limit in every script.
 * - Markup: Teams and Web Chat render markdown (`textFormat: 'markdown'`).
 * - Buttons: hero card buttons; Teams shows at most six per card (cards reference).
 * - Media: Teams renders only images sent as attachments (video, audio and files need cards or
 *   the file consent flow), so other media become links.
 * - Rate: Teams allows 60 messages per 30 s per conversation and about 50 per second per bot
 *   (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit).
 */
export const botframeworkCapabilities: Capabilities = Object.freeze({
  maxTextLength: 8000,
  markup: 'markdown',
  buttons: { max: 6, maxLabelLength: 40 },
  list: false,
  cards: true,
  media: ['image'],
  typing: true,
  edit: false,
  // Why: the Bot Connector (and Teams) give up on a bot that has not answered within 15 s.
  rateLimit: { perChatPerSecond: 2, perBotPerSecond: 50 },
} satisfies Capabilities);
