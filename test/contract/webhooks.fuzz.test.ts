/**
 * Every channel's webhook fuzzed through the real route (./webhook-fuzz.ts): arbitrary requests,
 * and the adapter's real fixtures mutated and then signed as the platform signs them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { createBotframeworkAdapter } from '../../adapters/botframework/adapter.js';
import { createCustomAdapter } from '../../adapters/custom/adapter.js';
import { createEmailAdapter } from '../../adapters/email/adapter.js';
import { createLineAdapter } from '../../adapters/line/adapter.js';
import { createInstagramAdapter, createMessengerAdapter } from '../../adapters/messenger/adapter.js';
import { createSlackAdapter } from '../../adapters/slack/adapter.js';
import { createTelegramAdapter } from '../../adapters/telegram/adapter.js';
import { telegramChannel } from '../../adapters/telegram/channel.js';
import { createTwilioAdapter } from '../../adapters/twilio/adapter.js';
import { secretHeader } from '../../adapters/telegram/verify.js';
import { webchatChannel } from '../../adapters/webchat/index.js';
import { createWechatAdapter, createWecomAdapter } from '../../adapters/wechat/adapter.js';
import { encryptMessage, sha1Signature } from '../../adapters/wechat/crypto.js';
import { createWhatsAppAdapter, whatsappChannel } from '../../adapters/whatsapp/adapter.js';
import { createWhatsAppWebAdapter } from '../../adapters/whatsapp-web/adapter.js';
import { whatsappWebChannel } from '../../adapters/whatsapp-web/channel.js';
import type { ChannelAdapter } from '../../src/core/adapter.js';
import type { ChannelDefinition } from '../../src/core/channel.js';
import * as bf from '../support/botframework.js';
import * as custom from '../support/custom.js';
import * as email from '../support/email.js';
import * as line from '../support/line.js';
import * as meta from '../support/meta.js';
import * as slack from '../support/slack.js';
import { testAdapterContext } from '../support/adapter-context.js';
import * as telegram from '../support/telegram.js';
import * as twilio from '../support/twilio.js';
import * as wechat from '../support/wechat.js';
import * as whatsapp from '../support/whatsapp.js';
import * as whatsappWeb from '../support/whatsapp-web.js';
import { describeWebhookFuzz } from './webhook-fuzz.js';

function parsed<C>(definition: ChannelDefinition<C>, raw: Record<string, unknown>): C {
  const result = definition.parseConfig(raw);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value;
}

const jsonFiles = (dir: URL, skip = /^recorded_/) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.json') && !skip.test(f))
    .map((f) => readFileSync(new URL(f, dir), 'utf8'));

describeWebhookFuzz({
  name: 'telegram',
  create: () => createTelegramAdapter(parsed(telegramChannel, { token: '123456:TEST-token_abc', secretToken: 'wh-secret_1' }), telegram.testContext()),
  seeds: () => jsonFiles(new URL('../../adapters/telegram/fixtures/', import.meta.url)),
  format: 'json',
  sign: (body) => ({
    method: 'POST',
    url: '/webhooks/tg-test',
    headers: { 'content-type': 'application/json', [secretHeader]: 'wh-secret_1' },
    query: {},
    body: Buffer.from(body),
  }),
  headers: [secretHeader],
});

describeWebhookFuzz({
  name: 'slack',
  create: () => createSlackAdapter(slack.testConfig(), slack.fakeContext().ctx),
  seeds: () =>
    ['event_message_im.json', 'event_app_mention.json', 'event_message_channels.json', 'url_verification.json'].map((f) => slack.fixture(f).toString()),
  format: 'json',
  sign: (body) => slack.signedRequest(body),
  headers: ['x-slack-signature', 'x-slack-request-timestamp', 'x-slack-retry-num'],
});

describeWebhookFuzz({
  name: 'line',
  create: () => createLineAdapter(line.testConfig(), line.fakeContext().ctx),
  seeds: () => line.eventFixtures().map((f) => line.fixture(f).toString()),
  format: 'json',
  sign: (body) => line.signedRequest(body),
  headers: ['x-line-signature'],
});

describeWebhookFuzz({
  name: 'whatsapp',
  create: () =>
    createWhatsAppAdapter(
      parsed(whatsappChannel, {
        phoneNumberId: '1122334455667',
        accessToken: 'token',
        appSecret: whatsapp.APP_SECRET,
        verifyToken: 'v',
        graphBaseUrl: 'http://127.0.0.1:9',
      }),
      whatsapp.testContext(),
    ),
  seeds: () => whatsapp.fixtureBodies().map((f) => f.body.toString()),
  format: 'json',
  sign: (body) => whatsapp.signedRequest(body),
  headers: ['x-hub-signature-256'],
  // A status whose recipient_id is a number became a conversation keyed "wa:5e-324".
  regressions: () => [
    whatsapp
      .fixtureBytes('pywa_status_delivered.json')
      .toString()
      .replace(/"recipient_id":\s*"[^"]*"/, '"recipient_id": 5e-324'),
  ],
});

// Messenger and Instagram: JSON signed with the app secret, as WhatsApp.
describeWebhookFuzz({
  name: 'messenger',
  create: () => createMessengerAdapter(meta.messengerConfig(), meta.fakeContext('fb').ctx),
  seeds: () => meta.webhookFixtures('messenger').map((f) => meta.fixtureBytes(f).toString()),
  format: 'json',
  sign: (body) => meta.signedRequest(body),
  headers: ['x-hub-signature-256'],
});

describeWebhookFuzz({
  name: 'instagram',
  create: () => createInstagramAdapter(meta.instagramConfig(), meta.fakeContext('ig').ctx),
  seeds: () => meta.webhookFixtures('instagram').map((f) => meta.fixtureBytes(f).toString()),
  format: 'json',
  sign: (body) => meta.signedRequest(body, '/webhooks/ig'),
  headers: ['x-hub-signature-256'],
});

// Twilio: form bodies signed with the URL Twilio calls.
describeWebhookFuzz({
  name: 'twilio',
  create: () => createTwilioAdapter(twilio.testConfig(), twilio.fakeContext().ctx),
  seeds: () => twilio.formFixtures().map((f) => twilio.fixture(f)),
  format: 'text',
  sign: (body) => twilio.signedRequest(body),
  headers: ['x-twilio-signature'],
});

// Custom channels, the worked examples: Feishu encrypts and signs the body, DingTalk signs its timestamp.
describeWebhookFuzz({
  name: 'custom (Feishu example)',
  create: () => createCustomAdapter(custom.exampleConfig('feishu'), custom.fakeContext('feishu').ctx),
  seeds: () =>
    ['im_message_receive_v1.json', 'im_message_receive_v1_p2p_es.json', 'im_message_message_read_v1.json', 'url_verification.json'].map((f) =>
      custom.fixture(`feishu/${f}`),
    ),
  format: 'json',
  sign: (body) => custom.feishuRequest(body),
  headers: ['x-lark-signature', 'x-lark-request-timestamp', 'x-lark-request-nonce'],
});

describeWebhookFuzz({
  name: 'custom (DingTalk example)',
  create: () => createCustomAdapter(custom.exampleConfig('dingtalk'), custom.fakeContext('dingtalk', {}, Date.now()).ctx),
  seeds: () => ['receive_message_text_group.json', 'receive_message_text_single_es.json'].map((f) => custom.fixture(`dingtalk/${f}`)),
  format: 'json',
  sign: (body) => custom.dingtalkRequest(body, { timestamp: String(Date.now()) }),
  headers: ['timestamp', 'sign'],
});

// Bot Framework: the JWT is checked against keys from a local OpenID endpoint.
let botframework: Awaited<ReturnType<typeof bf.localBotFramework>>;
let key: bf.TestKey;
beforeAll(async () => {
  botframework = await bf.localBotFramework();
  key = await bf.mintKey('fuzz-key');
  botframework.state.keys = [key];
});
afterAll(() => botframework?.close());
const bfNow = 1_700_000_000_000;

describeWebhookFuzz({
  name: 'botframework',
  create: () => createBotframeworkAdapter(bf.testConfig(botframework.url), bf.fakeContext({}, bfNow).ctx),
  seeds: () => Object.values(bf.activityFixtures()).map((a) => JSON.stringify(a)),
  format: 'json',
  // The token binds the activity's serviceUrl: sign whatever the mutation left there.
  async sign(body) {
    let serviceUrl: unknown;
    try {
      serviceUrl = (JSON.parse(body) as { serviceUrl?: unknown })?.serviceUrl;
    } catch {
      serviceUrl = undefined;
    }
    return bf.activityRequest(body, await bf.channelToken(key, bfNow, typeof serviceUrl === 'string' ? { serviceurl: serviceUrl } : {}));
  },
  headers: ['authorization'],
});

// WeChat in safe mode and WeCom: the body is AES-encrypted and the query signed.
const { mp, wecomA } = wechat.vectors;
const TS = '1409735669';
function encrypted(xml: string, crypto: { token: string; encodingAESKey: string; receiveId: string }, extra = '') {
  const encrypt = encryptMessage(xml, crypto);
  const body = `<xml><ToUserName><![CDATA[${crypto.receiveId}]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt>${extra}</xml>`;
  return wechat.rawRequest(
    'POST',
    { msg_signature: sha1Signature(crypto.token, TS, '1320562132', encrypt), timestamp: TS, nonce: '1320562132', encrypt_type: 'aes' },
    body,
  );
}
const xmlFixtures = (folder: string) =>
  readdirSync(new URL(`../../adapters/wechat/fixtures/${folder}/`, import.meta.url))
    .filter((f) => /^(msg|event)_.*\.xml$/.test(f))
    .map((f) => wechat.fixture(`${folder}/${f}`));
const wechatQuery = ['signature', 'msg_signature', 'timestamp', 'nonce', 'encrypt_type', 'echostr', 'openid'];

describeWebhookFuzz({
  name: 'wechat (safe mode)',
  create: () =>
    createWechatAdapter(
      {
        appId: mp.appId,
        appSecret: 's',
        token: mp.token,
        encodingAESKey: mp.encodingAESKey,
        apiBaseUrl: 'http://127.0.0.1:9',
        replyBudgetMs: 4000,
        timestampWindowSec: 300,
      },
      wechat.fakeContext({ now: () => Number(TS) * 1000 }),
    ),
  seeds: () => xmlFixtures('wechat'),
  format: 'text',
  sign: (xml) => encrypted(xml, { token: mp.token, encodingAESKey: mp.encodingAESKey, receiveId: mp.appId }),
  headers: ['content-type'],
  query: wechatQuery,
});

describeWebhookFuzz({
  name: 'wecom',
  create: () =>
    createWecomAdapter(
      {
        corpId: wecomA.receiveId_corpId,
        agentId: 218,
        secret: 's',
        token: wecomA.token,
        encodingAESKey: wecomA.encodingAESKey,
        apiBaseUrl: 'http://127.0.0.1:9',
        replyBudgetMs: 4000,
        timestampWindowSec: 300,
      },
      wechat.fakeContext({ now: () => Number(TS) * 1000 }),
    ),
  seeds: () => xmlFixtures('wecom'),
  format: 'text',
  sign: (xml) =>
    encrypted(xml, { token: wecomA.token, encodingAESKey: wecomA.encodingAESKey, receiveId: wecomA.receiveId_corpId }, '<AgentID><![CDATA[218]]></AgentID>'),
  headers: ['content-type'],
  query: wechatQuery,
});

// The web chat's HTTP fallback: a session token instead of a signature.
const webchatContext = testAdapterContext('webchat', 1_767_225_600_000).ctx;
let webchat: ReturnType<typeof webchatChannel.create> | undefined;
const webchatAdapter = () => (webchat ??= webchatChannel.create(parsed(webchatChannel, {}), webchatContext));

describeWebhookFuzz({
  name: 'webchat',
  create: webchatAdapter,
  seeds: () => [
    JSON.stringify({ type: 'message', clientId: 'c-1', text: 'How long does shipping to Germany take?', locale: 'en-GB' }),
    JSON.stringify({ type: 'postback', clientId: 'c-2', payload: 'handoff.request', label: 'Talk to a person' }),
    JSON.stringify({ type: 'language', language: 'es' }),
  ],
  format: 'json',
  async sign(body) {
    const adapter = webchatAdapter() as ChannelAdapter & { tokens: { issue(now: number): Promise<{ token: string }> } };
    const { token } = await adapter.tokens.issue(webchatContext.clock.now());
    return {
      method: 'POST',
      url: '/webhooks/webchat',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      query: {},
      body: Buffer.from(body),
    };
  },
  headers: ['authorization'],
});

describeWebhookFuzz({
  name: 'whatsapp-web (no webhook)',
  create: () => createWhatsAppWebAdapter(parsed(whatsappWebChannel, {}), whatsappWeb.testContext()),
  seeds: () => [],
  format: 'json',
  headers: ['authorization'],
});

// E-mail: Postmark's inbound JSON, authenticated with HTTP Basic credentials.
describeWebhookFuzz({
  name: 'email (Postmark inbound)',
  create: () => createEmailAdapter(email.testConfig(), email.fakeContext().ctx),
  seeds: () => [email.fixture('postmark-inbound.json').toString()],
  format: 'json',
  sign: (body) => email.postmarkRequest(body),
  headers: ['authorization'],
});

// E-mail: Mailgun's route POST (urlencoded), signed over timestamp + token with a fresh token each time.
describeWebhookFuzz({
  name: 'email (Mailgun route)',
  create: () => createEmailAdapter(email.mailgunConfig(), email.fakeContext().ctx),
  seeds: () => [new URLSearchParams(email.mailgunFields()).toString()],
  format: 'text',
  sign: (body) => email.mailgunRequest(Object.fromEntries(new URLSearchParams(body)), { now: email.fakeContext().clock.now() }),
  headers: ['content-type'],
});
