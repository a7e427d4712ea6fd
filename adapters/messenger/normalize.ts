import type { Normalized } from '../../src/core/adapter.js';
import { ParleyError } from '../../src/core/errors.js';
import type { ConversationRef, DeliveryEvent, InboundBase, InboundEvent, LocationPart, MediaPart, MessageEvent, Part } from '../../src/core/message.js';
import type { Logger } from '../../src/core/ports.js';
import type { InAttachment, InMessage, Messaging, WebhookBody } from './wire.js';

/** Which product's webhook this channel takes, and where the account id goes in the ref. */
export interface NormalizeScope {
  channelId: string;
  log: Logger;
  /** `page` for Messenger, `instagram` for Instagram. */
  object: 'page' | 'instagram';
}

const ACK = { status: 200 } as const;
const MEDIA_KINDS: Readonly<Record<string, MediaPart['kind'] | 'audio'>> = { image: 'image', video: 'video', audio: 'audio', file: 'file' };
/** Shared posts, reels and link previews: kept as a link to what was shared. */
const SHARED_KINDS = new Set(['share', 'ig_reel', 'reel', 'fallback', 'ig_post']);

/**
 * Turns a verified `page` or `instagram` webhook into events, across every entry and
 * `messaging` item: messages (event id = `mid`), quick replies and postbacks (button presses),
 * reactions, delivery receipts (`<mid>:delivered`) and Instagram read receipts (`<mid>:read`).
 * Echoes of the account's own messages are skipped: Parley knows what it sent, and a person's
 * reply typed in Meta's inbox has no place in the core's model (docs/channels/messenger.md).
 *
 * A body that is not JSON is answered 400 (a truncated delivery Meta retries); JSON of another
 * shape, or an event Parley does not use, is acknowledged with nothing stored, because Meta
 * would otherwise retry it and then disable the subscription.
 */
export function normalizeWebhook(body: Buffer, scope: NormalizeScope): Normalized {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (cause) {
    throw new ParleyError('BAD_PAYLOAD', `${product(scope)} webhook body is not JSON.`, { cause });
  }
  const hook = parsed as WebhookBody;
  if (!isObject(parsed) || hook.object !== scope.object || !Array.isArray(hook.entry)) {
    const object = isObject(parsed) ? hook.object : typeof parsed;
    scope.log.warn({ channel: scope.channelId, object }, 'meta webhook of unexpected shape ignored');
    return { ack: ACK, events: [] };
  }
  const events: InboundEvent[] = [];
  for (const entry of hook.entry) {
    const items = isObject(entry) && Array.isArray(entry.messaging) ? entry.messaging : [];
    for (const item of items) {
      const built = guarded(() => (isObject(item) ? itemEvents(item, scope) : []));
      if (built.length) events.push(...built);
      else scope.log.info({ channel: scope.channelId }, 'meta messaging item ignored');
    }
  }
  return { ack: ACK, events };
}

function product(scope: NormalizeScope): string {
  return scope.object === 'page' ? 'Messenger' : 'Instagram';
}

// Why a catch-all: one odd item (a field of an unexpected type) must not cost the other events
// of the batch, nor make Meta retry the whole webhook.
function guarded(build: () => InboundEvent[]): InboundEvent[] {
  try {
    return build();
  } catch {
    return [];
  }
}

function itemEvents(m: Messaging, scope: NormalizeScope): InboundEvent[] {
  const user = text(m.sender?.id);
  if (!user) return [];
  const at = millis(m.timestamp);
  const base = (eventId: string): InboundBase => baseOf(eventId, user, text(m.recipient?.id), at, scope, m);
  if (m.message && isObject(m.message)) return messageEvents(m.message, base, scope);
  if (m.postback && isObject(m.postback)) {
    const payload = text(m.postback.payload);
    if (payload === undefined) return [];
    const mid = text(m.postback.mid);
    const press = { ...base(mid ?? `postback:${user}:${at}`), type: 'postback' as const, payload };
    return [{ ...press, ...(m.postback.title ? { label: m.postback.title } : {}), ...(mid ? { messageId: mid } : {}) }];
  }
  if (m.reaction && isObject(m.reaction)) {
    const mid = text(m.reaction.mid);
    if (!mid) return [];
    const emoji = m.reaction.action === 'unreact' ? '' : (text(m.reaction.emoji) ?? text(m.reaction.reaction) ?? '');
    return [{ ...base(`${mid}:reaction:${user}:${at}`), type: 'reaction', messageId: mid, emoji }];
  }
  if (m.delivery && isObject(m.delivery)) {
    // `mids` may be absent (older clients): then only a watermark time, which names no message.
    const mids = Array.isArray(m.delivery.mids) ? m.delivery.mids.filter((x) => typeof x === 'string' && x) : [];
    return mids.map((mid) => receipt(base(`${mid}:delivered`), mid, 'delivered'));
  }
  // Messenger's read receipt is a watermark (a time, no message id): the core marks messages by
  // id, so only Instagram's `messaging_seen`, which names the message, becomes a receipt.
  const seen = m.read && isObject(m.read) ? text(m.read.mid) : undefined;
  return seen ? [receipt(base(`${seen}:read`), seen, 'read')] : [];
}

