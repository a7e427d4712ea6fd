/**
 * Voice notes and photos end to end, through the real webhooks: Telegram's voice note (getFile,
 * then the file endpoint) transcribed by a local server speaking OpenAI's transcription
 * protocol, and WhatsApp's photo (Graph media lookup, then the download) shown to a local vision
 * model; and the same messages on a gateway with neither, which tells the shopper honestly and
 * hands over.
 */
import { sha1Signature } from '../../adapters/wechat/crypto.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/server/gateway.js';
import { amrNb, oggOpus, speak, wavInfo } from '../support/audio.js';
import { makeSite, readSite, startTestGateway, type TestSite } from '../support/gateway.js';
import { telegramWhatsAppYaml, WA, whatsappWebhook } from '../support/local-channels.js';
import { strings } from '../support/locales.js';
import { type ModelScript, ModelServer, sectionTitles, shopperText, userImages } from '../support/model-server.js';
import { type Answer, PlatformServer, type Received } from '../support/platform-server.js';
import { until } from '../support/webchat-client.js';

const TG_TOKEN = '123456:ABC-media_token';
const WX = { appId: 'wx5823bf96d3bd56c7', token: 'wxtoken' };
// WeChat stores voice notes as AMR-NB: two seconds of it, as media/get hands it back.
const AMR = amrNb(2);
const SPOKEN = 'How long does shipping to Germany take?';
const VOICE = oggOpus(speak(SPOKEN));
/** Each test's voice note is its own recording: Parley hears the same bytes only once. */
const VOICES: Record<string, Buffer> = {
  VOICE1: VOICE,
  VOICE2: oggOpus(speak('¿Cuánto tarda el envío a Alemania?', 'es')),
  VOICE3: oggOpus(speak('Hello, I have a question about my order.')),
};
// A real 1x1 JPEG (what a phone camera sends, only smaller).
const JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
  'base64',
);
const GERMANY =
  'Orders to Germany are shipped with DHL and usually arrive within 2–3 business days after dispatch. Shipping costs €5.95, and it is free on orders over €49.\nSOURCES: Shipping to Germany';

/** Telegram's Bot API and WhatsApp's Graph API, media included. */
function platform(api: () => string) {
  return (req: Received): Answer => {
    if (req.path === `/bot${TG_TOKEN}/getFile`) {
      const id = String((req.json as { file_id?: string }).file_id);
      // Telegram's answer for a file over the Bot API's 20 MB download limit.
      if (id === 'HUGE') return { status: 400, json: { ok: false, error_code: 400, description: 'Bad Request: file is too big' } };
      return { json: { ok: true, result: { file_id: id, file_unique_id: id, file_path: `voice/${id}.oga`, file_size: VOICES[id]?.length } } };
    }
    const voice = VOICES[/\/voice\/(\w+)\.oga$/.exec(req.path)?.[1] ?? ''];
    if (voice && req.path.startsWith(`/file/bot${TG_TOKEN}/`)) return { bytes: voice, headers: { 'content-type': 'application/octet-stream' } };
    if (req.path === `/bot${TG_TOKEN}/sendMessage`)
      return { json: { ok: true, result: { message_id: 900 + req.body.length, date: 1, chat: { id: 42, type: 'private' } } } };
    if (req.path.startsWith('/bot')) return { json: { ok: true, result: true } };
    if (req.path === '/v21.0/PHOTO1')
      return { json: { url: `${api()}/wa-media/PHOTO1`, mime_type: 'image/jpeg', sha256: 'x', file_size: JPEG.length, id: 'PHOTO1' } };
    if (req.path === '/wa-media/PHOTO1')
      return req.headers.authorization === `Bearer ${WA.token}` ? { bytes: JPEG, headers: { 'content-type': 'image/jpeg' } } : { status: 401, json: {} };
    if (req.path === '/cgi-bin/token') return { json: { access_token: 'WX_ACCESS_TOKEN', expires_in: 7200 } };
    if (req.path === '/cgi-bin/media/get' && req.query.get('media_id') === 'AMR1' && req.query.get('access_token') === 'WX_ACCESS_TOKEN')
      return { bytes: AMR, headers: { 'content-type': 'audio/amr', 'content-disposition': 'attachment; filename="AMR1.amr"' } };
    if (req.path.startsWith('/cgi-bin/')) return { json: { errcode: 0, errmsg: 'ok' } };
    if (req.path === `/v21.0/${WA.pnid}/messages`) return { json: { messaging_product: 'whatsapp', messages: [{ id: `wamid.out${Math.random()}` }] } };
    return { status: 404, json: { error: 'unknown path in test server' } };
  };
}

