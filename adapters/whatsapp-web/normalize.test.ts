import { describe, expect, it } from 'vitest';
import type { DeliveryEvent, MessageEvent, SystemEvent } from '../../src/core/message.js';
import { contactFromVCard, countryOfWid, normalizeAck, normalizeMessage } from './normalize.js';
import { fixture } from '../../test/support/whatsapp-web.js';
import { MessageAck } from './wire.js';

const options = { channelId: 'wa-web', allowGroups: false };
const one = <T>(name: string, opts = options) => {
  const { events } = normalizeMessage(fixture(name), opts);
  expect(events).toHaveLength(1);
  return events[0] as T;
};

describe('normalizeMessage (fixtures shaped after whatsapp-web.js Message)', () => {
  it('text: stable id, chat and user from the wid, country from the number, sender name', () => {
    const event = one<MessageEvent>('message_chat');
    expect(event).toMatchObject({
      type: 'message',
      channelId: 'wa-web',
      eventId: 'false_491701234567@c.us_A5F1C3E0B2D4F6A8C0E2B4D6F8A0C2E4',
      messageId: 'false_491701234567@c.us_A5F1C3E0B2D4F6A8C0E2B4D6F8A0C2E4',
      ref: { channelId: 'wa-web', chatId: '491701234567@c.us', userId: '491701234567@c.us' },
      timestamp: 1_717_171_717_000,
      hints: { country: 'DE' },
      senderName: 'Jonas',
      parts: [{ kind: 'text', text: 'Hallo! Wo ist meine Bestellung #10234?' }],
    });
  });

  it('keeps a JSON-safe raw copy of the plain fields', () => {
    const event = one<MessageEvent>('message_chat');
    expect(JSON.parse(JSON.stringify(event.raw))).toMatchObject({ id: { _serialized: event.eventId }, type: 'chat' });
    const withClient = { ...fixture('message_chat'), client: { pupPage: { self: null as unknown } } };
    withClient.client.pupPage.self = withClient;
    expect(() => JSON.stringify(normalizeMessage(withClient, options).events[0]?.raw)).not.toThrow();
  });

  it('image: platform media url, mime type and caption', () => {
    expect(one<MessageEvent>('message_image')).toMatchObject({
      hints: { country: 'ES' },
      parts: [{ kind: 'image', url: 'platform:false_34612345678@c.us_3A7D2C9B1E4F6A8C0D2E', mimeType: 'image/jpeg', caption: '¿Este es el color correcto?' }],
    });
  });

  it('voice note and audio: audio parts with duration', () => {
    expect(one<MessageEvent>('message_ptt').parts).toEqual([
      { kind: 'audio', url: 'platform:false_5511987654321@c.us_3EB0C4A1B2C3D4E5F6A7', mimeType: 'audio/ogg; codecs=opus', durationSec: 7 },
    ]);
    expect(one<MessageEvent>('message_ptt').hints).toEqual({ country: 'BR' });
    expect(one<MessageEvent>('message_audio').parts).toEqual([
      { kind: 'audio', url: 'platform:false_5511987654321@c.us_3EB0C4A1B2C3D4E5F6A8', mimeType: 'audio/mpeg', durationSec: 184 },
    ]);
  });

  it('document: file part with filename and caption', () => {
    expect(one<MessageEvent>('message_document')).toMatchObject({
      hints: { country: 'FR' },
      parts: [
        {
          kind: 'file',
          url: 'platform:false_33612345678@c.us_3EB05F2E8D1C4B7A9E60',
          mimeType: 'application/pdf',
          name: 'facture-10234.pdf',
          caption: 'Voici la facture',
        },
      ],
    });
  });

  it('location: coordinates, name and address; the thumbnail body is neither text nor raw', () => {
    const event = one<MessageEvent>('message_location');
    expect(event.parts).toEqual([{ kind: 'location', latitude: 52.3731, longitude: 4.8922, name: 'Pawsome Store', address: 'Kalverstraat 1, Amsterdam' }]);
    expect(event.hints).toEqual({ country: 'NL' });
    expect((event.raw as { body: string }).body).toBe('');
    expect(one<MessageEvent>('message_location_current').parts).toEqual([{ kind: 'location', latitude: 52.0907, longitude: 5.1214 }]);
  });

  it('a location with only the description string splits it into name and address', () => {
    const msg = { ...fixture('message_location'), location: { latitude: 1.5, longitude: 2.5, description: 'Shop\nMain St 1' } };
    expect((normalizeMessage(msg, options).events[0] as MessageEvent).parts).toEqual([
      { kind: 'location', latitude: 1.5, longitude: 2.5, name: 'Shop', address: 'Main St 1' },
    ]);
  });

  it('sticker and contact card', () => {
    expect(one<MessageEvent>('message_sticker').parts).toEqual([
      {
        kind: 'sticker',
        id: 'false_491701234567@c.us_A5F1C3E0B2D4F6A8C0E2B4D6F8A0C2E5',
        url: 'platform:false_491701234567@c.us_A5F1C3E0B2D4F6A8C0E2B4D6F8A0C2E5',
      },
    ]);
    expect(one<MessageEvent>('message_vcard').parts).toEqual([{ kind: 'contact', name: 'Lena Schmidt', phone: '+49 151 12345678' }]);
  });

  it('a @lid chat has no phone number, so no country hint', () => {
    const event = one<MessageEvent>('message_lid_chat');
    expect(event.ref).toMatchObject({ chatId: '178923456781234@lid', userId: '178923456781234@lid' });
    expect(event.hints).toBeUndefined();
  });

  it('ignores own messages, status broadcasts and WhatsApp notices', () => {
    expect(normalizeMessage(fixture('message_from_me'), options)).toEqual({ events: [], skipped: 'sent by this account' });
    expect(normalizeMessage(fixture('message_status_broadcast'), options)).toEqual({ events: [], skipped: 'status broadcast' });
    expect(normalizeMessage(fixture('message_e2e_notification'), options).events).toEqual([]);
  });

  it('ignores groups unless allowGroups; then the chat is the group and the user the author', () => {
    expect(normalizeMessage(fixture('message_group_chat'), options).events).toEqual([]);
    const event = one<MessageEvent>('message_group_chat', { ...options, allowGroups: true });
    expect(event.ref).toEqual({ channelId: 'wa-web', chatId: '120363025246125486@g.us', userId: '447400123456@c.us' });
    expect(event.hints).toEqual({ country: 'GB' });
    expect(event.eventId).toBe('false_120363025246125486@g.us_3EB0F1E2D3C4B5A69788_447400123456@c.us');
  });

  it('an unreadable type becomes a system event, never a throw', () => {
    expect(one<SystemEvent>('message_poll')).toMatchObject({
      type: 'system',
      name: 'unsupported_message',
      detail: 'poll_creation',
      eventId: 'false_491701234567@c.us_A5F1C3E0B2D4F6A8C0E2B4D6F8A0C2E7',
    });
  });

  it('bad input gives no event and a reason, never a throw', () => {
    for (const bad of [null, undefined, 42, 'text', {}, { id: 'x' }, { ...fixture('message_chat'), timestamp: 'yesterday' }]) {
      expect(normalizeMessage(bad, options)).toEqual({ events: [], skipped: 'not a whatsapp-web.js message' });
    }
  });
});

