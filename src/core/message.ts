/**
 * The normalised message model: what every channel's payload becomes, and what every reply is
 * built from. Adapters translate platform payloads into these types and back; nothing else in
 * Parley knows a platform's shape.
 *
 * @example
 * ```ts
 * const reply: OutboundMessage = {
 *   parts: [
 *     { kind: 'text', text: 'Which size?' },
 *     { kind: 'choices', choices: [{ label: 'Small', payload: 'size.s' }, { label: 'Large', payload: 'size.l' }] },
 *   ],
 * };
 * ```
 */

import type { MarkupDialect } from './capabilities.js';

/**
 * A text part. `markup` says how `text` is written; `plain` is the default. Replies are written
 * in `plain` or `markdown`; after `degrade` every text part is in the channel's dialect, so
 * `render` can pick the platform's parse mode from it.
 */
export interface TextPart {
  kind: 'text';
  text: string;
  /** `markdown` is Parley's portable subset: `**bold**`, `_italic_`, `[label](url)`, bare URLs. */
  markup?: MarkupDialect;
  /**
   * BCP 47 tag of the language `text` is written in, when it may differ from the message's:
   * a knowledge-base article the shop wrote only in its working language, say. Outbound text
   * without it is in the reader's language already (fixed strings are rendered so).
   */
  language?: string;
  /**
   * Continues the text part before it on the same line rather than in a new paragraph: a
   * title in another language inside a fixed sentence ("Source: <title>"), so each can be
   * translated, or not, on its own.
   */
  inline?: boolean;
}

/** Media that the platform hosts or that Parley can link to. */
export interface MediaPart {
  kind: 'image' | 'video' | 'file';
  /** Public URL, or `platform:<id>` for media that must be downloaded through the adapter. */
  url: string;
  mimeType?: string;
  name?: string;
  caption?: string;
  /** Size in bytes, when the platform says (an e-mail attachment). */
  size?: number;
  /** Set by media intake once the bytes are in Parley's media store. */
  stored?: StoredMedia;
  /** Set by media intake when the bytes could not be stored: why (too big, wrong type, platform error). */
  intakeError?: MediaIntakeError;
}

/** A voice note or audio file; `transcript` when the platform gives one (WeChat Recognition). */
export interface AudioPart {
  kind: 'audio';
  url: string;
  mimeType?: string;
  transcript?: string;
  durationSec?: number;
  /** Set by media intake once the bytes are in Parley's media store. */
  stored?: StoredMedia;
  /** Set by media intake when the bytes could not be stored. */
  intakeError?: MediaIntakeError;
}

/**
 * Bytes of a media part kept in Parley's media store (src/media). `id` is what the store and
 * `GET /api/v1/media/:id` take; the store is content-addressed, so equal bytes share one id.
 *
 * @example
 * ```ts
 * if (part.kind === 'image' && part.stored) await media.get(part.stored.id); // { data, media }
 * ```
 */
export interface StoredMedia {
  id: string;
  /** Hex SHA-256 of the bytes. */
  sha256: string;
  /** Bytes. */
  size: number;
  /** The type the bytes' magic numbers showed (not only what the platform claimed). */
  mimeType: string;
}

/**
 * Why media intake kept a part without storing it; the part keeps its `url`.
 * `too_large` and `type_not_allowed` are final; `fetch_failed` gave up after bounded retries.
 *
 * @example
 * ```ts
 * const error: MediaIntakeError = { code: 'too_large', detail: '23.4 MB; image limit 10 MB' };
 * ```
 */
export interface MediaIntakeError {
  code: 'too_large' | 'type_not_allowed' | 'fetch_failed' | 'unsupported';
  /** For agents and logs: sizes, types, the platform's status. Never secrets. */
  detail?: string;
}

/** A shared location. */
export interface LocationPart {
  kind: 'location';
  latitude: number;
  longitude: number;
  name?: string;
  address?: string;
}

/** A shared contact card. */
export interface ContactPart {
  kind: 'contact';
  name: string;
  phone?: string;
  email?: string;
}

