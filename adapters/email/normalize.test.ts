import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { conversationKey, type MessageEvent } from '../../src/core/message.js';
import { parseMime } from './mail.js';
import { attachmentBytes, mailEvents, normalizeMailgun, normalizeWebhook } from './normalize.js';
import { ourMessageId } from './thread.js';
import type { MailgunForm } from './verify.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const ctx = { channelId: 'support', address: 'support@shop.example' };
const eventsOf = async (eml: Buffer | string) => mailEvents(await parseMime(Buffer.from(eml)), ctx);
const message = async (name: string) => {
  const { events } = await eventsOf(fixture(name));
  expect(events).toHaveLength(1);
  return events[0] as MessageEvent;
};
const textOf = (e: MessageEvent) => e.parts.flatMap((p) => (p.kind === 'text' ? [p.text] : [])).join('\n');

describe('e-mail into events', () => {
  it('a new German mail opens a thread named by its Message-ID, subject first, signature stripped', async () => {
    const e = await message('de-new.eml');
    expect(e).toMatchObject({
      type: 'message',
      channelId: 'support',
      eventId: 'CAF7b2kQ9x1@mail.example.de',
      messageId: 'CAF7b2kQ9x1@mail.example.de',
      senderName: 'Anna Schmidt',
      timestamp: Date.parse('2026-12-07T09:15:00Z'),
      ref: { chatId: 'anna.schmidt@example.de', threadId: 'CAF7b2kQ9x1@mail.example.de', userId: 'anna.schmidt@example.de' },
    });
    const text = textOf(e);
    expect(text).toMatch(/^Lieferzeit nach Deutschland\n\n/);
    expect(text).toContain('wie lange dauert der Versand nach Deutschland? Ich möchte ein Hundebett für meinen Hund bestellen.');
    expect(text).not.toContain('Gartenstraße');
    // The whole mail stays for agents.
    expect((e.raw as { text: string }).text).toContain('Gartenstraße 5');
    expect(e.ref.extra).toEqual({
      address: 'anna.schmidt@example.de',
      subject: 'Lieferzeit nach Deutschland',
      inReplyTo: 'CAF7b2kQ9x1@mail.example.de',
      references: ['CAF7b2kQ9x1@mail.example.de'],
    });
  });

  it('a reply to our answer lands in the thread of the first mail; the quote and "Von meinem iPhone gesendet" are stripped', async () => {
    const ours = ourMessageId('CAF7b2kQ9x1@mail.example.de', 'out-1:0', 'shop.example');
    const e = await message('de-reply.eml');
    expect(e.ref.threadId).toBe('CAF7b2kQ9x1@mail.example.de');
    const replyOnlyToOurs = (
      await eventsOf(
        fixture('de-reply.eml')
          .toString()
          .replaceAll('REPLY_TO', ours)
          .replace(/^References:.*\r\n/m, ''),
      )
    ).events[0] as MessageEvent;
    expect(replyOnlyToOurs.ref.threadId).toBe('CAF7b2kQ9x1@mail.example.de');
    expect(replyOnlyToOurs.replyTo).toBe(ours);
    const text = textOf(replyOnlyToOurs);
    expect(text).toBe('Danke! Und kann ich das Hundebett zurückschicken, wenn es nicht passt?');
    expect((replyOnlyToOurs.raw as { text: string }).text).toContain('2–3 Werktage');
  });

  it("a stranger naming another shopper's thread in References gets a conversation of their own", async () => {
    const forged = fixture('de-reply.eml').toString().replaceAll('REPLY_TO', 'x@y.example').replace('anna.schmidt@example.de', 'mallory@evil.example');
    const e = (await eventsOf(forged)).events[0] as MessageEvent;
    expect(e.ref).toMatchObject({ chatId: 'mallory@evil.example', threadId: 'CAF7b2kQ9x1@mail.example.de' });
    expect(conversationKey(e.ref)).not.toBe(
      conversationKey({ channelId: 'support', chatId: 'anna.schmidt@example.de', threadId: 'CAF7b2kQ9x1@mail.example.de' }),
    );
  });

  it('an HTML-only mail is read as text, without markup or styles', async () => {
    const text = textOf(await message('html-only.eml'));
    expect(text).toContain('Where is my order PS-100234?');
    expect(text).not.toMatch(/<|color:red/);
  });

  it('attachments become media parts with name, type and size; the bytes stay in the mailbox', async () => {
    const e = await message('attachments.eml');
    expect(e.parts.slice(1)).toEqual([
      { kind: 'file', url: 'platform:att-1%40example.fr/0', mimeType: 'application/pdf', name: 'facture.pdf', size: 29 },
      { kind: 'image', url: 'platform:att-1%40example.fr/1', mimeType: 'image/png', name: 'colis.png', size: 70 },
    ]);
  });

  it.each([
    ['auto-reply.eml', 'auto-submitted'],
    ['bounce.eml', 'mailer-daemon'],
  ])('%s is not answered (%s)', async (name, why) => {
    expect(await eventsOf(fixture(name))).toEqual({ events: [], ignored: why });
  });

  it('our own mail and Precedence: bulk are not answered', async () => {
    const own = fixture('de-new.eml').toString().replace('From: Anna Schmidt <anna.schmidt@example.de>', 'From: Support <SUPPORT@shop.example>');
    expect((await eventsOf(own)).ignored).toBe('own');
    const bulk = fixture('de-new.eml').toString().replace('MIME-Version: 1.0', 'Precedence: bulk\r\nMIME-Version: 1.0');
    expect((await eventsOf(bulk)).ignored).toBe('precedence');
    const notAuto = fixture('de-new.eml').toString().replace('MIME-Version: 1.0', 'Auto-Submitted: no\r\nMIME-Version: 1.0');
    expect((await eventsOf(notAuto)).events).toHaveLength(1);
  });
});

