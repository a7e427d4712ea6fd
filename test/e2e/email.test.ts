import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuthorization } from '../../adapters/email/verify.js';
import type { RawRequest } from '../../src/core/adapter.js';
import type { Gateway } from '../../src/server/gateway.js';
import {
  type Dovecot,
  deliver,
  dovecotMissing,
  fixture,
  HOOK_PASS,
  HOOK_USER,
  inboxFlags,
  MAILGUN_KEY,
  mailgunFields,
  mailgunRequest,
  type ReceivedMail,
  startDovecot,
  startSmtpServer,
} from '../support/email.js';
import { inboxRows, makeSite, readSite, startTestGateway, type TestSite } from '../support/gateway.js';
import { until } from '../support/webchat-client.js';

const FOOTER = 'Shop Example · https://shop.example';

/**
 * A gateway with a `type: email` block reading a private Dovecot over IMAP and taking Postmark's
 * inbound webhook, and one taking Mailgun route POSTs; replies go through mail.smtp to a local
 * smtp-server.
 */
describe.skipIf(dovecotMissing())('e-mail end to end (Dovecot IMAP, Postmark webhook, SMTP)', () => {
  let dovecot: Dovecot;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let site: TestSite;
  let gateway: Gateway;

  beforeAll(async () => {
    dovecot = await startDovecot();
    smtp = await startSmtpServer();
    site = makeSite(`
mail:
  from: "Shop Example <service@shop.example>"
  smtp: { host: 127.0.0.1, port: ${smtp.port}, secure: false }
channels:
  support:
    type: email
    address: support@shop.example
    name: Shop Example Support
    imap: { host: 127.0.0.1, port: ${dovecot.port}, secure: false, user: "${dovecot.user}", pass: "${dovecot.pass}", pollMs: 2000 }
    inbound: { provider: postmark, basicAuth: { user: ${HOOK_USER}, pass: ${HOOK_PASS} } }
    footer: "${FOOTER}"
  orders:
    type: email
    address: orders@shop.example
    inbound: { provider: mailgun, signingKey: ${MAILGUN_KEY} }
`);
    // German among the shop's languages (the shared test YAML serves en, es, zh-CN).
    writeFileSync(site.configFile, readFileSync(site.configFile, 'utf8').replace('languages: [en, es, zh-CN]', 'languages: [en, de, es]'));
    gateway = await startTestGateway(site);
  }, 30_000);
  afterAll(async () => {
    await gateway?.close();
    await smtp?.close();
    await dovecot?.stop();
    site?.cleanup();
  });

  const repliesTo = (id: string) => smtp.received.filter((m) => m.parsed.inReplyTo === `<${id}>`);
  const db = <T>(sql: string, ...args: unknown[]): T[] => readSite<T>(site, sql, ...args);
  const postHook = (body: string, auth = basicAuthorization(HOOK_USER, HOOK_PASS)) =>
    fetch(`${gateway.url}/webhooks/support`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: auth }, body });
  let answer: ReceivedMail | undefined;

  it('a German mail in the IMAP mailbox gets a German reply over SMTP: In-Reply-To, Re: subject, footer, HTML and text', async () => {
    await deliver(dovecot, fixture('de-new.eml'));
    [answer] = await until(
      async () => repliesTo('CAF7b2kQ9x1@mail.example.de'),
      (r) => r.length >= 1,
      20_000,
    );
    const p = answer?.parsed;
    expect(answer?.envelope.to).toEqual(['anna.schmidt@example.de']);
    expect(p?.from?.value[0]).toEqual({ address: 'support@shop.example', name: 'Shop Example Support' });
    expect(p?.subject).toBe('Re: Lieferzeit nach Deutschland');
    expect(p?.references).toBe('<CAF7b2kQ9x1@mail.example.de>');
    expect(p?.headers.get('content-language')).toBe('de');
    expect(p?.text).toMatch(/^Guten Tag,/);
    expect(p?.text).toMatch(/2–3 Werktage/);
    expect(p?.text).toContain(`-- \n${FOOTER}`);
    expect(p?.html).toContain('<html lang="de">');
    expect(p?.html).toContain(FOOTER);
    // \Seen once the inbox had it.
    const flags = await inboxFlags(dovecot);
    expect([...flags.values()].every((f) => f.includes('\\Seen'))).toBe(true);
  });

  it('the same mail again, over IMAP and through the webhook, gets no second reply', async () => {
    await deliver(dovecot, fixture('de-new.eml'));
    const json = JSON.parse(fixture('postmark-inbound.json').toString());
    json.FromFull = { Email: 'anna.schmidt@example.de', Name: 'Anna Schmidt' };
    json.Subject = 'Lieferzeit nach Deutschland';
    json.TextBody = 'wie lange dauert der Versand nach Deutschland?';
    json.Headers.push({ Name: 'Message-ID', Value: '<CAF7b2kQ9x1@mail.example.de>' });
    expect((await postHook(JSON.stringify(json))).status).toBe(200);
    await until(
      async () => [...(await inboxFlags(dovecot)).values()],
      (f) => f.length === 2 && f.every((x) => x.includes('\\Seen')),
      10_000,
    );
    await gateway.idle();
    await new Promise((r) => setTimeout(r, 1000));
    expect(repliesTo('CAF7b2kQ9x1@mail.example.de')).toHaveLength(1);
  });

  it("the shopper's reply to our answer lands in the same conversation, quote and signature stripped", async () => {
    const ours = (answer?.parsed.messageId ?? '').replace(/^<|>$/g, '');
    expect(ours).toMatch(/@shop\.example$/);
    await deliver(dovecot, fixture('de-reply.eml').toString().replaceAll('REPLY_TO', ours));
    const [second] = await until(
      async () => repliesTo('CAF7b2kQ9x2@mail.example.de'),
      (r) => r.length >= 1,
      20_000,
    );
    expect(second?.parsed.subject).toBe('Re: Lieferzeit nach Deutschland');
    expect(second?.parsed.references).toEqual(['<CAF7b2kQ9x1@mail.example.de>', `<${ours}>`, '<CAF7b2kQ9x2@mail.example.de>']);
    const rows = db<{ conversation_id: string; original_text: string | null }>(
      "SELECT conversation_id, original_text FROM messages WHERE direction = 'in' AND platform_message_id IN (?, ?) ORDER BY seq",
      'CAF7b2kQ9x1@mail.example.de',
      'CAF7b2kQ9x2@mail.example.de',
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]?.conversation_id).toBe(rows[1]?.conversation_id);
    expect(rows[1]?.original_text).toBe('Danke! Und kann ich das Hundebett zurückschicken, wenn es nicht passt?');
    const conversations = db<{ n: number }>("SELECT COUNT(*) AS n FROM conversations WHERE channel_id = 'support'")[0]?.n;
    expect(conversations).toBe(1);
  });

  it('an out-of-office reply is not answered', async () => {
    const before = smtp.received.length;
    await deliver(dovecot, fixture('auto-reply.eml'));
    await until(
      async () => [...(await inboxFlags(dovecot)).values()],
      (f) => f.length === 4 && f.every((x) => x.includes('\\Seen')),
      10_000,
    );
    await gateway.idle();
    expect(smtp.received.length).toBe(before);
  });

  it("a mail through Postmark's inbound webhook is answered the same way", async () => {
    const json = JSON.parse(fixture('postmark-inbound.json').toString());
    json.FromFull = { Email: 'jonas@example.at', Name: 'Jonas Huber' };
    json.Subject = 'Rücksendung';
    json.TextBody = 'Hallo, kann ich ein Hundebett zurückschicken, wenn es nicht passt?\n\n-- \nJonas Huber\nWien';
    json.Attachments = [];
    json.Headers.push({ Name: 'Message-ID', Value: '<pm-de-1@example.at>' });
    const res = await postHook(JSON.stringify(json));
    expect(res.status).toBe(200);
    const [reply] = await until(
      async () => repliesTo('pm-de-1@example.at'),
      (r) => r.length >= 1,
      20_000,
    );
    expect(reply?.envelope.to).toEqual(['jonas@example.at']);
    expect(reply?.parsed.subject).toBe('Re: Rücksendung');
    expect(reply?.parsed.headers.get('content-language')).toBe('de');
    expect(reply?.parsed.text).toMatch(/^Guten Tag,/);
    expect(reply?.parsed.text).toMatch(/Retoure|Rücksend/);
    expect(reply?.parsed.text).not.toMatch(/Wien/);
  });

  it('the webhook with bad credentials is refused with 401 and nothing is stored', async () => {
    const before = inboxRows(site);
    const body = fixture('postmark-inbound.json').toString();
    expect((await postHook(body, basicAuthorization(HOOK_USER, 'wrong'))).status).toBe(401);
    expect((await postHook(body, '')).status).toBe(401);
    expect((await postHook('{"not":"postmark"}')).status).toBe(400);
    expect(inboxRows(site)).toBe(before);
  });

  describe('Mailgun route POSTs (channel orders)', () => {
    const postMailgun = (req: RawRequest) =>
      fetch(`${gateway.url}/webhooks/orders`, {
        method: 'POST',
        headers: { 'content-type': req.headers['content-type'] ?? '' },
        body: new Uint8Array(req.body),
      });
    const germanMail = () => ({
      ...mailgunFields(),
      from: 'Lena Vogel <lena.vogel@example.de>',
      sender: 'lena.vogel@example.de',
      recipient: 'orders@shop.example',
      subject: 'Versand nach Deutschland',
      'body-plain': 'Hallo, wie lange dauert der Versand nach Deutschland?\n\n-- \nLena Vogel\nHamburg',
      'message-headers': JSON.stringify([
        ['Message-Id', '<mg-de-1@example.de>'],
        ['From', 'Lena Vogel <lena.vogel@example.de>'],
        ['Subject', 'Versand nach Deutschland'],
        ['Date', new Date().toUTCString()],
      ]),
      'content-id-map': '{}',
      'attachment-count': '1',
    });
    let signed: RawRequest;

    it('a German mail posted as Mailgun would (multipart, signed) gets one German reply over SMTP', async () => {
      const files = [{ field: 'attachment-1', name: 'bestellung.pdf', type: 'application/pdf', content: Buffer.from('%PDF-1.4 Bestellung') }];
      signed = await mailgunRequest(germanMail(), { now: Date.now(), files });
      expect(signed.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
      expect((await postMailgun(signed)).status).toBe(200);
      const [reply] = await until(
        async () => repliesTo('mg-de-1@example.de'),
        (r) => r.length >= 1,
        20_000,
      );
      expect(reply?.envelope.to).toEqual(['lena.vogel@example.de']);
      expect(reply?.parsed.from?.value[0]?.address).toBe('orders@shop.example');
      expect(reply?.parsed.subject).toBe('Re: Versand nach Deutschland');
      expect(reply?.parsed.headers.get('content-language')).toBe('de');
      expect(reply?.parsed.text).toMatch(/^Guten Tag,/);
      expect(reply?.parsed.text).toMatch(/2–3 Werktage/);
      expect(reply?.parsed.text).not.toMatch(/Hamburg/);
    });

    it('the same POST again (a replayed token) is refused with 401; still one reply', async () => {
      const before = inboxRows(site);
      expect((await postMailgun(signed)).status).toBe(401);
      await gateway.idle();
      expect(inboxRows(site)).toBe(before);
      expect(repliesTo('mg-de-1@example.de')).toHaveLength(1);
    });

    it('a bad signature, a stale timestamp or no signature is refused with 401 and nothing is stored', async () => {
      const before = inboxRows(site);
      const fields = { ...germanMail(), 'message-headers': '[["Message-Id", "<mg-forged@example.de>"]]' };
      expect((await postMailgun(await mailgunRequest(fields, { now: Date.now(), key: 'not-the-key' }))).status).toBe(401);
      expect((await postMailgun(await mailgunRequest(fields, { now: Date.now() - 10 * 60_000 }))).status).toBe(401);
      const unsigned = await mailgunRequest(fields, { now: Date.now() });
      const stripped = new URLSearchParams(unsigned.body.toString());
      stripped.delete('signature');
      expect((await postMailgun({ ...unsigned, body: Buffer.from(stripped.toString()) })).status).toBe(401);
      await gateway.idle();
      expect(inboxRows(site)).toBe(before);
      expect(repliesTo('mg-forged@example.de')).toHaveLength(0);
    });
  });
});