describe('normalizeAck (MessageAck on a sent message)', () => {
  const now = 1_717_200_000_000;
  const sent = fixture('sent_message');
  const ack = (value: number) => normalizeAck(sent, value, options, now).events[0] as DeliveryEvent | undefined;

  it('maps ACK_SERVER, ACK_DEVICE, ACK_READ, ACK_PLAYED and ACK_ERROR to delivery statuses', () => {
    expect(ack(MessageAck.ACK_SERVER)).toMatchObject({
      type: 'delivery',
      status: 'sent',
      messageId: 'true_491701234567@c.us_3EB0A1B2C3D4E5F60718',
      eventId: 'true_491701234567@c.us_3EB0A1B2C3D4E5F60718:ack:1',
      ref: { channelId: 'wa-web', chatId: '491701234567@c.us', userId: '491701234567@c.us' },
      timestamp: now,
    });
    expect(ack(MessageAck.ACK_DEVICE)?.status).toBe('delivered');
    expect(ack(MessageAck.ACK_READ)?.status).toBe('read');
    expect(ack(MessageAck.ACK_PLAYED)?.status).toBe('read');
    expect(ack(MessageAck.ACK_ERROR)).toMatchObject({ status: 'failed', error: { code: 'ACK_ERROR' } });
  });

  it('ACK_PENDING, unknown values and acks of received messages give no event', () => {
    expect(ack(MessageAck.ACK_PENDING)).toBeUndefined();
    expect(ack(9)).toBeUndefined();
    expect(normalizeAck(fixture('message_chat'), MessageAck.ACK_READ, options, now).events).toEqual([]);
    expect(normalizeAck({ nope: true }, 1, options, now).events).toEqual([]);
  });
});

describe('helpers', () => {
  it('countryOfWid reads only phone wids', () => {
    expect(countryOfWid('491701234567@c.us')).toBe('DE');
    expect(countryOfWid('14155550123@c.us')).toBe('US');
    expect(countryOfWid('178923456781234@lid')).toBeUndefined();
    expect(countryOfWid('120363025246125486@g.us')).toBeUndefined();
  });

  it('contactFromVCard needs a name', () => {
    expect(contactFromVCard('BEGIN:VCARD\r\nFN:Ana\r\nTEL;type=CELL:+55 11 98765-4321\r\nEND:VCARD')).toEqual({
      kind: 'contact',
      name: 'Ana',
      phone: '+55 11 98765-4321',
    });
    expect(contactFromVCard('BEGIN:VCARD\nEND:VCARD')).toBeUndefined();
  });
});