describe('Postmark inbound webhook', () => {
  it("reads Postmark's documented example: sender, HTML and text, attachment metadata", () => {
    const { ack, events } = normalizeWebhook(fixture('postmark-inbound.json'), ctx);
    expect(ack.status).toBe(200);
    const e = events[0] as MessageEvent;
    expect(e).toMatchObject({
      eventId: '73e6d360-66eb-11e1-8e72-a8904824019b@inbound.postmarkapp.com',
      ref: { userId: 'support@postmarkapp.com' },
      senderName: 'Postmarkapp Support',
      timestamp: Date.parse('2014-08-01T20:45:32Z'),
    });
    expect(e.parts).toEqual([
      { kind: 'text', text: 'Test subject\n\nThis is a test text body.' },
      { kind: 'file', url: expect.stringMatching(/^platform:/), mimeType: 'text/plain', name: 'test.txt', size: 45 },
    ]);
  });

  it("keeps the attachment's bytes with the event: fetchMedia reads them back, capped", () => {
    const e = normalizeWebhook(fixture('postmark-inbound.json'), ctx).events[0] as MessageEvent;
    const url = (e.parts[1] as { url: string }).url;
    const media = attachmentBytes(url, e.raw, { maxBytes: 1000 });
    expect(media).toEqual({ data: Buffer.from('This is attachment contents, base-64 encoded.'), mimeType: 'text/plain', name: 'test.txt' });
    expect(() => attachmentBytes(url, e.raw, { maxBytes: 10 })).toThrow(expect.objectContaining({ details: { maxBytes: 10 } }));
    expect(() => attachmentBytes(url.replace(/\/0$/, '/7'), e.raw)).toThrow(expect.objectContaining({ code: 'DELIVERY_FAILED' }));
  });

  it("an IMAP mail (parsed MIME) keeps its attachments' bytes too", async () => {
    const mail = await parseMime(fixture('attachments.eml'));
    const e = mailEvents(mail, ctx).events[0] as MessageEvent;
    const files = e.parts.filter((p) => p.kind !== 'text') as { url: string; size?: number }[];
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(attachmentBytes(f.url, e.raw).data.length).toBe(f.size);
  });

  it('takes the RFC Message-ID and thread headers from Headers, and the HTML when there is no text', () => {
    const json = JSON.parse(fixture('postmark-inbound.json').toString());
    json.TextBody = '';
    json.Headers.push({ Name: 'Message-ID', Value: '<m2@example.com>' }, { Name: 'References', Value: '<root@example.com> <m1@example.com>' });
    const e = normalizeWebhook(Buffer.from(JSON.stringify(json)), ctx).events[0] as MessageEvent;
    expect(e.eventId).toBe('m2@example.com');
    expect(e.ref.threadId).toBe('root@example.com');
    expect(e.parts[0]).toEqual({ kind: 'text', text: 'This is a test html body.' });
  });

  it('refuses a body that is not Postmark JSON with BAD_PAYLOAD', () => {
    expect(() => normalizeWebhook(Buffer.from('{"hello":1}'), ctx)).toThrow(expect.objectContaining({ code: 'BAD_PAYLOAD' }));
    expect(() => normalizeWebhook(Buffer.from('not json'), ctx)).toThrow(expect.objectContaining({ code: 'BAD_PAYLOAD' }));
  });
});

