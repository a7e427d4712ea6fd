import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { Normalized } from '../../src/core/adapter.js';
import { ParleyError } from '../../src/core/errors.js';
import type {
  AudioPart,
  ContactPart,
  ConversationRef,
  DeliveryEvent,
  InboundBase,
  InboundEvent,
  LocaleHints,
  LocationPart,
  MediaPart,
  MessageEvent,
  Part,
} from '../../src/core/message.js';
import type { Logger } from '../../src/core/ports.js';
import type { ChangeValue, WaError, WaMedia, WaMessage, WaStatus, WebhookBody } from './wire.js';

/** What normalisation needs besides the body. */
export interface NormalizeScope {
  channelId: string;
  log: Logger;
}

/** Where one change's messages come from: the business number and the senders' profiles. */
interface ChangeScope extends NormalizeScope {
  value: ChangeValue;
  phoneNumberId: string | undefined;
}

const ACK = { status: 200 } as const;
const STATUSES = new Set(['sent', 'delivered', 'read', 'failed']);

/**
 * Turns a verified `messages` webhook into events: one per message (id `wamid…`) and one per
 * status (id `<wamid>:<status>`), across every entry and change.
 *
 * A body that is not JSON is answered 400 so Meta retries it (a truncated delivery). JSON of
 * an unexpected shape is acknowledged with no events and a warning, because Meta would
 * otherwise retry it for days.
 */
export function normalizeWebhook(body: Buffer, scope: NormalizeScope): Normalized {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (cause) {
    throw new ParleyError('BAD_PAYLOAD', 'WhatsApp webhook body is not JSON.', { cause });
  }
  const hook = parsed as WebhookBody;
  if (!isObject(parsed) || hook.object !== 'whatsapp_business_account' || !Array.isArray(hook.entry)) {
    const object = isObject(parsed) ? hook.object : typeof parsed;
    scope.log.warn({ channel: scope.channelId, object }, 'whatsapp webhook of unexpected shape ignored');
    return { ack: ACK, events: [] };
  }
  const events: InboundEvent[] = [];
  for (const entry of hook.entry) {
    for (const change of Array.isArray(entry?.changes) ? entry.changes : []) {
      const value = change?.field === 'messages' ? change.value : undefined;
      if (!value || !isObject(value)) {
        scope.log.info({ channel: scope.channelId, field: change?.field }, 'whatsapp webhook field ignored');
        continue;
      }
      events.push(...changeEvents({ ...scope, value, phoneNumberId: stringOrUndefined(value.metadata?.phone_number_id) }));
    }
  }
  return { ack: ACK, events };
}

function changeEvents(scope: ChangeScope): InboundEvent[] {
  const { value } = scope;
  const events: InboundEvent[] = [];
  for (const message of Array.isArray(value.messages) ? value.messages : []) {
    const event = guarded(() => (isObject(message) ? messageEvent(message, scope) : undefined));
    if (event) events.push(event);
    else scope.log.warn({ channel: scope.channelId }, 'whatsapp message of unexpected shape ignored');
  }
  for (const status of Array.isArray(value.statuses) ? value.statuses : []) {
    const event = guarded(() => (isObject(status) ? statusEvent(status, scope) : undefined));
    if (event) events.push(event);
    else scope.log.info({ channel: scope.channelId }, 'whatsapp status ignored');
  }
  return events;
}

// Why a catch-all: one odd item (a field of an unexpected type) must not cost the other events
// of the batch, nor make Meta retry the whole webhook for days.
function guarded<T>(build: () => T | undefined): T | undefined {
  try {
    return build();
  } catch {
    return undefined;
  }
}

function messageEvent(m: WaMessage, scope: ChangeScope): InboundEvent | undefined {
  if (typeof m.id !== 'string' || !m.id || typeof m.from !== 'string' || !m.from) return undefined;
  const base = baseOf(m.id, m.from, m.timestamp, scope, rawOf(scope.value, { messages: [m] }));
  const name = profileName(scope.value, m.from);
  if (name) base.senderName = name;
  const hints = countryHint(m.from);
  if (hints) base.hints = hints;
  if (m.type === 'reaction' && m.reaction?.message_id) {
    return { ...base, type: 'reaction', messageId: m.reaction.message_id, emoji: m.reaction.emoji ?? '' };
  }
  const reply = replyOf(m);
  if (reply) return { ...base, type: 'postback', payload: reply.id, label: reply.title };
  const parts = m.errors?.length ? undefined : partsOf(m);
  if (!parts) return { ...base, type: 'system', name: 'whatsapp.unsupported', detail: unsupportedDetail(m) };
  const event: MessageEvent = { ...base, type: 'message', parts, messageId: m.id };
  if (m.context?.id) event.replyTo = m.context.id;
  return event;
}

/** The sender's WhatsApp profile name, from the change's `contacts`. */
function profileName(value: ChangeValue, waId: string): string | undefined {
  const contacts = Array.isArray(value.contacts) ? value.contacts : [];
  const contact = contacts.find((c) => c?.wa_id === waId) ?? (contacts.length === 1 ? contacts[0] : undefined);
  return typeof contact?.profile?.name === 'string' ? contact.profile.name : undefined;
}