/** A sticker: shown as an image where possible, as its emoji otherwise. */
export interface StickerPart {
  kind: 'sticker';
  id: string;
  emoji?: string;
  url?: string;
}

/**
 * One button or quick reply. `payload` is a stable id that is never translated; `label` is
 * what the shopper sees and is translated.
 */
export interface Choice {
  label: string;
  payload: string;
  /** A link button opens `url` instead of sending `payload` back. */
  url?: string;
}

/** Buttons / quick replies offered to the shopper. */
export interface ChoicesPart {
  kind: 'choices';
  choices: Choice[];
  /** Optional heading shown above a list when buttons become a list or numbered text. */
  title?: string;
  /**
   * How the channel shows the choices, set by `degrade`: inline `buttons` / quick replies, or a
   * `list` picker (WhatsApp list, Slack select). Absent before degrading means "buttons".
   */
  display?: 'buttons' | 'list';
}

/** A product card. */
export interface CardPart {
  kind: 'card';
  title: string;
  subtitle?: string;
  /** Already formatted for the shopper's locale, e.g. `€12.90`. */
  price?: string;
  imageUrl?: string;
  url?: string;
  buttons?: Choice[];
}

/** A reference to an order in the shop's backend. */
export interface OrderPart {
  kind: 'order';
  orderId: string;
  status?: string;
}

/** Any part of a message, inbound or outbound. */
export type Part = TextPart | MediaPart | AudioPart | LocationPart | ContactPart | StickerPart | ChoicesPart | CardPart | OrderPart;

/** The kind tag of a {@link Part}. */
export type PartKind = Part['kind'];

/**
 * Where a conversation lives on its platform: enough to send into it later (proactive care,
 * agent replies). `extra` keeps platform data such as a Bot Framework conversation reference.
 */
export interface ConversationRef {
  /** Channel instance id from the config, e.g. `webchat` or `telegram-brand-a`. */
  channelId: string;
  /** Platform chat / thread id. */
  chatId: string;
  /** Platform user id of the shopper. */
  userId: string;
  /** Thread inside a chat (Slack thread_ts), when the platform has threads. */
  threadId?: string;
  extra?: Record<string, unknown>;
}

/** Language hints a platform gives about the shopper (none of them is decisive). */
export interface LocaleHints {
  /** BCP 47 tag from the platform: Telegram `language_code`, Bot Framework `locale`, browser. */
  locale?: string;
  /** ISO 3166 country, e.g. from a phone number. */
  country?: string;
  /** The shopper picked this language explicitly (widget picker). Beats every detector. */
  explicit?: string;
}

/** Fields every inbound event has. */
export interface InboundBase {
  /** Channel instance id. */
  channelId: string;
  /** Platform event id; with `channelId` the dedupe key. */
  eventId: string;
  ref: ConversationRef;
  /** When the platform says it happened (ms since epoch). */
  timestamp: number;
  hints?: LocaleHints;
  /** Display name of the sender, when the platform gives one. */
  senderName?: string;
  /** The platform payload, stored for audits, never logged. */
  raw?: unknown;
}

/** A shopper message. */
export interface MessageEvent extends InboundBase {
  type: 'message';
  parts: Part[];
  /** Platform id of the message (may differ from the event id). */
  messageId?: string;
  /** Platform id of the message this one replies to. */
  replyTo?: string;
  /**
   * Set by the core, never by an adapter: the text was this many characters, more than
   * `limits.maxTextLength`, and `parts` hold its beginning (src/core/input.ts).
   */
  textCutFrom?: number;
}

/** A button press. */
export interface PostbackEvent extends InboundBase {
  type: 'postback';
  payload: string;
  label?: string;
  /**
   * Platform id of the press, when the platform gives one: stored as the shopper message's
   * `platformMessageId`, so a client can match the stored message to the press it showed.
   *
   * @example
   * ```ts
   * // The widget's frame `{ type: 'postback', clientId: 'c-42', payload: 'handoff.request' }`
   * const press: PostbackEvent = { ...base, type: 'postback', payload: 'handoff.request', messageId: 'c-42' };
   * ```
   */
  messageId?: string;
}