describe('Mailgun route POST', () => {
  const sample = (): Record<string, string> => JSON.parse(fixture('mailgun-inbound.json').toString());
  const inline = { field: 'attachment-1', name: 'image.png', mimeType: 'image/png', size: 70 };
  const attached = { field: 'attachment-2', name: 'report.pdf', mimeType: 'application/pdf', size: 29 };
  const events = (form: MailgunForm) => normalizeMailgun(form, ctx).events;

  it("reads Mailgun's sample POST: sender, thread headers, the reply without quote and signature, attachments", () => {
    const { ack } = normalizeMailgun({ fields: sample(), files: [inline, attached] }, ctx);
    expect(ack.status).toBe(200);
    const [e] = events({ fields: sample(), files: [inline, attached] }) as MessageEvent[];
    expect(e).toMatchObject({
      type: 'message',
      eventId: '517ACC75.5010709@sandbox085a3b878a964897b9b9efb2395a1f5a.mailgun.org',
      senderName: 'Bob',
      timestamp: Date.parse('2013-04-26T18:50:29Z'),
      replyTo: '517AC78B.5060404@sandbox085a3b878a964897b9b9efb2395a1f5a.mailgun.org',
      ref: {
        userId: 'bob@sandbox085a3b878a964897b9b9efb2395a1f5a.mailgun.org',
        threadId: '517AC78B.5060404@sandbox085a3b878a964897b9b9efb2395a1f5a.mailgun.org',
      },
    });
    // Same rules as IMAP mail: the "On … wrote:" quote goes; the inline image (content-id-map) is not an attachment.
    expect(e?.parts).toEqual([
      { kind: 'text', text: 'Hi Alice,\n\nThis is Bob.\n\nI also attached a file.\n\nThanks,\nBob' },
      { kind: 'file', url: expect.stringMatching(/^platform:/), mimeType: 'application/pdf', name: 'report.pdf', size: 29 },
    ]);
  });

  it('takes the HTML when body-plain is empty, and the top-level fields when message-headers is missing', () => {
    const fields: Record<string, string> = { ...sample(), 'body-plain': '' };
    delete fields['message-headers'];
    const [e] = events({ fields, files: [] }) as MessageEvent[];
    expect(e?.eventId).toBe('517ACC75.5010709@sandbox085a3b878a964897b9b9efb2395a1f5a.mailgun.org');
    expect(e?.parts[0]).toMatchObject({ kind: 'text', text: expect.stringContaining('I also attached a file.') });
  });

  it('keeps the loop checks: an auto-reply from message-headers and our own address give no event', () => {
    const auto = sample();
    auto['message-headers'] = JSON.stringify([...JSON.parse(auto['message-headers'] as string), ['Auto-Submitted', 'auto-replied']]);
    expect(events({ fields: auto, files: [] })).toEqual([]);
    expect(events({ fields: { ...sample(), from: 'Support <support@shop.example>' }, files: [] })).toEqual([]);
  });

  it('refuses a POST without a sender with BAD_PAYLOAD', () => {
    expect(() => normalizeMailgun({ fields: { subject: 'x' }, files: [] }, ctx)).toThrow(expect.objectContaining({ code: 'BAD_PAYLOAD' }));
  });
});
