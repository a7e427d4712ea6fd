import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identitySignature } from '../../adapters/webchat/index.js';
import { type Gateway, projectRoot } from '../../src/server/gateway.js';
import { makeSite, startTestGateway, type TestSite } from '../support/gateway.js';
import { strings } from '../support/locales.js';
import { type Answer, PlatformServer, type Received } from '../support/platform-server.js';
import { history, openSession, sendHttp, until, type WireMessage } from '../support/webchat-client.js';

const TG_TOKEN = '123456:ABC-orders_token';
const IDENTITY_SECRET = 'shop-identity-secret-0123456789abcdef';
const KEY = 'test-api-key-0123456789';

interface Delivered {
  to: string;
  subject: string;
  text: string;
  language?: string;
}

/** A real SMTP server (smtp-server) that keeps what it receives, parsed by mailparser. */
async function smtpInbox() {
  const mails: Delivered[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, done) {
      simpleParser(stream)
        .then((mail) => {
          const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
          mails.push({
            to: to?.value[0]?.address ?? '',
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            language: mail.headers.get('content-language') as string | undefined,
          });
          done();
        })
        .catch(done);
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  return { mails, port: (server.server.address() as AddressInfo).port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

function telegramApi(req: Received): Answer {
  if (req.path.endsWith('/sendMessage'))
    return { json: { ok: true, result: { message_id: Math.floor(Math.random() * 1e6), date: 1, chat: { id: 1, type: 'private' } } } };
  return { json: { ok: true, result: true } };
}

const text = (m: WireMessage | undefined) => m?.parts.flatMap((p) => (p.kind === 'text' ? [p.text ?? ''] : [])).join('\n') ?? '';
const codeIn = (mail: Delivered | undefined) => /\n(\d{6})\n/.exec(mail?.text ?? '')?.[1] ?? '';

describe('order help without a model: verified, localised, through web chat and Telegram', () => {
  let site: TestSite;
  let gateway: Gateway;
  let smtp: Awaited<ReturnType<typeof smtpInbox>>;
  let telegram: PlatformServer;

  beforeAll(async () => {
    smtp = await smtpInbox();
    telegram = await new PlatformServer(telegramApi).start();
    site = makeSite(`
orders: { connector: file, file: "${projectRoot}/config/orders/sample.json" }
mail: { from: "Pawsome <service@pawsome.example>", smtp: { host: 127.0.0.1, port: ${smtp.port}, secure: false } }
channels:
  webchat: { type: webchat, identitySecret: "${IDENTITY_SECRET}" }
  tg: { type: telegram, token: "${TG_TOKEN}", secretToken: tg-secret, apiRoot: "${telegram.url}" }
`);
    const { readFileSync, writeFileSync } = await import('node:fs');
    writeFileSync(
      site.configFile,
      readFileSync(site.configFile, 'utf8').replace(
        /^shop:.*$/m,
        'shop: { name: Pawsome, languages: [en, es, de, zh-CN], defaultLanguage: en, workingLanguage: en }',
      ),
    );
    gateway = await startTestGateway(site);
  });
  afterAll(async () => {
    await gateway?.close();
    await telegram?.stop();
    await smtp?.close();
    site?.cleanup();
  });

  async function chat() {
    const session = await openSession(gateway.url);
    let count = 0;
    const say = async (message: string) => {
      count += 2;
      await sendHttp(gateway.url, session.token, { type: 'message', clientId: `c${Math.random()}`, text: message });
      const messages = await until(
        () => history(gateway.url, session.token),
        (m) => m.length >= count,
      );
      return messages.at(-1) as WireMessage;
    };
    return { ...session, say };
  }

  it("asks for the number, mails a code in the shopper's language, and answers with the order once the code is typed", async () => {
    const shopper = await chat();
    const asked = await shopper.say('¿Dónde está mi pedido?');
    expect(text(asked)).toBe(strings('es', 'orders').ask_number.status);
    const coded = await shopper.say('PS-100234');
    expect(text(coded)).toContain('e***@example.com');
    expect(text(coded)).not.toMatch(/DHL|104|Orthopaedic/);
    const mail = (await until(async () => smtp.mails.find((m) => m.to === 'emma.jansen@example.com'), Boolean)) as Delivered;
    expect(mail.language).toBe('es');
    expect(mail.subject).toMatch(/PS-100234/);
    const code = codeIn(mail);
    expect(code).toMatch(/^\d{6}$/);
    // Typed split, the way people read codes out.
    const answer = await shopper.say(`el código es ${code.slice(0, 3)} ${code.slice(3)}`);
    const shown = text(answer);
    expect(shown).toContain('PS-100234');
    expect(shown).toContain('DHL');
    expect(shown).toContain('104,95');
    expect(shown).toMatch(/viernes, 27 de noviembre/);
    expect(JSON.stringify(answer.parts)).toContain('dhl.de');
    // The buyer's contacts are never shown.
    expect(shown).not.toMatch(/emma\.jansen|12345678/);
  });

  it('refuses a wrong code, says nothing about an unknown order, and mails nobody for it', async () => {
    const shopper = await chat();
    await shopper.say('Wo ist meine Bestellung PS-100235?');
    const mail = await until(async () => smtp.mails.find((m) => m.to === 'lucas.meyer@example.de'), Boolean);
    const wrong = codeIn(mail) === '000000' ? '111111' : '000000';
    const refused = await shopper.say(wrong);
    expect(text(refused)).toMatch(/Code/);
    expect(text(refused)).not.toMatch(/PostNL|55,47/);
    const before = smtp.mails.length;
    const unknown = await shopper.say('Wo ist meine Bestellung PS-999999?');
    expect(text(unknown)).toBe(strings('de', 'orders').not_found.replace('{{orderId}}', 'PS-999999'));
    await gateway.idle();
    expect(smtp.mails.length).toBe(before);
  });

  it("keeps someone else's order to its buyer on Telegram: the code goes to the buyer, the asker learns nothing", async () => {
    const post = (body: object) =>
      fetch(`${gateway.url}/webhooks/tg`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'tg-secret' },
        body: JSON.stringify(body),
      });
    const update = (n: number, message: string) => ({
      update_id: 777000 + n,
      message: {
        message_id: n,
        date: Math.floor(Date.now() / 1000),
        chat: { id: 5150, type: 'private' },
        from: { id: 5150, is_bot: false, first_name: 'Mallory', language_code: 'zh-hans' },
        text: message,
      },
    });
    expect((await post(update(1, '我的订单 PS-100236 到哪了？'))).status).toBe(200);
    const [first] = await until(
      async () => telegram.calls(/\/sendMessage$/).filter((c) => JSON.stringify(c.json).includes('"chat_id":"5150"')),
      (c) => c.length >= 1,
    );
    expect(String((first?.json as { text: string }).text)).toContain('l***@example.cn');
    await until(async () => smtp.mails.find((m) => m.to === 'li.wei@example.cn'), Boolean);
    expect((await post(update(2, '123123'))).status).toBe(200);
    const replies = await until(
      async () => telegram.calls(/\/sendMessage$/).filter((c) => JSON.stringify(c.json).includes('"chat_id":"5150"')),
      (c) => c.length >= 2,
    );
    const all = replies.map((c) => JSON.stringify(c.json)).join('\n');
    expect(all).not.toMatch(/DHL Express|69[.,]8|Internal aquarium filter|13812345678|li\.wei/);

    // The buyer herself, on Telegram, reads the code from her mail and gets the answer in Chinese.
    const buyer = (n: number, message: string) => ({
      update_id: 778000 + n,
      message: {
        message_id: n,
        date: Math.floor(Date.now() / 1000),
        chat: { id: 6160, type: 'private' },
        from: { id: 6160, is_bot: false, first_name: '丽', language_code: 'zh-hans' },
        text: message,
      },
    });
    const mailsBefore = smtp.mails.filter((m) => m.to === 'li.wei@example.cn').length;
    await post(buyer(1, '订单PS-100236到哪了'));
    const mail = await until(
      async () => smtp.mails.filter((m) => m.to === 'li.wei@example.cn'),
      (m) => m.length > mailsBefore,
    );
    expect(mail.at(-1)?.language).toBe('zh-CN');
    await post(buyer(2, `验证码 ${codeIn(mail.at(-1))}`));
    const answers = await until(
      async () => telegram.calls(/\/sendMessage$/).filter((c) => JSON.stringify(c.json).includes('"chat_id":"6160"')),
      (c) => c.length >= 2,
    );
    const answer = String((answers.at(-1)?.json as { text: string }).text);
    expect(answer).toContain('PS-100236');
    expect(answer).toContain('已送达');
    expect(answer).toMatch(/69[.,]80/);
  });

  it('shows a logged-in shopper their order without a code when the shop signed who they are, and lets the shop address them by its customer id', async () => {
    const shopper = await chat();
    const identify = (body: object) =>
      fetch(`${gateway.url}/webchat/identify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${shopper.token}` },
        body: JSON.stringify(body),
      });
    const forged = await identify({
      userId: 'C-1001',
      email: 'emma.jansen@example.com',
      signature: identitySignature('not-the-secret-0123456789abcdefghij', 'C-1001', 'emma.jansen@example.com'),
    });
    expect(forged.status).toBe(401);
    // Someone else's email under a valid signature for another pair is refused too.
    const swapped = await identify({
      userId: 'C-1001',
      email: 'lucas.meyer@example.de',
      signature: identitySignature(IDENTITY_SECRET, 'C-1001', 'emma.jansen@example.com'),
    });
    expect(swapped.status).toBe(401);
    const before = smtp.mails.length;
    const ok = await identify({
      userId: 'C-1001',
      email: 'Emma.Jansen@example.com',
      name: 'Emma',
      signature: identitySignature(IDENTITY_SECRET, 'C-1001', 'emma.jansen@example.com'),
    });
    expect(ok.status).toBe(200);
    const answer = await shopper.say('Where is my order PS-100234?');
    expect(text(answer)).toContain('is on its way with DHL');
    expect(smtp.mails.length).toBe(before);
    // Another buyer's order still needs its code.
    const other = await shopper.say('And where is PS-100235?');
    expect(text(other)).toContain('l***@example.de');

    const event = await fetch(`${gateway.url}/api/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ customerRef: 'C-1001', text: 'Your order PS-100234 ships today.', language: 'en' }),
    });
    expect(event.status).toBe(202);
    await until(
      () => history(gateway.url, shopper.token),
      (m) => m.some((x) => text(x) === 'Your order PS-100234 ships today.'),
    );
  });
});