const voiceUpdate = (updateId: number, chatId: number, fileId = 'VOICE1') => ({
  update_id: updateId,
  message: {
    message_id: updateId,
    date: Math.floor(Date.now() / 1000),
    chat: { id: chatId, type: 'private', first_name: 'Ana' },
    from: { id: chatId, is_bot: false, first_name: 'Ana', language_code: 'en' },
    voice: { file_id: fileId, file_unique_id: fileId, duration: 3, mime_type: 'audio/ogg', file_size: VOICES[fileId]?.length },
  },
});

function whatsappPhoto(from: string, id: string, caption?: string): { body: string; signature: string } {
  const image = { id: 'PHOTO1', mime_type: 'image/jpeg', sha256: 'x', ...(caption ? { caption } : {}) };
  return whatsappWebhook(from, 'Lucía', { id, timestamp: String(Math.floor(Date.now() / 1000)), type: 'image', image });
}

/** A WeChat voice message (plain mode), with WeChat's own `Recognition` when speech recognition is on. */
function wechatVoice(from: string, msgId: string, mediaId: string, recognition?: string): { path: string; xml: string } {
  const at = String(Math.floor(Date.now() / 1000));
  const xml = `<xml><ToUserName><![CDATA[gh_shop]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName><CreateTime>${at}</CreateTime><MsgType><![CDATA[voice]]></MsgType><MediaId><![CDATA[${mediaId}]]></MediaId><Format><![CDATA[amr]]></Format>${recognition ? `<Recognition><![CDATA[${recognition}]]></Recognition>` : ''}<MsgId>${msgId}</MsgId></xml>`;
  return { path: `/webhooks/wx?timestamp=${at}&nonce=${msgId}&signature=${sha1Signature(WX.token, at, msgId)}`, xml };
}

interface Setup {
  api: PlatformServer;
  site: TestSite;
  gateway: Gateway;
}

async function setUp(extra: (api: string) => string): Promise<Setup> {
  let url = '';
  const api = await new PlatformServer(platform(() => url)).start();
  url = api.url;
  const wechat = `  wx:\n    type: wechat\n    appId: ${WX.appId}\n    appSecret: wx-secret\n    token: ${WX.token}\n    replyBudgetMs: 0\n    apiBaseUrl: "${api.url}"`;
  const site = makeSite(`${extra(api.url)}\nchannels:\n${telegramWhatsAppYaml(api.url, TG_TOKEN)}\n${wechat}\n`);
  const gateway = await startTestGateway(site);
  return { api, site, gateway };
}