/** The shopper edited an earlier message. */
export interface EditEvent extends InboundBase {
  type: 'edit';
  messageId: string;
  parts: Part[];
  /** As {@link MessageEvent.textCutFrom}. */
  textCutFrom?: number;
}

/** A reaction added or removed (empty `emoji` means removed). */
export interface ReactionEvent extends InboundBase {
  type: 'reaction';
  messageId: string;
  emoji: string;
}

/** Delivery status of an outbound message. Ordered: sent < delivered < read; failed is final. */
export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'failed';

/** A delivery receipt for a message Parley sent. */
export interface DeliveryEvent extends InboundBase {
  type: 'delivery';
  /** Platform message id of the outbound message. */
  messageId: string;
  status: DeliveryStatus;
  error?: { code: string; title: string };
}

/** The shopper followed, unfollowed or blocked the bot. */
export interface MembershipEvent extends InboundBase {
  type: 'membership';
  change: 'follow' | 'unfollow' | 'blocked' | 'unblocked';
}

/** Anything else worth recording (platform notices, unsupported payloads). */
export interface SystemEvent extends InboundBase {
  type: 'system';
  name: string;
  detail?: string;
}

/** Everything that comes in from a channel. */
export type InboundEvent = MessageEvent | PostbackEvent | EditEvent | ReactionEvent | DeliveryEvent | MembershipEvent | SystemEvent;

/** A message Parley sends. */
export interface OutboundMessage {
  parts: Part[];
  /** Reply to this platform message where the channel supports it. */
  replyTo?: string;
  /**
   * The pre-approved template that may carry this message outside a platform's messaging
   * window (WhatsApp's 24 hours): a key from the channel's `templates` config and its
   * parameters in order. Free-form replies use the key `reengage`.
   */
  template?: { key: string; params: string[] };
  /**
   * BCP 47 tag of the shopper's language, set by the core on every degraded message: channels
   * that frame a message with fixed strings of their own (an e-mail's greeting and closing)
   * render them in it.
   */
  language?: string;
}

/** The order of delivery statuses; `failed` is terminal. */
const statusRank: Record<DeliveryStatus, number> = { sent: 1, delivered: 2, read: 3, failed: 4 };

/**
 * Whether a status update may replace the current one: statuses never move backwards and a
 * failed message stays failed.
 *
 * @example
 * ```ts
 * advancesStatus('read', 'delivered'); // false: a late 'delivered' after 'read' is ignored
 * ```
 */
export function advancesStatus(current: DeliveryStatus | undefined, next: DeliveryStatus): boolean {
  if (current === undefined) return true;
  if (current === 'failed') return false;
  return statusRank[next] > statusRank[current];
}

/**
 * The text a person would read from a message's parts: texts, captions, transcripts and
 * labels, joined by newlines. Used for language detection, search and previews.
 */
export function plainText(parts: readonly Part[]): string {
  const lines: string[] = [];
  for (const part of parts) {
    if (part.kind === 'text') lines.push(part.text);
    else if ((part.kind === 'image' || part.kind === 'video' || part.kind === 'file') && part.caption) lines.push(part.caption);
    else if (part.kind === 'audio' && part.transcript) lines.push(part.transcript);
    else if (part.kind === 'card') lines.push([part.title, part.subtitle].filter(Boolean).join(' '));
    else if (part.kind === 'choices' && part.title) lines.push(part.title);
  }
  return lines.join('\n');
}

/**
 * The key that orders a conversation's events: channel instance, chat and thread.
 *
 * @example
 * ```ts
 * conversationKey({ channelId: 'slack', chatId: 'C1', threadId: '171.2' }); // 'slack:C1:171.2'
 * ```
 */
export function conversationKey(ref: Pick<ConversationRef, 'channelId' | 'chatId' | 'threadId'>): string {
  return ref.threadId ? `${ref.channelId}:${ref.chatId}:${ref.threadId}` : `${ref.channelId}:${ref.chatId}`;
}
