import { describe, expect, it } from 'vitest';
import { isParleyError } from '../../src/core/errors.js';
import type { InboundEvent } from '../../src/core/message.js';
import type { Logger } from '../../src/core/ports.js';
import { silentLogger } from '../../src/core/ports.js';
import { normalizeWebhook } from './normalize.js';
import { fixtureBodies, fixtureBytes } from '../../test/support/whatsapp.js';

const scope = { channelId: 'wa-test', log: silentLogger };
const events = (name: string) => normalizeWebhook(fixtureBytes(name), scope).events;
const only = (name: string): InboundEvent => {
  const list = events(name);
  expect(list).toHaveLength(1);
  return list[0] as InboundEvent;
};
const pywa = (key: string) => only(`pywa_${key}.json`);

const shopperRef = { channelId: 'wa-test', chatId: '972987654321', userId: '972987654321', extra: { phoneNumberId: '1122334455667' } };

describe('normalizeWebhook: messages', () => {
  it('normalises the Meta doc text example with sender, country and business number', () => {
    expect(only('meta_doc_text_message.json')).toMatchObject({
      type: 'message',
      channelId: 'wa-test',
      eventId: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
      messageId: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
      ref: { channelId: 'wa-test', chatId: '16505551234', userId: '16505551234', extra: { phoneNumberId: '106540352242922' } },
      timestamp: 1749416383000,
      senderName: 'Sheena Nelson',
      hints: { country: 'US' },
      parts: [{ kind: 'text', text: 'Does it come in another color?' }],
    });
  });

  it('keeps the platform payload of just this message as raw', () => {
    const event = only('meta_doc_text_message.json');
    expect(event.raw).toMatchObject({ metadata: { phone_number_id: '106540352242922' }, messages: [{ type: 'text' }] });
  });

  it('text, with a reply context → replyTo; a referral keeps the text', () => {
    expect(pywa('message_text')).toMatchObject({
      type: 'message',
      ref: shopperRef,
      hints: { country: 'IL' },
      senderName: 'Test Name',
      parts: [{ kind: 'text', text: 'Body Text' }],
    });
    expect(pywa('message_text')).not.toHaveProperty('replyTo');
    expect(pywa('message_text_reply_context')).toMatchObject({ replyTo: 'wamid.xyzxyz==', parts: [{ kind: 'text', text: 'replied text' }] });
    expect(pywa('message_referral_ctwa')).toMatchObject({ eventId: 'wamid.ID', parts: [{ kind: 'text', text: 'BODY' }] });
  });

  it('media become platform:<media id> parts with their details', () => {
    expect(pywa('message_image')).toMatchObject({ parts: [{ kind: 'image', url: 'platform:65463453', mimeType: 'image/jpeg' }] });
    expect(pywa('message_video')).toMatchObject({ parts: [{ kind: 'video', url: 'platform:765756756', mimeType: 'video/mp4', caption: 'caption' }] });
    expect(pywa('message_document')).toMatchObject({
      parts: [{ kind: 'file', url: 'platform:1234567890987654321', mimeType: 'application/pdf', name: 'filename.pdf', caption: 'caption' }],
    });
    expect(pywa('message_sticker')).toMatchObject({ parts: [{ kind: 'sticker', id: '1234567890987654321', url: 'platform:1234567890987654321' }] });
    // A forwarded message has a context without an id: no replyTo.
    expect(pywa('message_document')).not.toHaveProperty('replyTo');
  });

  it('audio files and voice notes are told apart', () => {
    expect(pywa('message_audio')).toMatchObject({
      parts: [{ kind: 'audio', url: 'platform:1234567890987654321', mimeType: 'audio/ogg; codecs=opus', voice: false }],
    });
    expect(pywa('message_audio_voice_note')).toMatchObject({ parts: [{ kind: 'audio', voice: true }] });
  });

  it('locations and contacts', () => {
    expect(pywa('message_location_current')).toMatchObject({ parts: [{ kind: 'location', latitude: 12.25089, longitude: 43.90539 }] });
    expect(pywa('message_location_chosen_place')).toMatchObject({
      parts: [{ kind: 'location', latitude: 37.4611978, longitude: -122.2164385, name: 'Facebook HQ', address: '1 Hacker Way, Menlo Park, CA 94025' }],
    });
    expect(pywa('message_contacts')).toMatchObject({
      parts: [
        { kind: 'contact', name: 'Chandler Bing', phone: '+1 555-555-5555' },
        { kind: 'contact', name: 'Monica', phone: '+1 666-666-6666' },
        { kind: 'contact', name: 'Rachel Green', phone: '+1 777-777-7777' },
      ],
    });
  });

  it('reply buttons, list rows and template quick replies become postbacks', () => {
    expect(pywa('interactive_button_reply')).toMatchObject({
      type: 'postback',
      eventId: 'wamid.xyzxyz',
      payload: 'callback_data',
      label: 'title',
      ref: shopperRef,
    });
    expect(pywa('interactive_list_reply')).toMatchObject({ type: 'postback', eventId: 'wamid.zyzxyz', payload: 'callback_data', label: 'title' });
    expect(pywa('interactive_list_reply_with_description')).toMatchObject({ type: 'postback', payload: 'callback_data', label: 'title' });
    expect(pywa('template_quick_reply_button')).toMatchObject({ type: 'postback', eventId: 'wamid.xsidjw', payload: 'callback_data', label: 'title' });
  });

  it('reactions, and a removed reaction as an empty emoji', () => {
    expect(pywa('message_reaction')).toMatchObject({ type: 'reaction', messageId: 'wamid.yzxyzx=', emoji: '😮' });
    expect(pywa('message_reaction_removed')).toMatchObject({ type: 'reaction', messageId: 'wamid.yzxyzx=', emoji: '' });
  });

  it('an unsupported message becomes a system event naming the error', () => {
    expect(pywa('message_unsupported')).toMatchObject({ type: 'system', name: 'whatsapp.unsupported', detail: '131051 Message type unknown', ref: shopperRef });
  });
});

