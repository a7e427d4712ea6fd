import { createHash } from 'node:crypto';
import type { Normalized } from '../../src/core/adapter.js';
import { ParleyError } from '../../src/core/errors.js';
import type { ConversationRef, InboundBase, InboundEvent, MembershipEvent, Part } from '../../src/core/message.js';

/** The fields of LINE's webhook objects Parley reads; everything is checked before use. */
interface LineSource {
  type?: unknown;
  userId?: unknown;
  groupId?: unknown;
  roomId?: unknown;
}

interface LineMessage {
  id?: unknown;
  type?: unknown;
  text?: unknown;
  contentProvider?: { type?: unknown; originalContentUrl?: unknown };
  duration?: unknown;
  fileName?: unknown;
  title?: unknown;
  address?: unknown;
  latitude?: unknown;
  longitude?: unknown;
  packageId?: unknown;
  stickerId?: unknown;
  quotedMessageId?: unknown;
}

/** One webhook event object (https://developers.line.biz/en/reference/messaging-api/#webhook-event-objects). */
interface LineEvent {
  type?: unknown;
  mode?: unknown;
  timestamp?: unknown;
  source?: LineSource;
  webhookEventId?: unknown;
  replyToken?: unknown;
  message?: LineMessage;
  postback?: { data?: unknown; params?: Record<string, unknown> };
  follow?: { isUnblocked?: unknown };
  unsend?: { messageId?: unknown };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Turns a verified webhook body into events. A body that is not LINE's `{ destination, events }`
 * throws `BAD_PAYLOAD` (answered 400): LINE only redelivers when redelivery is switched
 * on, and a body of the wrong shape is not LINE's. Unknown event or message types become
 * `system` events; nothing in an event's content throws.
 */
export function normalizeWebhook(body: Buffer, channelId: string): Normalized {
  const events = parseEvents(body);
  return { ack: { status: 200 }, events: events.map((e) => toEvent(e, channelId)) };
}

function parseEvents(body: Buffer): LineEvent[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (cause) {
    throw new ParleyError('BAD_PAYLOAD', 'LINE webhook body is not JSON.', { cause });
  }
  const events = isObject(parsed) ? parsed.events : undefined;
  if (!Array.isArray(events)) {
    throw new ParleyError('BAD_PAYLOAD', 'LINE webhook body has no "events" array.');
  }
  // Why: the console's "Verify" button posts `events: []`; it must get a 200.
  return events.filter(isObject) as LineEvent[];
}

/** The chat is the group or room when there is one, else the one-on-one chat with the user. */
function conversationRef(e: LineEvent, channelId: string, replyable: boolean): ConversationRef {
  const source = isObject(e.source) ? e.source : {};
  const userId = str(source.userId);
  const chatId = str(source.groupId) ?? str(source.roomId) ?? userId ?? 'unknown';
  const replyToken = replyable ? str(e.replyToken) : undefined;
  const extra: Record<string, unknown> = { sourceType: str(source.type) ?? 'unknown' };
  if (replyToken) {
    extra.replyToken = replyToken;
    extra.replyTokenAt = num(e.timestamp) ?? 0;
  }
  // Why chatId as the fallback user: bot join/leave events in groups name no user.
  return { channelId, chatId, userId: userId ?? chatId, extra };
}

/** `webhookEventId` is LINE's dedupe key; very old payloads lack it, so hash the event instead. */
function eventId(e: LineEvent): string {
  const id = str(e.webhookEventId);
  if (id) return id;
  return `sha256:${createHash('sha256').update(JSON.stringify(e)).digest('hex').slice(0, 32)}`;
}

function toEvent(e: LineEvent, channelId: string): InboundEvent {
  const type = str(e.type) ?? 'unknown';
  // Why: in "standby" mode another module channel owns the chat; Parley must not answer.
  // https://developers.line.biz/en/docs/partner-docs/module-technical-chat-mode/
  const standby = e.mode === 'standby';
  const base: InboundBase = {
    channelId,
    eventId: eventId(e),
    ref: conversationRef(e, channelId, !standby),
    timestamp: num(e.timestamp) ?? 0,
    raw: e,
  };
  const system = (name: string, detail?: string): InboundEvent => ({ ...base, type: 'system', name, detail });
  if (type === 'follow') return membership(base, e.follow?.isUnblocked === true ? 'unblocked' : 'follow');
  // Why 'blocked': LINE sends "unfollow" when the user blocks the account; pushes stop reaching them.
  if (type === 'unfollow') return membership(base, 'blocked');
  if (type === 'unsend') return system('unsend', str(e.unsend?.messageId));
  if (standby) return system('standby', type);
  if (type === 'message' || type === 'messageEdited') return messageEvent(base, e, type);
  if (type === 'postback') return postbackEvent(base, e) ?? system('postback', 'no data');
  return system(type, 'LINE event Parley does not act on');
}

function membership(base: InboundBase, change: MembershipEvent['change']): InboundEvent {
  return { ...base, type: 'membership', change };
}

function postbackEvent(base: InboundBase, e: LineEvent): InboundEvent | undefined {
  const payload = str(e.postback?.data);
  if (!payload) return undefined;
  // Why: a datetime picker's choice arrives beside the fixed data, as what the user picked.
  const params = isObject(e.postback?.params) ? e.postback.params : {};
  const picked = str(params.datetime) ?? str(params.date) ?? str(params.time);
  return { ...base, type: 'postback', payload, ...(picked ? { label: picked } : {}) };
}

function messageEvent(base: InboundBase, e: LineEvent, type: string): InboundEvent {
  const message = isObject(e.message) ? (e.message as LineMessage) : {};
  const messageId = str(message.id) ?? base.eventId;
  const parts = messageParts(message, messageId);
  if (!parts) return { ...base, type: 'system', name: 'unsupported_message', detail: str(message.type) ?? 'unknown' };
  if (type === 'messageEdited') return { ...base, type: 'edit', messageId, parts };
  const replyTo = str(message.quotedMessageId);
  return { ...base, type: 'message', messageId, parts, ...(replyTo ? { replyTo } : {}) };
}

/** Content LINE hosts is fetched later through `fetchMedia`; external content is a public URL. */
function contentUrl(message: LineMessage, messageId: string): string {
  const provider = isObject(message.contentProvider) ? message.contentProvider : {};
  const external = provider.type === 'external' ? str(provider.originalContentUrl) : undefined;
  return external ?? `platform:${messageId}`;
}

function messageParts(m: LineMessage, id: string): Part[] | undefined {
  switch (m.type) {
    case 'text':
      return [{ kind: 'text', text: typeof m.text === 'string' ? m.text : '' }];
    case 'image':
    case 'video':
      return [{ kind: m.type, url: contentUrl(m, id) }];
    case 'audio': {
      const ms = num(m.duration);
      return [{ kind: 'audio', url: contentUrl(m, id), ...(ms !== undefined ? { durationSec: ms / 1000 } : {}) }];
    }
    case 'file':
      return [{ kind: 'file', url: `platform:${id}`, ...(str(m.fileName) ? { name: str(m.fileName) } : {}) }];
    case 'location':
      return locationParts(m);
    case 'sticker':
      return stickerParts(m);
    default:
      return undefined;
  }
}

function locationParts(m: LineMessage): Part[] | undefined {
  const latitude = num(m.latitude);
  const longitude = num(m.longitude);
  if (latitude === undefined || longitude === undefined) return undefined;
  const name = str(m.title);
  const address = str(m.address);
  return [{ kind: 'location', latitude, longitude, ...(name ? { name } : {}), ...(address ? { address } : {}) }];
}

/** Sticker id is `packageId/stickerId`; a message sticker's own text travels as a text part. */
function stickerParts(m: LineMessage): Part[] | undefined {
  const packageId = str(m.packageId);
  const stickerId = str(m.stickerId);
  if (!packageId || !stickerId) return undefined;
  const text = str(m.text);
  return [{ kind: 'sticker', id: `${packageId}/${stickerId}` }, ...(text ? [{ kind: 'text' as const, text }] : [])];
}
