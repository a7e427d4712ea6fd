import { describe, expect, it } from 'vitest';
import { isParleyError } from '../../src/core/errors.js';
import { fixture } from '../../test/support/twilio.js';
import { EMPTY_TWIML, normalizeWebhook, phoneId } from './normalize.js';
import { parseForm } from './verify.js';

const normalize = (name: string) => normalizeWebhook(parseForm(fixture(name)), 'sms');

describe('normalizeWebhook: inbound messages (Twilio docs webhook-request parameters)', () => {
  it('an SMS becomes a message keyed by MessageSid, from the E.164 sender, answered with empty TwiML', () => {
    const { ack, events } = normalize('inbound_sms.form');
    expect(ack).toEqual({ status: 200, body: EMPTY_TWIML, headers: { 'content-type': 'text/xml; charset=utf-8' } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'message',
      channelId: 'sms',
      eventId: 'SM1f0e8ae6ade43cb3c0ce4525424e404f',
      messageId: 'SM1f0e8ae6ade43cb3c0ce4525424e404f',
      ref: { channelId: 'sms', chatId: '14017122661', userId: '14017122661', extra: { address: '+14017122661', via: '+15558675310' } },
      hints: { country: 'US' },
      parts: [{ kind: 'text', text: 'Ahoy! We can do that' }],
    });
  });

  it('a Spanish SMS keeps its accents and gets the sender country as a hint', () => {
    const [event] = normalize('inbound_sms_es.form').events;
    expect(event).toMatchObject({
      type: 'message',
      ref: { userId: '34612345678' },
      hints: { country: 'ES' },
      parts: [{ text: '¿Cuánto tarda el envío a Alemania?' }],
    });
  });

  it('an MMS keeps its text and each MediaUrlN with its content type as a media part (not downloaded)', () => {
    const [event] = normalize('inbound_mms.form').events;
    expect(event?.type === 'message' && event.parts).toEqual([
      { kind: 'text', text: 'Here is the damaged box' },
      { kind: 'image', url: expect.stringMatching(/\/Media\/ME0a1b/), mimeType: 'image/jpeg' },
      { kind: 'video', url: expect.stringMatching(/\/Media\/ME9f8e/), mimeType: 'video/mp4' },
    ]);
  });

  it('STOP and START are membership changes, HELP a system event: never a message the bot answers', () => {
    expect(normalize('inbound_keyword_stop.form').events[0]).toMatchObject({ type: 'membership', change: 'blocked', ref: { userId: '14017122661' } });
    expect(normalize('inbound_keyword_start.form').events[0]).toMatchObject({ type: 'membership', change: 'unblocked' });
    expect(normalize('inbound_keyword_help.form').events[0]).toMatchObject({ type: 'system', name: 'sms.help' });
    const sentence = fixture('inbound_sms.form').replace('Body=Ahoy%21+We+can+do+that', 'Body=please+stop+the+order');
    expect(normalizeWebhook(parseForm(sentence), 'sms').events[0]?.type).toBe('message');
  });

  it('a form without MessageSid or From is BAD_PAYLOAD (400); an empty body with no media is a system event', () => {
    let thrown: unknown;
    try {
      normalizeWebhook(parseForm('Body=hi'), 'sms');
    } catch (err) {
      thrown = err;
    }
    expect(isParleyError(thrown, 'BAD_PAYLOAD')).toBe(true);
    const empty = fixture('inbound_sms.form').replace('Body=Ahoy%21+We+can+do+that', 'Body=');
    expect(normalizeWebhook(parseForm(empty), 'sms').events[0]).toMatchObject({ type: 'system', name: 'sms.empty' });
  });
});

describe('normalizeWebhook: status callbacks (Twilio docs track-outbound-message-status)', () => {
  const SID = 'SM1342fe1b2c904d1ab04f0fc7a58abca9';

  it.each([
    ['status_sent.form', 'sent'],
    ['status_delivered.form', 'delivered'],
    ['status_undelivered_30003.form', 'failed'],
  ])('%s is a delivery event "%s" of the sent message, in its conversation', (file, status) => {
    const { ack, events } = normalize(file);
    expect(ack.status).toBe(200);
    expect(events[0]).toMatchObject({ type: 'delivery', messageId: SID, status, ref: { userId: '15558675310' } });
  });

  it('undelivered carries the error code; statuses before "sent" change nothing', () => {
    expect(normalize('status_undelivered_30003.form').events[0]).toMatchObject({ error: { code: '30003' }, eventId: `${SID}:undelivered` });
    expect(normalize('status_queued.form').events).toEqual([]);
    const read = fixture('status_sent.form').replaceAll('=sent', '=read');
    expect(normalizeWebhook(parseForm(read), 'sms').events[0]).toMatchObject({ type: 'delivery', status: 'read' });
  });

  it('failed with 21610 (the shopper had texted STOP) also marks the shopper unreachable here', () => {
    const events = normalize('status_failed_21610.form').events;
    expect(events.map((e) => e.type)).toEqual(['delivery', 'membership']);
    expect(events[1]).toMatchObject({ change: 'blocked', ref: { userId: '15558675310' } });
  });
});

describe('phoneId', () => {
  it('E.164 without the plus, else the address as sent', () => {
    expect(phoneId('+34 612 34 56 78')).toEqual({ id: '34612345678', country: 'ES' });
    expect(phoneId('72345')).toEqual({ id: '72345' });
    expect(phoneId('+1')).toEqual({ id: '+1' });
  });
});