describe('normalizeWebhook: statuses', () => {
  it('sent, delivered and read become delivery events keyed <wamid>:<status>', () => {
    for (const status of ['sent', 'delivered', 'read'] as const) {
      expect(pywa(`status_${status}`)).toMatchObject({
        type: 'delivery',
        eventId: `wamid.xyzxyz:${status}`,
        messageId: 'wamid.xyzxyz',
        status,
        ref: shopperRef,
      });
    }
    expect(pywa('status_sent').timestamp).toBe(1698266945000);
  });

  it('failed keeps the error code and title', () => {
    expect(pywa('status_failed')).toMatchObject({
      type: 'delivery',
      status: 'failed',
      error: { code: '130472', title: "User's number is part of an experiment" },
    });
  });

  it('the recorded conversation: two messages and a status', () => {
    const recorded = fixtureBodies().filter((f) => f.name.startsWith('recorded:'));
    const all = recorded.flatMap((f) => normalizeWebhook(f.body, scope).events);
    expect(all.map((e) => [e.type, e.eventId])).toEqual([
      ['message', 'wamid.FAKE_MSG_ID_001'],
      ['message', 'wamid.FAKE_MSG_ID_002'],
      ['delivery', 'wamid.FAKE_MSG_SENT_001:sent'],
    ]);
    expect(all[0]).toMatchObject({ senderName: 'Test User', ref: { chatId: '15550002222', extra: { phoneNumberId: '100000000000001' } } });
  });
});

