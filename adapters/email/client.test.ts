import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelope, failure } from '../../test/support/adapter-context.js';
import { fakeContext, startSmtpServer, testConfig } from '../../test/support/email.js';
import type { DeliveryError } from '../../src/core/errors.js';
import { SmtpClient, smtpReason } from './client.js';
import type { EmailPayload } from './render.js';
import { rootOfOurs } from './thread.js';

const ref = { channelId: 'support', chatId: 'anna@example.de', threadId: 'root@mail.example.de', userId: 'anna@example.de' };
const payload = (to: string): EmailPayload => ({
  to,
  subject: 'Re: Lieferzeit',
  text: 'Guten Tag,\n\n2–3 Tage.',
  html: '<p>Guten Tag,</p><p>2–3 Tage.</p>',
  language: 'de',
  inReplyTo: 'm2@mail.example.de',
  references: ['root@mail.example.de', 'm2@mail.example.de'],
});

describe('SmtpClient against a real SMTP server', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  const clients: SmtpClient[] = [];
  const client = (smtpOverride: Record<string, unknown> = {}) => {
    const c = new SmtpClient(testConfig({ name: 'Shop Example', smtp: { host: '127.0.0.1', port: smtp.port, ...smtpOverride } }), fakeContext().ctx);
    clients.push(c);
    return c;
  };
  beforeAll(async () => {
    smtp = await startSmtpServer({
      'unknown@example.de': { code: 550, message: '5.1.1 <unknown@example.de>: Recipient address rejected: User unknown' },
      'blocked@example.de': { code: 554, message: '5.7.1 Message rejected as spam' },
      'later@example.de': { code: 451, message: '4.7.1 Greylisted, try again in 5 minutes' },
    });
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await smtp.close();
  });

  it('sends HTML and text alternatives From the channel address, with thread headers, Content-Language and Auto-Submitted', async () => {
    const receipt = await client().deliver(ref, [payload('anna@example.de')], envelope());
    const [id] = receipt.platformMessageIds;
    expect(rootOfOurs(id ?? '')).toBe('root@mail.example.de');
    const mail = smtp.received.at(-1);
    expect(mail?.envelope).toEqual({ from: 'support@shop.example', to: ['anna@example.de'] });
    const p = mail?.parsed;
    expect(p?.from?.value[0]).toEqual({ address: 'support@shop.example', name: 'Shop Example' });
    expect(p?.messageId).toBe(`<${id}>`);
    expect(p?.inReplyTo).toBe('<m2@mail.example.de>');
    expect(p?.references).toEqual(['<root@mail.example.de>', '<m2@mail.example.de>']);
    expect(p?.headers.get('content-language')).toBe('de');
    expect(p?.headers.get('auto-submitted')).toBe('auto-replied');
    expect(p?.text?.trim()).toBe('Guten Tag,\n\n2–3 Tage.');
    expect(p?.html).toContain('<p>2–3 Tage.</p>');
    // A retry of the same row carries the same Message-ID.
    const again = await client().deliver(ref, [payload('anna@example.de')], envelope({ attempt: 2 }));
    expect(again.platformMessageIds).toEqual([id]);
  });

  it.each([
    ['unknown@example.de', 'invalid'],
    ['blocked@example.de', 'blocked'],
    ['later@example.de', 'transient'],
  ])('maps the refusal for %s to %s', async (to, reason) => {
    const err = (await failure(client().deliver(ref, [payload(to)], envelope()))) as DeliveryError;
    expect(err.code).toBe('DELIVERY_FAILED');
    expect(err.reason).toBe(reason);
    expect(err.message).not.toContain(to);
  });

  it('maps rejected credentials to auth and an unreachable server to transient', async () => {
    const auth = (await failure(client({ user: 'smtp-user', pass: 'wrong' }).deliver(ref, [payload('anna@example.de')], envelope()))) as DeliveryError;
    expect(auth.reason).toBe('auth');
    const down = (await failure(client({ port: 9 }).deliver(ref, [payload('anna@example.de')], envelope()))) as DeliveryError;
    expect(down.reason).toBe('transient');
  });

  it('reads enhanced status codes (RFC 3463) and plain replies', () => {
    expect(smtpReason({ responseCode: 552, response: '552 5.2.2 Mailbox full' })).toBe('blocked');
    expect(smtpReason({ responseCode: 553, response: '553 mailbox name not allowed' })).toBe('invalid');
    expect(smtpReason({ responseCode: 421, response: '421 Service not available' })).toBe('transient');
    expect(smtpReason({ code: 'EAUTH' })).toBe('auth');
    expect(smtpReason({ code: 'ETIMEDOUT' })).toBe('transient');
  });
});
