import type { HttpAck, Normalized } from '../../src/core/adapter.js';
import { ParleyError } from '../../src/core/errors.js';
import type { ConversationRef, InboundBase, InboundEvent, Part } from '../../src/core/message.js';
import { field, parseXml, type XmlFields } from './xml.js';

/** What normalising needs to know about the channel. */
export interface NormalizeOptions {
  channelId: string;
  /** Prefix of system event names: `wechat` or `wecom`. */
  platform: 'wechat' | 'wecom';
  ack: HttpAck;
}

type Base = Omit<InboundBase, 'eventId'>;

/**
 * Turns a verified (decrypted) callback XML into events. Messages are deduplicated by
 * `MsgId`; events by `FromUserName:CreateTime:Event`, as the platform recommends. Unknown
 * message or event types become a `system` event; a body that is not a callback (no
 * `<xml>` root, no sender, truncated) throws `BAD_PAYLOAD`.
 *
 * @example
 * ```ts
 * normalizeCallback('<xml>…<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hi]]></Content>…</xml>', opts);
 * // { ack: { status: 200, body: 'success' }, events: [{ type: 'message', parts: [{ kind: 'text', text: 'hi' }], … }] }
 * ```
 */
export function normalizeCallback(xml: string, opts: NormalizeOptions): Normalized {
  const fields = parseXml(xml);
  const from = field(fields, 'FromUserName');
  const createTime = field(fields, 'CreateTime');
  const msgType = field(fields, 'MsgType');
  if (!from || !createTime || !/^\d+$/.test(createTime) || !msgType)
    throw new ParleyError('BAD_PAYLOAD', 'WeChat callback lacks FromUserName, CreateTime or MsgType.');
  const ref: ConversationRef = { channelId: opts.channelId, chatId: from, userId: from, extra: extraOf(fields) };
  const base: Base = { channelId: opts.channelId, ref, timestamp: Number(createTime) * 1000, raw: fields };
  const events =
    msgType === 'event'
      ? eventEvents(fields, base, `${from}:${createTime}`, opts.platform)
      : [messageEvent(fields, base, msgType, `${from}:${createTime}:${msgType}`, opts.platform)];
  return { ack: opts.ack, events };
}

/** The account that received the message (our OA id / CorpID) and the WeCom app, for replies. */
function extraOf(fields: XmlFields): Record<string, unknown> {
  const extra: Record<string, unknown> = {};
  const to = field(fields, 'ToUserName');
  const agentId = field(fields, 'AgentID');
  if (to) extra.toUserName = to;
  if (agentId) extra.agentId = agentId;
  return extra;
}

function messageEvent(fields: XmlFields, base: Base, msgType: string, fallbackId: string, platform: string): InboundEvent {
  const msgId = field(fields, 'MsgId');
  const eventId = msgId ?? fallbackId;
  const parts = partsOf(fields, msgType);
  if (!parts) return { ...base, eventId, type: 'system', name: `${platform}.unsupported`, detail: msgType };
  return { ...base, eventId, type: 'message', parts, ...(msgId ? { messageId: msgId } : {}) };
}

const mediaUrl = (fields: XmlFields) => {
  const mediaId = field(fields, 'MediaId');
  return mediaId ? `platform:${mediaId}` : undefined;
};

const VOICE_MIME: Record<string, string> = { amr: 'audio/amr', speex: 'audio/speex', mp3: 'audio/mpeg' };

/** The parts of a normal message, or undefined for a type Parley does not read. */
function partsOf(fields: XmlFields, msgType: string): Part[] | undefined {
  switch (msgType) {
    case 'text': {
      const text = typeof fields.Content === 'string' ? fields.Content : undefined;
      return text === undefined ? undefined : [{ kind: 'text', text }];
    }
    case 'image': {
      const url = field(fields, 'PicUrl') ?? mediaUrl(fields);
      return url ? [{ kind: 'image', url }] : undefined;
    }
    case 'voice':
      return voiceParts(fields);
    case 'video':
    case 'shortvideo': {
      const url = mediaUrl(fields);
      return url ? [{ kind: 'video', url }] : undefined;
    }
    case 'location':
      return locationParts(fields);
    case 'link': {
      const lines = ['Title', 'Description', 'Url'].map((k) => field(fields, k)).filter((l) => l !== undefined);
      return lines.length ? [{ kind: 'text', text: lines.join('\n') }] : undefined;
    }
    default:
      return undefined;
  }
}

function voiceParts(fields: XmlFields): Part[] | undefined {
  const url = mediaUrl(fields);
  if (!url) return undefined;
  const mimeType = VOICE_MIME[field(fields, 'Format')?.toLowerCase() ?? ''];
  const transcript = field(fields, 'Recognition');
  return [{ kind: 'audio', url, ...(mimeType ? { mimeType } : {}), ...(transcript ? { transcript } : {}) }];
}

function locationParts(fields: XmlFields): Part[] | undefined {
  const latitude = Number(field(fields, 'Location_X'));
  const longitude = Number(field(fields, 'Location_Y'));
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) return undefined;
  const name = field(fields, 'Label');
  return [{ kind: 'location', latitude, longitude, ...(name ? { name } : {}) }];
}

/** Event pushes: follow / unfollow, menu clicks, QR scans, location reports. */
function eventEvents(fields: XmlFields, base: Base, idPrefix: string, platform: string): InboundEvent[] {
  const event = field(fields, 'Event') ?? 'unknown';
  const key = field(fields, 'EventKey');
  const eventId = `${idPrefix}:${event}`;
  const system = (name: string, detail?: string): InboundEvent => ({
    ...base,
    eventId,
    type: 'system',
    name: `${platform}.${name}`,
    ...(detail ? { detail } : {}),
  });
  switch (event.toLowerCase()) {
    case 'subscribe': {
      const follow: InboundEvent = { ...base, eventId, type: 'membership', change: 'follow' };
      // Following by scanning a parametric QR code: the scene tells where the shopper came from.
      if (!key?.startsWith('qrscene_')) return [follow];
      return [follow, { ...system('qrscene', key.slice('qrscene_'.length)), eventId: `${eventId}:qrscene` }];
    }
    case 'unsubscribe':
      return [{ ...base, eventId, type: 'membership', change: 'unfollow' }];
    case 'click':
      return key ? [{ ...base, eventId, type: 'postback', payload: key }] : [system('click')];
    case 'view':
      return [system('view', key)];
    case 'scan':
      return [system('scan', key)];
    case 'location': {
      const [lat, lng] = [field(fields, 'Latitude'), field(fields, 'Longitude')];
      return [system('location', lat && lng ? `${lat},${lng}` : undefined)];
    }
    default:
      return [system(event.toLowerCase(), key)];
  }
}