describe('normalizeWebhook: batches', () => {
  it('every entry, change, message and status becomes its own event', () => {
    const text = JSON.parse(fixtureBytes('pywa_message_text.json').toString());
    const read = JSON.parse(fixtureBytes('pywa_status_read.json').toString());
    const delivered = JSON.parse(fixtureBytes('pywa_status_delivered.json').toString());
    const reaction = JSON.parse(fixtureBytes('meta_doc_text_message.json').toString());
    const value = text.entry[0].changes[0].value;
    value.messages.push({ ...value.messages[0], id: 'wamid.second', text: { body: 'Second' } });
    value.statuses = [...read.entry[0].changes[0].value.statuses, ...delivered.entry[0].changes[0].value.statuses];
    const body = { ...text, entry: [...text.entry, ...reaction.entry] };
    const list = normalizeWebhook(Buffer.from(JSON.stringify(body)), scope).events;
    expect(list.map((e) => e.eventId)).toEqual([
      'wamid.xyzxyz',
      'wamid.second',
      'wamid.xyzxyz:read',
      'wamid.xyzxyz:delivered',
      'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
    ]);
    expect(list[4]?.ref.extra).toEqual({ phoneNumberId: '106540352242922' });
    expect(list[0]?.ref.extra).toEqual({ phoneNumberId: '1122334455667' });
  });
});

describe('normalizeWebhook: bad input', () => {
  const warnings: object[] = [];
  const log: Logger = { ...silentLogger, warn: (obj) => void warnings.push(obj), child: () => log };
  const run = (body: unknown) => normalizeWebhook(Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)), { channelId: 'wa-test', log });
  const message = (m: Record<string, unknown>) => ({
    object: 'whatsapp_business_account',
    entry: [{ id: '1', changes: [{ field: 'messages', value: { metadata: { phone_number_id: '1' }, messages: [m] } }] }],
  });

  it('a body that is not JSON is a bad payload (400, so Meta retries a truncated delivery)', () => {
    let caught: unknown;
    try {
      run('{"object":"whatsapp_business_acc');
    } catch (err) {
      caught = err;
    }
    expect(isParleyError(caught, 'BAD_PAYLOAD')).toBe(true);
  });

  it('JSON of the wrong shape is acknowledged with no events and a warning', () => {
    for (const body of [
      [],
      'null',
      { object: 'page', entry: [] },
      { object: 'whatsapp_business_account' },
      { object: 'whatsapp_business_account', entry: 'x' },
    ]) {
      expect(run(body)).toEqual({ ack: { status: 200 }, events: [] });
    }
    expect(warnings.length).toBeGreaterThan(0);
  });

  it('odd entries, other fields and unknown statuses are skipped without a crash', () => {
    const body = {
      object: 'whatsapp_business_account',
      entry: [
        null,
        { changes: null },
        { changes: [null, { field: 'message_template_status_update', value: { event: 'APPROVED' } }, { field: 'messages', value: 'x' }] },
        {
          changes: [
            { field: 'messages', value: { messages: [null, { from: '1' }, { id: 'x' }], statuses: [{ id: 'w', status: 'deleted', recipient_id: '1' }, 7] } },
          ],
        },
      ],
    };
    expect(run(body).events).toEqual([]);
  });

  it('one item of an unexpected shape does not cost the rest of the batch', () => {
    const body = message({ id: 'wamid.c', from: '34612345678', timestamp: '1', type: 'contacts', contacts: [null] });
    const value = body.entry[0]?.changes[0]?.value as { messages: unknown[] };
    value.messages.push({ id: 'wamid.ok', from: '34612345678', timestamp: '1', type: 'text', text: { body: 'still here' } });
    expect(run(body).events.map((e) => e.eventId)).toEqual(['wamid.ok']);
  });

  it('unknown message types and malformed known ones become system events', () => {
    for (const m of [
      { id: 'wamid.o', from: '34612345678', timestamp: '1', type: 'order', order: { catalog_id: 'c' } },
      { id: 'wamid.t', from: '34612345678', timestamp: '1', type: 'text' },
      { id: 'wamid.i', from: '34612345678', timestamp: '1', type: 'interactive', interactive: { type: 'nfm_reply' } },
      { id: 'wamid.l', from: '34612345678', timestamp: '1', type: 'location', location: { latitude: 'north' } },
    ]) {
      const [event] = run(message(m)).events;
      expect(event).toMatchObject({ type: 'system', name: 'whatsapp.unsupported', eventId: m.id, hints: { country: 'ES' } });
    }
  });
});
