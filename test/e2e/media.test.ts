/**
 * Media intake end to end, on SQLite and Postgres: a webhook (or a widget upload) with a photo,
 * voice note or file → the part is stored with its content hash, agents read it from the
 * console, oversize or disallowed media are refused with a reason and the message is kept, and
 * an erasure deletes the blobs.
 */
import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { silentLogger } from '../../src/core/ports.js';
import { channelDefinitions } from '../../src/server/channels.js';
import { type Gateway, projectRoot, startGateway } from '../../src/server/gateway.js';
import { ConsoleClient } from '../support/console-client.js';
import { databases } from '../support/databases.js';
import { telegramWhatsAppYaml, WA, whatsappWebhook } from '../support/local-channels.js';
import { APP_SECRET, PAGE_ID, PAGE_TOKEN, sign as signMeta, VERIFY_TOKEN } from '../support/meta.js';
import { ACCOUNT_SID, AUTH_TOKEN, PUBLIC_URL, sign as signTwilio } from '../support/twilio.js';
import { type Answer, PlatformServer, type Received } from '../support/platform-server.js';
import { history, openSession, sendHttp, until } from '../support/webchat-client.js';

const TG_TOKEN = '123456:ABC-media_token';
const LINE = { secret: 'line-media-secret', token: 'line-media-token' };
const ADMIN = { email: 'lead@shop.test', password: 'lead-password-123' };
const KEY = 'media-api-key-0123456789';
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('a photo of a cracked bowl')]);
const OGG = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(64, 7)]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 1, 2]);
const PHOTO = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe1]), Buffer.from('the widget photo')]);
const MAIL_PHOTO = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe2]), Buffer.from('a mailed photo')]);
const FB_PHOTO = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe3]), Buffer.from('a messenger photo')]);
const MMS_PHOTO = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe4]), Buffer.from('an mms photo')]);
const BIG = Buffer.concat([JPEG, Buffer.alloc(3000, 1)]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The platforms' media endpoints, as each documents them. */
function platformRoutes(req: Received): Answer {
  // Telegram Bot API: getFile gives file_path; the file is at /file/bot<token>/<file_path> (https://core.telegram.org/bots/api#getfile).
  if (req.path === `/bot${TG_TOKEN}/getFile`) {
    const id = (req.json as { file_id: string }).file_id;
    return { json: { ok: true, result: { file_id: id, file_unique_id: 'u', file_size: OGG.length, file_path: `voice/${id}.oga` } } };
  }
  if (req.path.startsWith(`/file/bot${TG_TOKEN}/voice/`)) return { bytes: OGG, headers: { 'content-type': 'application/octet-stream' } };
  if (req.path.startsWith('/bot'))
    return { json: { ok: true, result: { message_id: 1000 + Math.floor(Math.random() * 1e6), date: 1, chat: { id: 42, type: 'private' } } } };
  // WhatsApp Cloud API: GET /{media-id} with the token gives a short-lived url, fetched with the same token
  // (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#retrieve-media-url).
  const wa = /^\/v21\.0\/(wa-media-\w+)$/.exec(req.path);
  if (wa && req.headers.authorization === `Bearer ${WA.token}`) {
    return { json: { messaging_product: 'whatsapp', url: `${baseUrl}/whatsapp_business/attachments/?mid=${wa[1]}`, mime_type: 'image/jpeg', id: wa[1] } };
  }
  if (req.path === '/whatsapp_business/attachments/' && req.headers.authorization === `Bearer ${WA.token}`) {
    return { bytes: req.query.get('mid') === 'wa-media-big' ? BIG : JPEG, headers: { 'content-type': 'image/jpeg' } };
  }
  if (req.path === `/v21.0/${WA.pnid}/messages`) return { json: { messaging_product: 'whatsapp', messages: [{ id: `wamid.out${Math.random()}` }] } };
  // Messenger: attachment payload URLs are on Meta's CDN, public (https://developers.facebook.com/docs/messenger-platform/reference/webhook-events/messages).
  if (req.path === '/fbcdn/attachment.jpg') return { bytes: FB_PHOTO, headers: { 'content-type': 'image/jpeg' } };
  if (/^\/v\d+\.\d+\/\d+\/messages$/.test(req.path)) return { json: { recipient_id: '1', message_id: `m_${Math.random()}` } };
  // Twilio: GET MediaUrlN with Basic auth redirects to the file (https://www.twilio.com/docs/messaging/api/media-resource).
  if (/^\/2010-04-01\/Accounts\/AC\w+\/Messages\/MM\w+\/Media\/ME\w+$/.test(req.path)) {
    const basic = `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`;
    return req.headers.authorization === basic ? { status: 307, headers: { location: '/twilio-cdn/ME1' } } : { status: 401, json: { code: 20003 } };
  }
  if (req.path === '/twilio-cdn/ME1') return { bytes: MMS_PHOTO, headers: { 'content-type': 'image/jpeg' } };
  if (/^\/2010-04-01\/Accounts\/AC\w+\/Messages\.json$/.test(req.path)) return { status: 201, json: { sid: `SM${'1'.repeat(32)}`, status: 'queued' } };
  // LINE: GET https://api-data.line.me/v2/bot/message/{messageId}/content (https://developers.line.biz/en/reference/messaging-api/#get-content).
  if (/^\/v2\/bot\/message\/\d+\/content$/.test(req.path) && req.headers.authorization === `Bearer ${LINE.token}`) {
    return { bytes: PNG, headers: { 'content-type': 'image/png' } };
  }
  if (req.path.startsWith('/v2/bot/message/')) return { json: { sentMessages: [{ id: '1', quoteToken: 'q' }] } };
  return { status: 404, json: { error: 'unknown path in test server' } };
}
let baseUrl = '';

describe.each(databases)('media intake end to end on $name', (database) => {
  let gateway: Gateway;
  let api: PlatformServer;
  let cleanup: () => Promise<void>;
  let dir: string;
  let admin: ConsoleClient;

  beforeAll(async () => {
    api = await new PlatformServer(platformRoutes).start();
    baseUrl = api.url;
    const db = database.open();
    await db.driver.close();
    cleanup = db.cleanup;
    dir = mkdtempSync(join(tmpdir(), 'parley-media-e2e-'));
    const yaml = `
server: { port: 0, host: 127.0.0.1 }
storage: ${db.storage}
shop: { name: Test Shop, languages: [en, es], defaultLanguage: en, workingLanguage: en }
knowledge: { dir: "${projectRoot}/config/knowledge" }
api: { keys: ["${KEY}"] }
queue: { retryBaseMs: 50, pollMs: 200 }
log: { level: silent }
console: { admin: { email: "${ADMIN.email}", password: "${ADMIN.password}", name: Lead } }
media: { dir: "${join(dir, 'media')}", maxBytes: { image: 2000 } }
channels:
  webchat: { type: webchat }
${telegramWhatsAppYaml(api.url, TG_TOKEN)}
  line:
    type: line
    channelSecret: ${LINE.secret}
    channelAccessToken: ${LINE.token}
    apiBaseUrl: "${api.url}"
    dataApiBaseUrl: "${api.url}"
  fb:
    type: messenger
    pageId: "${PAGE_ID}"
    pageAccessToken: ${PAGE_TOKEN}
    appSecret: ${APP_SECRET}
    verifyToken: ${VERIFY_TOKEN}
    graphBaseUrl: "${api.url}"
  sms:
    type: twilio
    accountSid: ${ACCOUNT_SID}
    authToken: ${AUTH_TOKEN}
    from: "+15005550006"
    publicUrl: ${PUBLIC_URL}
    apiRoot: "${api.url}"
  mail:
    type: email
    address: support@shop.example
    inbound: { provider: postmark, basicAuth: { user: hook, pass: hook-password-123 } }
`;
    gateway = await startGateway(parseConfigText(yaml, 'media-test.yaml', {}, channelDefinitions), { log: silentLogger });
    admin = await ConsoleClient.login(gateway.url, ADMIN.email, ADMIN.password);
  });
  afterAll(async () => {
    await gateway?.close();
    await api?.stop();
    await cleanup?.();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (path: string, body: string, headers: Record<string, string>) =>
    fetch(`${gateway.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  async function mediaFor(channelId: string) {
    const { store } = gateway;
    await gateway.idle();
    const convs = await store.listConversations({ limit: 50 });
    const conv = convs.find((c) => c.channelId === channelId);
    if (!conv) return undefined;
    const messages = await store.listMessages(conv.id, { limit: 100 });
    return messages.find((m) => m.role === 'shopper')?.parts;
  }

  it('Telegram: a voice note is fetched through getFile with the bot token and stored under its hash', async () => {
    const update = {
      update_id: 9001,
      message: {
        message_id: 77,
        from: { id: 42, is_bot: false, first_name: 'Ana', language_code: 'es' },
        chat: { id: 42, type: 'private' },
        date: 1,
        voice: { file_id: 'AwACvoice', file_unique_id: 'v1', duration: 3, mime_type: 'audio/ogg', file_size: OGG.length },
      },
    };
    expect((await post('/webhooks/tg', JSON.stringify(update), { 'x-telegram-bot-api-secret-token': 'tg-secret' })).status).toBe(200);
    const parts = await until(
      () => mediaFor('tg'),
      (p) => p !== undefined,
    );
    expect(parts?.[0]).toMatchObject({
      kind: 'audio',
      url: 'platform:AwACvoice',
      stored: { id: sha(OGG), sha256: sha(OGG), mimeType: 'audio/ogg', size: OGG.length },
    });
    expect(api.calls(/getFile$/).at(-1)?.json).toEqual({ file_id: 'AwACvoice' });
  });

  it('WhatsApp: a photo is looked up and downloaded with the bearer token; an oversize one is kept with the reason', async () => {
    const at = Math.floor(Date.now() / 1000);
    const photo = (id: string, media: string) =>
      whatsappWebhook('34600111222', 'Bo', {
        id,
        timestamp: String(at),
        type: 'image',
        image: { id: media, mime_type: 'image/jpeg', sha256: 'x', caption: 'cracked' },
      });
    const { body, signature } = photo('wamid.m1', 'wa-media-ok');
    expect((await post('/webhooks/wa', body, { 'x-hub-signature-256': signature })).status).toBe(200);
    const parts = await until(
      () => mediaFor('wa'),
      (p) => p !== undefined,
    );
    expect(parts?.[0]).toMatchObject({ kind: 'image', caption: 'cracked', stored: { sha256: sha(JPEG), mimeType: 'image/jpeg' } });

    const big = photo('wamid.m2', 'wa-media-big');
    expect((await post('/webhooks/wa', big.body, { 'x-hub-signature-256': big.signature })).status).toBe(200);
    await gateway.idle();
    const conv = (await gateway.store.listConversations({ limit: 50 })).find((c) => c.channelId === 'wa');
    const all = await gateway.store.listMessages(conv?.id ?? '', { limit: 100 });
    const kept = all.filter((m) => m.role === 'shopper').at(-1)?.parts[0];
    expect(kept).toMatchObject({ kind: 'image', url: 'platform:wa-media-big', caption: 'cracked', intakeError: { code: 'too_large' } });
    expect(kept && 'stored' in kept ? kept.stored : undefined).toBeUndefined();
    // The shopper still got an answer: the message was not dropped.
    expect(all.filter((m) => m.role === 'bot').length).toBeGreaterThanOrEqual(2);
  });

  it('LINE: image content comes from the data API with the channel token', async () => {
    const body = JSON.stringify({
      destination: 'U0bot',
      events: [
        {
          type: 'message',
          mode: 'active',
          timestamp: Date.now(),
          webhookEventId: '01HLINEMEDIA0001',
          deliveryContext: { isRedelivery: false },
          source: { type: 'user', userId: 'U4af49806media' },
          replyToken: 'nHuyWiB7yP5Zw52FIkcQobQuGDXCTB',
          message: { id: '444573844083572799', type: 'image', quoteToken: 'q', contentProvider: { type: 'line' } },
        },
      ],
    });
    const sig = createHmac('sha256', LINE.secret).update(body).digest('base64');
    expect((await post('/webhooks/line', body, { 'x-line-signature': sig })).status).toBe(200);
    const parts = await until(
      () => mediaFor('line'),
      (p) => p !== undefined,
    );
    expect(parts?.[0]).toMatchObject({ kind: 'image', stored: { sha256: sha(PNG), mimeType: 'image/png' } });
  });

  it("e-mail: a Postmark attachment's bytes ride with the event and are stored", async () => {
    // Postmark's inbound JSON: attachments inline, base64 (https://postmarkapp.com/developer/webhooks/inbound-webhook).
    const body = JSON.stringify({
      FromFull: { Email: 'ana@example.com', Name: 'Ana' },
      To: 'support@shop.example',
      ToFull: [{ Email: 'support@shop.example' }],
      Subject: 'Broken bowl',
      MessageID: 'f1b2c3d4-media',
      Date: new Date().toUTCString(),
      TextBody: 'It arrived broken, see the photo.',
      Headers: [{ Name: 'Message-ID', Value: '<bowl-photo@example.com>' }],
      Attachments: [{ Name: 'bowl.jpg', Content: MAIL_PHOTO.toString('base64'), ContentType: 'image/jpeg', ContentLength: MAIL_PHOTO.length }],
    });
    const auth = `Basic ${Buffer.from('hook:hook-password-123').toString('base64')}`;
    expect((await post('/webhooks/mail', body, { authorization: auth })).status).toBe(200);
    const parts = await until(
      () => mediaFor('mail'),
      (p) => p !== undefined,
    );
    expect(parts?.find((p) => p.kind === 'image')).toMatchObject({ name: 'bowl.jpg', stored: { sha256: sha(MAIL_PHOTO), mimeType: 'image/jpeg' } });
  });

  it('Messenger: an image attachment is fetched from its public payload URL', async () => {
    const body = readFileSync(join(projectRoot, 'adapters/messenger/fixtures/messenger_attachment_image.json'), 'utf8')
      .replace('https://scontent.xx.fbcdn.net/v/t1.15752-9/attachment.jpg', `${api.url}/fbcdn/attachment.jpg`)
      .replaceAll('1518479195308', String(Date.now()));
    expect((await post('/webhooks/fb', body, { 'x-hub-signature-256': signMeta(body) })).status).toBe(200);
    const parts = await until(
      () => mediaFor('fb'),
      (p) => p !== undefined,
    );
    expect(parts?.[0]).toMatchObject({ kind: 'image', stored: { sha256: sha(FB_PHOTO), mimeType: 'image/jpeg' } });
  });

  it('Twilio MMS: MediaUrl0 is fetched with the account credentials and the redirect followed', async () => {
    const media = `${api.url}/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/MM${'c'.repeat(32)}/Media/ME${'d'.repeat(32)}`;
    const form = new URLSearchParams({
      MessageSid: `MM${'c'.repeat(32)}`,
      AccountSid: ACCOUNT_SID,
      From: '+14017122661',
      To: '+15005550006',
      Body: 'the box',
      NumMedia: '1',
      MediaUrl0: media,
      MediaContentType0: 'image/jpeg',
    }).toString();
    const res = await fetch(`${gateway.url}/webhooks/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signTwilio(form) },
      body: form,
    });
    expect(res.status).toBe(200);
    const parts = await until(
      () => mediaFor('sms'),
      (p) => p !== undefined,
    );
    expect(parts?.find((p) => p.kind === 'image')).toMatchObject({ url: media, stored: { sha256: sha(MMS_PHOTO), mimeType: 'image/jpeg' } });
  });

  it('web chat: uploads are checked (401, 415, 413 with a reason), stored, sent by reference, served to agents only, and erased', async () => {
    const { token } = await openSession(gateway.url);
    const upload = (bytes: Buffer, type: string, auth = token, name = 'bowl%20photo.jpg') =>
      fetch(`${gateway.url}/webchat/upload`, {
        method: 'POST',
        headers: { 'content-type': type, authorization: `Bearer ${auth}`, 'x-file-name': name },
        body: new Uint8Array(bytes),
      });
    expect((await upload(JPEG, 'image/jpeg', 'not-a-token')).status).toBe(401);
    const svg = await upload(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'image/png');
    expect(svg.status).toBe(415);
    expect((await svg.json()).message).toMatch(/image\/svg\+xml.*not accepted/);
    const big = await upload(BIG, 'image/jpeg');
    expect(big.status).toBe(413);
    expect((await big.json()).message).toMatch(/at most 2000/);

    const ok = await upload(PHOTO, 'image/jpeg');
    expect(ok.status).toBe(200);
    const ref = (await ok.json()) as { ref: string; kind: string; mimeType: string; size: number; name: string };
    expect(ref).toMatchObject({ kind: 'image', mimeType: 'image/jpeg', size: PHOTO.length, name: 'bowl photo.jpg' });
    expect(ref.ref).toMatch(new RegExp(`^upload:${sha(PHOTO)}\\.`));

    // Another session cannot send this session's upload: intake refuses the reference, the message stays.
    const other = await openSession(gateway.url);
    expect((await sendHttp(gateway.url, other.token, { type: 'message', clientId: 'x1', media: [{ ref: ref.ref, kind: 'image' }] })).status).toBe(200);
    expect(
      (
        await sendHttp(gateway.url, token, {
          type: 'message',
          clientId: 'c1',
          text: 'it arrived broken',
          media: [{ ref: ref.ref, kind: 'image', name: ref.name }],
        })
      ).status,
    ).toBe(200);
    const mine = await until(
      () => history(gateway.url, token),
      (m) => m.some((x) => x.role === 'shopper'),
    );
    const part = mine.find((m) => m.role === 'shopper')?.parts.find((p) => p.kind === 'image') as { stored?: { id: string } } | undefined;
    expect(part?.stored?.id).toBe(sha(PHOTO));
    const theirs = await until(
      () => history(gateway.url, other.token),
      (m) => m.some((x) => x.role === 'shopper'),
    );
    expect(theirs.find((m) => m.role === 'shopper')?.parts[0]).toMatchObject({ kind: 'image', intakeError: { code: 'unsupported' } });

    const res = await fetch(`${gateway.url}/console/api/media/${sha(PHOTO)}`, { headers: { cookie: admin.cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-disposition')).toMatch(/^inline; filename="bowl photo.jpg"/);
    expect(Buffer.from(await res.arrayBuffer()).equals(PHOTO)).toBe(true);
    expect((await fetch(`${gateway.url}/console/api/media/${sha(PHOTO)}`)).status).toBe(401);
    expect((await admin.call('GET', `/media/${sha(Buffer.from('nothing'))}`)).status).toBe(404);

    // Erasure: the shopper's blob goes with them.
    const webchatUsers = (await gateway.store.listConversations({ limit: 50 })).filter((c) => c.channelId === 'webchat').map((c) => c.ref.userId);
    const call = (method: string, path: string, body?: unknown) =>
      fetch(`${gateway.url}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    const identities = webchatUsers.map((u) => ({ channelId: 'webchat', platformUserId: u }));
    expect((await call('PUT', '/shoppers/C-MEDIA/identities', identities)).status).toBe(200);
    expect((await call('DELETE', '/shoppers/C-MEDIA')).status).toBe(200);
    expect((await admin.call('GET', `/media/${sha(PHOTO)}`)).status).toBe(404);
  });
});
