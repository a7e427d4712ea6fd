import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { ContactPart, ConversationRef, DeliveryEvent, DeliveryStatus, InboundEvent, LocaleHints, Part } from '../../src/core/message.js';
import { MessageAck, type WebMessage, webMessageSchema } from './wire.js';

/** What normalising needs besides the message. */
export interface NormalizeOptions {
  channelId: string;
  /** Keep messages written in groups (`@g.us`); off by default. */
  allowGroups: boolean;
}

/** Events for one library event, or why there are none (for a log line without content). */
export interface Normalized {
  events: InboundEvent[];
  skipped?: string;
}

// Why these are skipped silently: they are WhatsApp's own bookkeeping (security-code changes,
// group notices, call logs, protocol messages), not something a shopper wrote.
const bookkeeping = new Set([
  'e2e_notification',
  'notification',
  'notification_template',
  'gp2',
  'call_log',
  'protocol',
  'ciphertext',
  'debug',
  'broadcast_notification',
  'group_notification',
]);

/** `<digits>@c.us` → ISO country of the phone number; `@lid` and groups hide the number. */
export function countryOfWid(wid: string): string | undefined {
  const m = /^(\d{6,15})@c\.us$/.exec(wid);
  return m ? parsePhoneNumberFromString(`+${m[1]}`)?.country : undefined;
}

function mediaUrl(msg: WebMessage): string {
  return `platform:${msg.id._serialized}`;
}

function caption(msg: WebMessage): string | undefined {
  return msg.body || msg._data?.caption || undefined;
}

