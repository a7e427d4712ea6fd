import type { PartKind } from './message.js';

/**
 * What a channel can show, as data. The core's `degrade` step reads it and reshapes every
 * outbound message so the adapter's `render` only ever sees what the channel supports.
 *
 * @example
 * ```ts
 * const limited: Capabilities = {
 *   maxTextLength: 4096,
 *   markup: 'html',
 *   buttons: { max: 3, maxLabelLength: 20 },
 *   list: { maxRows: 10, maxLabelLength: 24 },
 *   cards: false,
 *   media: ['image', 'file'],
 *   typing: true,
 *   edit: false,
 * };
 * ```
 */
export interface Capabilities {
  /** Longest text one platform message can carry. Longer text is split. */
  maxTextLength: number;
  /** Markup dialect the channel renders; `markdown` texts are converted to it. */
  markup: MarkupDialect;
  /** Inline buttons / quick replies, or `false` when the channel has none. */
  buttons: false | { max: number; maxLabelLength: number };
  /** A list picker (WhatsApp list, Slack select) used when there are too many buttons. */
  list: false | { maxRows: number; maxLabelLength: number };
  /** Whether product cards render natively. */
  cards: boolean;
  /** Media kinds the channel can send; others become links. */
  media: readonly Extract<PartKind, 'image' | 'video' | 'audio' | 'file' | 'sticker' | 'location'>[];
  /** The channel can show a typing indicator. */
  typing: boolean;
  /** Sent messages can be edited (used for streaming replies). */
  edit: boolean;
  /**
   * The one-to-one chat id is the user id, so a conversation can be opened by push before the
   * shopper wrote there (Telegram, WhatsApp, LINE, WeChat; Slack and Teams need a stored
   * conversation reference).
   */
  pushByUserId?: boolean;
  /** Free-form messages are allowed only this long after the shopper's last message (ms). */
  messagingWindowMs?: number;
  /** Sending rate limits. */
  rateLimit?: { perChatPerSecond?: number; perBotPerSecond?: number };
  /**
   * The platform's user id is the shopper's phone number, proven by the platform (WhatsApp): it
   * counts as a verified contact, e.g. for showing that buyer's orders without a code.
   */
  verifiedPhone?: boolean;
}

/** The markup dialects Parley converts to. */
export type MarkupDialect = 'plain' | 'markdown' | 'html' | 'mrkdwn' | 'whatsapp';

/** Everything a rich web chat can show. */
export const richCapabilities: Capabilities = Object.freeze({
  maxTextLength: 20_000,
  markup: 'markdown',
  buttons: { max: 12, maxLabelLength: 80 },
  list: false,
  cards: true,
  media: ['image', 'video', 'audio', 'file', 'sticker', 'location'],
  typing: true,
  edit: true,
} satisfies Capabilities);
