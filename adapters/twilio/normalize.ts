import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { Normalized } from '../../src/core/adapter.js';
import { ParleyError } from '../../src/core/errors.js';
import type { ConversationRef, DeliveryEvent, DeliveryStatus, InboundBase, InboundEvent, LocaleHints, Part } from '../../src/core/message.js';
import { smsKeyword } from './keywords.js';
import type { TwilioParams } from './verify.js';

/**
 * Twilio's answer to every webhook: empty TwiML, so Twilio sends nothing itself; replies go out
 * through the Messages API from the outbox.
 */
export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';
const ACK = { status: 200, body: EMPTY_TWIML, headers: { 'content-type': 'text/xml; charset=utf-8' } };

/**
 * Status callback values and what they mean to Parley; those absent (queued, accepted,
 * scheduled, sending) are steps before "sent" and change nothing.
 * https://www.twilio.com/docs/messaging/guides/outbound-message-status-in-status-callbacks
 */
const STATUS: Record<string, DeliveryStatus> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  undelivered: 'failed',
  failed: 'failed',
  canceled: 'failed',
};
/** Statuses of messages Parley sent (an inbound message's `SmsStatus` is `received`). */
const OUTBOUND_STATUSES = new Set([...Object.keys(STATUS), 'queued', 'accepted', 'scheduled', 'sending', 'partially_delivered']);
/** Twilio error 21610: the recipient texted STOP; nothing reaches them until they opt in again. */
const UNSUBSCRIBED = '21610';

const one = (params: TwilioParams, name: string): string | undefined => {
  const v = params[name]?.[0];
  return v === undefined || v.trim() === '' ? undefined : v;
};

/**
 * A phone address as Parley keeps it: the E.164 number without its `+` (the form WhatsApp's
 * user ids have, so care's phone lookups match both), or the address as sent when it is not a
 * phone number (a short code, an alphanumeric sender).
 *
 * @example
 * ```ts
 * phoneId('+34 612 34 56 78'); // { id: '34612345678', country: 'ES' }
 * phoneId('72345');            // { id: '72345' }
 * ```
 */
export function phoneId(address: string): { id: string; country?: string } {
  const phone = address.startsWith('+') ? parsePhoneNumberFromString(address) : undefined;
  if (phone?.isPossible()) return { id: phone.number.slice(1), ...(phone.country ? { country: phone.country } : {}) };
  return { id: address.trim() };
}

/**
 * Turns a verified Messaging webhook into events: an inbound SMS/MMS (event id `MessageSid`, so
 * a redelivery is one event), or a status callback of a message Parley sent (`<sid>:<status>`).
 * STOP and START become membership changes and HELP a system event: Twilio answers those
 * itself, so the bot must not. A form without the fields of either throws `BAD_PAYLOAD` (400).
 */
export function normalizeWebhook(params: TwilioParams, channelId: string): Normalized {
  const status = one(params, 'MessageStatus') ?? one(params, 'SmsStatus');
  if (status && OUTBOUND_STATUSES.has(status)) return { ack: ACK, events: statusEvents(params, status, channelId) };
  const sid = one(params, 'MessageSid') ?? one(params, 'SmsMessageSid') ?? one(params, 'SmsSid');
  const from = one(params, 'From');
  if (!sid || !from) throw new ParleyError('BAD_PAYLOAD', 'Twilio webhook has no MessageSid or From.');
  return { ack: ACK, events: [inboundEvent(params, sid, from, channelId)] };
}

function conversation(address: string, channelId: string, ours: string | undefined): { ref: ConversationRef; hints?: LocaleHints } {
  const { id, country } = phoneId(address);
  // Why keep both addresses: the reply goes to the shopper's address from the number they wrote to.
  const extra: Record<string, unknown> = { address };
  if (ours) extra.via = ours;
  return { ref: { channelId, chatId: id, userId: id, extra }, ...(country ? { hints: { country } } : {}) };
}

function inboundEvent(params: TwilioParams, sid: string, from: string, channelId: string): InboundEvent {
  const { ref, hints } = conversation(from, channelId, one(params, 'To'));
  const base: InboundBase = { channelId, eventId: sid, ref, timestamp: 0, raw: params, ...(hints ? { hints } : {}) };
  const body = params.Body?.[0] ?? '';
  const keyword = smsKeyword(body);
  if (keyword === 'opt_out') return { ...base, type: 'membership', change: 'blocked' };
  if (keyword === 'opt_in') return { ...base, type: 'membership', change: 'unblocked' };
  if (keyword === 'help') return { ...base, type: 'system', name: 'sms.help', detail: 'answered by Twilio' };
  const parts: Part[] = [...(body.trim() ? [{ kind: 'text', text: body } as const] : []), ...mediaParts(params)];
  if (!parts.length) return { ...base, type: 'system', name: 'sms.empty' };
  return { ...base, type: 'message', messageId: sid, parts };
}

/** MMS media stay on Twilio (`MediaUrlN`, fetched with the account's credentials when needed). */
function mediaParts(params: TwilioParams): Part[] {
  const count = Math.min(Number(one(params, 'NumMedia') ?? 0) || 0, 10);
  const parts: Part[] = [];
  for (let i = 0; i < count; i++) {
    const url = one(params, `MediaUrl${i}`);
    if (!url || !/^https?:\/\//i.test(url)) continue;
    const mimeType = one(params, `MediaContentType${i}`) ?? 'application/octet-stream';
    const kind = /^image\//i.test(mimeType) ? 'image' : /^video\//i.test(mimeType) ? 'video' : /^audio\//i.test(mimeType) ? 'audio' : 'file';
    parts.push({ kind, url, mimeType });
  }
  return parts;
}

function statusEvents(params: TwilioParams, status: string, channelId: string): InboundEvent[] {
  const sid = one(params, 'MessageSid') ?? one(params, 'SmsSid');
  const to = one(params, 'To');
  const mapped = STATUS[status];
  if (!sid || !to || !mapped) return [];
  const { ref } = conversation(to, channelId, one(params, 'From'));
  const base: InboundBase = { channelId, eventId: `${sid}:${status}`, ref, timestamp: 0, raw: params };
  const event: DeliveryEvent = { ...base, type: 'delivery', messageId: sid, status: mapped };
  const code = one(params, 'ErrorCode');
  if (mapped === 'failed' && code) event.error = { code, title: one(params, 'ErrorMessage') ?? `Twilio error ${code}` };
  // A message refused because the shopper had texted STOP: care stops texting them here.
  if (code === UNSUBSCRIBED) return [event, { ...base, eventId: `${sid}:${UNSUBSCRIBED}`, type: 'membership', change: 'blocked' }];
  return [event];
}