function seconds(value: string | number | undefined): number | undefined {
  const n = Number(value);
  return value !== undefined && Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** FN and the first TEL of a vCard (WhatsApp writes `item1.TEL;waid=49…:+49 …`). */
export function contactFromVCard(vcard: string): ContactPart | undefined {
  const line = (name: string) => new RegExp(`^(?:[\\w-]+\\.)?${name}(?:;[^:\\r\\n]*)?:(.*)$`, 'mi').exec(vcard)?.[1]?.trim();
  const name = line('FN');
  if (!name) return undefined;
  const phone = line('TEL');
  return { kind: 'contact', name, ...(phone ? { phone } : {}) };
}

function locationPart(msg: WebMessage): Part[] | undefined {
  const loc = msg.location;
  if (!loc || !Number.isFinite(loc.latitude) || !Number.isFinite(loc.longitude)) return undefined;
  const [first, second] = (loc.description ?? '').split('\n');
  const name = loc.name || first || undefined;
  const address = loc.address || (loc.name ? undefined : second) || undefined;
  return [{ kind: 'location', latitude: loc.latitude, longitude: loc.longitude, ...(name ? { name } : {}), ...(address ? { address } : {}) }];
}

/** The parts of a message a shopper wrote, or undefined when Parley cannot read the type. */
function partsOf(msg: WebMessage): Part[] | undefined {
  const mimeType = msg._data?.mimetype;
  const mime = mimeType ? { mimeType } : {};
  const text = caption(msg);
  switch (msg.type) {
    case 'chat':
      return msg.body ? [{ kind: 'text', text: msg.body }] : undefined;
    case 'image':
    case 'video':
      return [{ kind: msg.type, url: mediaUrl(msg), ...mime, ...(text ? { caption: text } : {}) }];
    case 'ptt':
    case 'audio': {
      const durationSec = seconds(msg.duration ?? msg._data?.duration);
      return [{ kind: 'audio', url: mediaUrl(msg), ...mime, ...(durationSec !== undefined ? { durationSec } : {}) }];
    }
    case 'document': {
      const name = msg._data?.filename;
      return [{ kind: 'file', url: mediaUrl(msg), ...mime, ...(name ? { name } : {}), ...(text ? { caption: text } : {}) }];
    }
    case 'sticker':
      return [{ kind: 'sticker', id: msg.id._serialized, url: mediaUrl(msg) }];
    case 'location':
      return locationPart(msg);
    case 'vcard':
    case 'multi_vcard': {
      const cards = (msg.vCards?.length ? msg.vCards : [msg.body]).map(contactFromVCard).filter((c) => c !== undefined);
      return cards.length > 0 ? cards : undefined;
    }
    default:
      return undefined;
  }
}

/** Why a parsed message is not the shopper's, or undefined when it is. */
function notFromShopper(msg: WebMessage, allowGroups: boolean): string | undefined {
  if (msg.id.fromMe) return 'sent by this account';
  if (msg.isStatus || msg.from === 'status@broadcast' || msg.id.remote === 'status@broadcast') return 'status broadcast';
  if (msg.from.endsWith('@newsletter')) return 'channel post';
  if (msg.from.endsWith('@g.us') && !allowGroups) return 'group message (allowGroups is off)';
  if (bookkeeping.has(msg.type)) return `whatsapp notice (${msg.type})`;
  return undefined;
}

function refOf(msg: WebMessage, channelId: string): ConversationRef {
  const group = msg.from.endsWith('@g.us');
  return { channelId, chatId: msg.from, userId: group ? (msg.author ?? msg.from) : msg.from };
}

/** What events keep as `raw`: the plain fields, without a location's base64 thumbnail body. */
function rawOf(msg: WebMessage): WebMessage {
  return msg.type === 'location' ? { ...msg, body: '' } : msg;
}

/**
 * Turns one whatsapp-web.js `message` event into Parley events. Pure: the message is read as
 * the plain shape {@link webMessageSchema}; media parts point at `platform:<message id>` and
 * are fetched through the adapter's `downloadMedia`. The sender's own messages, status
 * broadcasts, channel posts and (unless configured) group messages give no event; a type
 * Parley cannot read gives a `system` event so the conversation shows something arrived.
 *
 * @example
 * ```ts
 * normalizeMessage(msg, { channelId: 'wa-web', allowGroups: false }).events[0];
 * // { type: 'message', eventId: 'false_491701234567@c.us_3EB0…', parts: [{ kind: 'text', text: 'Hallo' }], hints: { country: 'DE' } }
 * ```
 */
export function normalizeMessage(input: unknown, options: NormalizeOptions): Normalized {
  const parsed = webMessageSchema.safeParse(input);
  if (!parsed.success) return { events: [], skipped: 'not a whatsapp-web.js message' };
  const msg = parsed.data;
  const skipped = notFromShopper(msg, options.allowGroups);
  if (skipped) return { events: [], skipped };
  const ref = refOf(msg, options.channelId);
  const country = countryOfWid(ref.userId);
  const hints: LocaleHints | undefined = country ? { country } : undefined;
  const base = {
    channelId: options.channelId,
    eventId: msg.id._serialized,
    ref,
    timestamp: msg.timestamp * 1000,
    ...(hints ? { hints } : {}),
    ...(msg._data?.notifyName ? { senderName: msg._data.notifyName } : {}),
    raw: rawOf(msg),
  };
  const parts = partsOf(msg);
  if (!parts) return { events: [{ ...base, type: 'system', name: 'unsupported_message', detail: msg.type }] };
  return { events: [{ ...base, type: 'message', messageId: msg.id._serialized, parts }] };
}

const ackStatus: Record<number, DeliveryStatus> = {
  [MessageAck.ACK_ERROR]: 'failed',
  [MessageAck.ACK_SERVER]: 'sent',
  [MessageAck.ACK_DEVICE]: 'delivered',
  [MessageAck.ACK_READ]: 'read',
  [MessageAck.ACK_PLAYED]: 'read',
};

/**
 * Turns a `message_ack` event (the message and its new `MessageAck`) into a delivery event
 * for a message this account sent. `ACK_PENDING` and acks of other people's messages give
 * none. The library gives no time for an ack, so `now` stamps it. Pure.
 *
 * @example
 * ```ts
 * normalizeAck(sent, MessageAck.ACK_READ, { channelId: 'wa-web', allowGroups: false }, now).events[0];
 * // { type: 'delivery', status: 'read', messageId: 'true_491701234567@c.us_3EB0…', eventId: '…:ack:3' }
 * ```
 */
export function normalizeAck(input: unknown, ack: number, options: NormalizeOptions, now: number): Normalized {
  const parsed = webMessageSchema.safeParse(input);
  if (!parsed.success) return { events: [], skipped: 'not a whatsapp-web.js message' };
  const msg = parsed.data;
  const status = ackStatus[ack];
  if (!msg.id.fromMe) return { events: [], skipped: 'ack of a message this account did not send' };
  if (!status) return { events: [], skipped: `ack ${ack} is not a delivery status` };
  const chatId = msg.id.remote;
  const event: DeliveryEvent = {
    channelId: options.channelId,
    eventId: `${msg.id._serialized}:ack:${ack}`,
    ref: { channelId: options.channelId, chatId, userId: chatId },
    timestamp: now,
    type: 'delivery',
    messageId: msg.id._serialized,
    status,
    ...(status === 'failed' ? { error: { code: 'ACK_ERROR', title: 'WhatsApp could not deliver the message' } } : {}),
    raw: { id: msg.id, ack },
  };
  return { events: [event] };
}