async function post(s: Setup, path: string, body: string, headers: Record<string, string>) {
  return fetch(`${s.gateway.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

/** The text of each message sent: Telegram's `text`, WhatsApp's `text.body` or an interactive message's `body.text`. */
const sentTexts = (s: Setup, pattern: RegExp) =>
  s.api.calls(pattern).map((c) => {
    const j = c.json as { text?: string | { body?: string }; interactive?: { body?: { text?: string } } };
    return typeof j.text === 'string' ? j.text : (j.text?.body ?? j.interactive?.body?.text ?? '');
  });

/** Polls until `cond` holds (15 s at most). */
const eventually = (cond: () => boolean) => until(async () => cond(), Boolean);

function conversation(s: Setup, convKey: string) {
  return readSite<{ id: string; state: string; language: string }>(s.site, 'SELECT id, state, language FROM conversations WHERE conv_key = ?', convKey)[0];
}

function handoffReason(s: Setup, conversationId: string | undefined) {
  return readSite<{ reason: string }>(s.site, 'SELECT reason FROM handoffs WHERE conversation_id = ?', conversationId)[0]?.reason;
}

function inbound(s: Setup, conversationId: string | undefined) {
  const row = readSite<{ parts_json: string; original_text: string; language: string }>(
    s.site,
    "SELECT parts_json, original_text, language FROM messages WHERE conversation_id = ? AND direction = 'in' ORDER BY seq DESC LIMIT 1",
    conversationId,
  )[0];
  return { parts: JSON.parse(row?.parts_json ?? '[]') as Record<string, unknown>[], text: row?.original_text, language: row?.language };
}

describe('with a transcriber and a vision model', () => {
  let s: Setup;
  let script: ModelScript;
  const model = new ModelServer((req, i) => script(req, i));

  beforeAll(async () => {
    await model.start();
    s = await setUp(
      () => `
transcription: { enabled: true, baseURL: "${model.url}", apiKey: sk-whisper, model: whisper-1, timeoutMs: 3000 }
llm: { enabled: true, baseURL: "${model.url}", model: gpt-4o-mini, apiKey: sk-chat, timeoutMs: 5000, vision: true }`,
    );
  });
  afterAll(async () => {
    await s?.gateway.close();
    await s?.api.stop();
    await model.close();
    s?.site.cleanup();
  });
  beforeEach(() => {
    model.transcribe = () => ({ text: SPOKEN });
    script = (req) => (/germany/i.test(shopperText(req)) && sectionTitles(req).includes('Shipping to Germany') ? { content: GERMANY } : { content: 'UNKNOWN' });
  });

  it('Telegram: the voice note is fetched, transcribed, answered like typed text, and its transcript is stored for agents', async () => {
    const res = await post(s, '/webhooks/tg', JSON.stringify(voiceUpdate(5001, 4201)), { 'x-telegram-bot-api-secret-token': 'tg-secret' });
    expect(res.status).toBe(200);
    await eventually(() => sentTexts(s, /sendMessage$/).some((t) => t.includes('2–3 business days')));
    const [upload] = model.transcriptions;
    expect(upload?.file?.data.equals(VOICE)).toBe(true);
    expect(upload?.file?.name).toBe('voice.ogg');
    expect(upload?.headers.authorization).toBe('Bearer sk-whisper');
    const conv = conversation(s, 'tg:4201');
    expect(conv?.state).toBe('bot');
    const stored = inbound(s, conv?.id);
    expect(stored.parts[0]).toMatchObject({ kind: 'audio', transcript: SPOKEN, url: 'platform:VOICE1' });
    expect(stored.text).toBe(SPOKEN);
  });

  it("Telegram: a Spanish voice note's transcript settles the conversation's language like typed Spanish", async () => {
    const spanish = '¿Cuánto tarda el envío a Alemania? Lo necesito para el cumpleaños de mi perro.';
    model.transcribe = (req) => ({ text: req.file?.data.length ? spanish : '' });
    await post(s, '/webhooks/tg', JSON.stringify(voiceUpdate(5003, 4203, 'VOICE2')), { 'x-telegram-bot-api-secret-token': 'tg-secret' });
    await eventually(() => conversation(s, 'tg:4203')?.language === 'es');
    const conv = conversation(s, 'tg:4203');
    expect(inbound(s, conv?.id)).toMatchObject({ text: spanish, language: 'es' });
  });

  it("WeChat: WeChat's own Recognition is the text, with no transcription call", async () => {
    const before = model.transcriptions.length;
    const { path, xml } = wechatVoice('oWX_voice1', '7100000000000001', 'AMR1', '寄到德国要多久？');
    expect((await post(s, path, xml, { 'content-type': 'text/xml' })).status).toBe(200);
    await eventually(() => conversation(s, 'wx:oWX_voice1')?.language === 'zh-CN');
    expect(inbound(s, conversation(s, 'wx:oWX_voice1')?.id).parts[0]).toMatchObject({ kind: 'audio', transcript: '寄到德国要多久？' });
    expect(model.transcriptions.length).toBe(before);
  });

  it('WeChat: an AMR voice note is fetched with media/get, converted by ffmpeg to WAV and transcribed', async () => {
    const before = model.transcriptions.length;
    const { path, xml } = wechatVoice('oWX_voice2', '7100000000000002', 'AMR1');
    await post(s, path, xml, { 'content-type': 'text/xml' });
    await eventually(() => model.transcriptions.length > before);
    const upload = model.transcriptions[before];
    expect(upload?.file?.name).toBe('voice.wav');
    const wav = wavInfo(upload?.file?.data ?? Buffer.alloc(0));
    expect(wav).toMatchObject({ sampleRate: 16_000, channels: 1 });
    expect(wav.seconds).toBeCloseTo(2, 1);
    await eventually(() => s.api.calls(/custom\/send$/).some((c) => c.body.includes('oWX_voice2') && c.body.includes('2–3')));
  });

  it('Telegram: a voice note Parley could not download is not dropped: "could not receive", and a person', async () => {
    const before = model.transcriptions.length;
    await post(s, '/webhooks/tg', JSON.stringify(voiceUpdate(5004, 4204, 'HUGE')), { 'x-telegram-bot-api-secret-token': 'tg-secret' });
    await eventually(() => conversation(s, 'tg:4204')?.state === 'awaiting_agent');
    const conv = conversation(s, 'tg:4204');
    expect(handoffReason(s, conv?.id)).toBe('media_review');
    expect(inbound(s, conv?.id).parts[0]).toMatchObject({ kind: 'audio', url: 'platform:HUGE', intakeError: { code: expect.any(String) } });
    await eventually(() => sentTexts(s, /sendMessage$/).some((t) => t.includes(strings('en').media_failed)));
    expect(model.transcriptions.length).toBe(before);
  });

  it('Telegram: a transcriber that fails sends the shopper to a person with the honest reply, never silence', async () => {
    model.transcribe = () => ({ status: 503 });
    await post(s, '/webhooks/tg', JSON.stringify(voiceUpdate(5002, 4202, 'VOICE3')), { 'x-telegram-bot-api-secret-token': 'tg-secret' });
    await eventually(() => conversation(s, 'tg:4202')?.state === 'awaiting_agent');
    const conv = conversation(s, 'tg:4202');
    expect(handoffReason(s, conv?.id)).toBe('media_review');
    await eventually(() => sentTexts(s, /sendMessage$/).some((t) => t.includes(strings('en').media_voice_failed)));
  });

  it('WhatsApp: the photo reaches the vision model as the exact bytes; it hands over with the photo in the conversation (media_review)', async () => {
    script = (req) => (userImages(req).length ? { toolCalls: [{ name: 'handoff_to_human', arguments: { reason: 'complex_case' } }] } : { content: 'UNKNOWN' });
    const { body, signature } = whatsappPhoto('31612345001', 'wamid.photo1', 'The bowl arrived like this');
    expect((await post(s, '/webhooks/wa', body, { 'x-hub-signature-256': signature })).status).toBe(200);
    await eventually(() => conversation(s, 'wa:31612345001')?.state === 'awaiting_agent');
    const chat = model.received.find((r) => userImages(r).length);
    expect(userImages(chat!)).toEqual([`data:image/jpeg;base64,${JPEG.toString('base64')}`]);
    expect(shopperText(chat!)).toBe('The bowl arrived like this');
    const conv = conversation(s, 'wa:31612345001');
    expect(handoffReason(s, conv?.id)).toBe('media_review');
    expect(inbound(s, conv?.id).parts[0]).toMatchObject({
      kind: 'image',
      caption: 'The bowl arrived like this',
      stored: { mimeType: 'image/jpeg', size: JPEG.length },
    });
  });
});

describe('offline default: no transcriber, no vision model', () => {
  let s: Setup;
  beforeAll(async () => {
    s = await setUp(() => '');
  });
  afterAll(async () => {
    await s?.gateway.close();
    await s?.api.stop();
    s?.site.cleanup();
  });

  it('Telegram: a voice note gets "a person will listen" and goes to a person', async () => {
    await post(s, '/webhooks/tg', JSON.stringify(voiceUpdate(6001, 4301)), { 'x-telegram-bot-api-secret-token': 'tg-secret' });
    await eventually(() => sentTexts(s, /sendMessage$/).some((t) => t.includes(strings('en').media_voice)));
    const conv = conversation(s, 'tg:4301');
    expect(conv?.state).toBe('awaiting_agent');
    expect(handoffReason(s, conv?.id)).toBe('media_review');
    // Still fetched and stored: the agent plays it in the console.
    expect(inbound(s, conv?.id).parts[0]).toMatchObject({ kind: 'audio', stored: { mimeType: 'audio/ogg', size: VOICE.length } });
  });

  it('WhatsApp: a Spanish caption on a photo is read (language, policy answer) and a person is promised the photo', async () => {
    const { body, signature } = whatsappPhoto('34612345002', 'wamid.photo2', 'Mi pedido llegó dañado');
    await post(s, '/webhooks/wa', body, { 'x-hub-signature-256': signature });
    await eventually(() => conversation(s, 'wa:34612345002')?.state === 'awaiting_agent');
    const conv = conversation(s, 'wa:34612345002');
    expect(conv?.language).toBe('es');
    expect(handoffReason(s, conv?.id)).toBe('media_review');
    await eventually(() => sentTexts(s, /\/messages$/).some((t) => t.includes(strings('es').media_photo)));
    const reply = sentTexts(s, /\/messages$/).join('\n');
    // The caption was answered from the Spanish damaged-item article, after the notice.
    expect(reply.indexOf(strings('es').media_photo)).toBeLessThan(reply.indexOf('dañado'));
    expect(reply).not.toContain(strings('en').media_photo);
  });
});