/** Reply buttons, list rows and template quick-reply buttons all answer with a payload. */
function replyOf(m: WaMessage): { id: string; title: string } | undefined {
  if (m.type === 'button' && m.button?.payload !== undefined) return { id: m.button.payload, title: m.button.text ?? '' };
  if (m.type !== 'interactive') return undefined;
  const { type, button_reply, list_reply } = m.interactive ?? {};
  const pick = type === 'button_reply' ? button_reply : type === 'list_reply' ? list_reply : undefined;
  return pick?.id !== undefined ? { id: pick.id, title: pick.title ?? '' } : undefined;
}

function partsOf(m: WaMessage): Part[] | undefined {
  switch (m.type) {
    case 'text':
      return typeof m.text?.body === 'string' ? [{ kind: 'text', text: m.text.body }] : undefined;
    case 'image':
    case 'video':
      return media(m[m.type], m.type);
    case 'document':
      return media(m.document, 'file');
    case 'audio':
      return audio(m.audio);
    case 'sticker':
      return m.sticker?.id ? [{ kind: 'sticker', id: m.sticker.id, url: `platform:${m.sticker.id}` }] : undefined;
    case 'location':
      return location(m.location);
    case 'contacts':
      return contacts(m.contacts);
    default:
      return undefined;
  }
}

function media(obj: WaMedia | undefined, kind: 'image' | 'video' | 'file'): Part[] | undefined {
  if (!obj?.id) return undefined;
  const part: MediaPart = { kind, url: `platform:${obj.id}` };
  if (obj.mime_type) part.mimeType = obj.mime_type;
  if (obj.caption) part.caption = obj.caption;
  if (obj.filename) part.name = obj.filename;
  return [part];
}

/** `voice: true` marks a push-to-talk voice note, as opposed to a shared audio file. */
function audio(obj: WaMedia | undefined): Part[] | undefined {
  if (!obj?.id) return undefined;
  const part: AudioPart & { voice: boolean } = { kind: 'audio', url: `platform:${obj.id}`, voice: obj.voice === true };
  if (obj.mime_type) part.mimeType = obj.mime_type;
  return [part];
}

function location(loc: WaMessage['location']): Part[] | undefined {
  if (typeof loc?.latitude !== 'number' || typeof loc.longitude !== 'number') return undefined;
  const part: LocationPart = { kind: 'location', latitude: loc.latitude, longitude: loc.longitude };
  if (loc.name) part.name = loc.name;
  if (loc.address) part.address = loc.address;
  return [part];
}

function contacts(list: WaMessage['contacts']): Part[] | undefined {
  if (!Array.isArray(list) || list.length === 0) return undefined;
  return list.map((c) => {
    const name = c.name?.formatted_name || [c.name?.first_name, c.name?.last_name].filter(Boolean).join(' ');
    const part: ContactPart = { kind: 'contact', name };
    const phone = c.phones?.find((p) => p.phone)?.phone;
    const email = c.emails?.find((e) => e.email)?.email;
    if (phone) part.phone = phone;
    if (email) part.email = email;
    return part;
  });
}

function unsupportedDetail(m: WaMessage): string {
  const error = m.errors?.[0];
  return error ? errorText(error) : `message type "${m.type ?? 'missing'}"`;
}

function errorText(error: WaError): string {
  return [error.code, error.title ?? error.message].filter((x) => x !== undefined).join(' ');
}

function statusEvent(s: WaStatus, scope: ChangeScope): DeliveryEvent | undefined {
  // A signed body is still only as well-formed as its sender made it: ids must be text.
  if (typeof s.id !== 'string' || !s.id || typeof s.recipient_id !== 'string' || !s.recipient_id || !s.status || !STATUSES.has(s.status)) return undefined;
  const status = s.status as DeliveryEvent['status'];
  const base = baseOf(`${s.id}:${status}`, s.recipient_id, s.timestamp, scope, rawOf(scope.value, { statuses: [s] }));
  const event: DeliveryEvent = { ...base, type: 'delivery', messageId: s.id, status };
  const error = s.errors?.[0];
  if (status === 'failed' && error) event.error = { code: String(error.code ?? ''), title: error.title ?? error.message ?? '' };
  return event;
}

function baseOf(eventId: string, waId: string, timestamp: string | undefined, scope: ChangeScope, raw: ChangeValue): InboundBase {
  const ref: ConversationRef = { channelId: scope.channelId, chatId: waId, userId: waId };
  if (scope.phoneNumberId) ref.extra = { phoneNumberId: scope.phoneNumberId };
  const seconds = Number(timestamp);
  return { channelId: scope.channelId, eventId, ref, timestamp: Number.isFinite(seconds) ? seconds * 1000 : 0, raw };
}

/** The change with only this event's message or status: the platform payload kept as `raw`. */
function rawOf(value: ChangeValue, only: Pick<ChangeValue, 'messages'> | Pick<ChangeValue, 'statuses'>): ChangeValue {
  const { messages: _messages, statuses: _statuses, ...rest } = value;
  return { ...rest, ...only };
}

/** The shopper's country from their number: a language hint, never decisive (expats, travel). */
function countryHint(waId: string): LocaleHints | undefined {
  const country = /^\d{6,15}$/.test(waId) ? parsePhoneNumberFromString(`+${waId}`)?.country : undefined;
  return country ? { country } : undefined;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

function isObject<T>(value: T): value is T & object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