function receipt(base: InboundBase, mid: string, status: 'delivered' | 'read'): DeliveryEvent {
  return { ...base, type: 'delivery', messageId: mid, status };
}

function messageEvents(msg: InMessage, base: (eventId: string) => InboundBase, scope: NormalizeScope): InboundEvent[] {
  const mid = text(msg.mid);
  // An echo is the account's own message (ours, or a person's in Meta's inbox); a deleted one is gone.
  if (!mid || msg.is_echo === true || msg.is_deleted === true) return [];
  const attachments = Array.isArray(msg.attachments) ? msg.attachments.filter(isObject) : [];
  const mention = attachments.find((a) => a.type === 'story_mention');
  if (mention) return [storyMention(base(mid), mid, mention)];
  const payload = text(msg.quick_reply?.payload);
  if (payload !== undefined) return [{ ...base(mid), type: 'postback', payload, label: msg.text ?? payload, messageId: mid }];
  const parts: Part[] = [
    ...(typeof msg.text === 'string' && msg.text ? [{ kind: 'text' as const, text: msg.text }] : []),
    ...attachments.flatMap(attachmentParts),
  ];
  const story = msg.reply_to?.story;
  const storyUrl = text(story?.url);
  // A reply to the account's story: the story's link stays with the message, as a file part
  // (not text, so the bot and the language detector read only what the shopper wrote).
  if (storyUrl) parts.push({ kind: 'file', url: storyUrl, name: 'Instagram story' });
  if (parts.length === 0) {
    const detail = msg.is_unsupported ? 'unsupported message' : 'message without text or attachments';
    return [{ ...base(mid), type: 'system', name: `${scope.object === 'page' ? 'messenger' : 'instagram'}.unsupported`, detail }];
  }
  const event: MessageEvent = { ...base(mid), type: 'message', parts, messageId: mid };
  const replyTo = text(msg.reply_to?.mid) ?? text(story?.id);
  if (replyTo) event.replyTo = replyTo;
  return [event];
}

/**
 * A shopper mentioned the account in their story. Stored the way the pipeline stores a
 * reaction (src/core/pipeline.ts): in the conversation for agents, never answered by the bot,
 * which has nothing to say to a mention. The note is "📣" and the story's CDN link, which Meta
 * lets an inbox render while the story lives (24 h); the media itself must not be stored.
 * https://developers.facebook.com/docs/messenger-platform/instagram/features/story-mention
 */
function storyMention(base: InboundBase, mid: string, attachment: InAttachment): InboundEvent {
  const url = text(attachment.payload?.url);
  return { ...base, type: 'reaction', messageId: mid, emoji: url ? `📣 ${url}` : '📣' };
}

function attachmentParts(a: InAttachment): Part[] {
  const url = text(a.payload?.url) ?? text(a.url);
  const type = a.type ?? '';
  if (type === 'location') return location(a);
  if (!url) return [];
  const kind = MEDIA_KINDS[type];
  // Messenger sends a sticker as an image with its sticker id.
  if (kind === 'image' && typeof a.payload?.sticker_id === 'number') return [{ kind: 'sticker', id: String(a.payload.sticker_id), url }];
  if (kind === 'audio') return [{ kind: 'audio', url }];
  if (kind) return [{ kind, url }];
  if (SHARED_KINDS.has(type)) return [{ kind: 'file', url, name: text(a.title) ?? text(a.payload?.title) ?? type }];
  return [];
}

function location(a: InAttachment): Part[] {
  const c = a.payload?.coordinates;
  if (typeof c?.lat !== 'number' || typeof c.long !== 'number') return [];
  const part: LocationPart = { kind: 'location', latitude: c.lat, longitude: c.long };
  if (a.title) part.name = a.title;
  return [part];
}

function baseOf(eventId: string, user: string, account: string | undefined, at: number, scope: NormalizeScope, raw: Messaging): InboundBase {
  const ref: ConversationRef = { channelId: scope.channelId, chatId: user, userId: user };
  if (account) ref.extra = { [scope.object === 'page' ? 'pageId' : 'igUserId']: account };
  return { channelId: scope.channelId, eventId, ref, timestamp: at, raw };
}

/** Messaging timestamps are milliseconds; the newer postback example shows seconds as a string. */
function millis(value: unknown): number {
  const n = typeof value === 'string' ? Number(value) : typeof value === 'number' ? value : Number.NaN;
  if (!Number.isFinite(n) || n <= 0) return 0;
  return n < 1e12 ? n * 1000 : n;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

function isObject<T>(value: T): value is T & object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
