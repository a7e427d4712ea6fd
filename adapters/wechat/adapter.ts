import { randomInt } from 'node:crypto';
import type { AdapterContext, ChannelAdapter, HttpAck, VerifiedRequest } from '../../src/core/adapter.js';
import type { Capabilities } from '../../src/core/capabilities.js';
import { type ChannelDefinition, fromSafeParse } from '../../src/core/channel.js';
import { ParleyError } from '../../src/core/errors.js';
import type { ConversationRef, OutboundMessage } from '../../src/core/message.js';
import { wechatCapabilities, wecomCapabilities } from './capabilities.js';
import { downloadMedia, fetchAccessToken, type PlatformApi, postWithToken, sendMessages } from './client.js';
import { type WechatConfig, type WecomConfig, wechatConfigSchema, wecomConfigSchema } from './config.js';
import { type CryptoConfig, encryptReply } from './crypto.js';
import { normalizeCallback } from './normalize.js';
import { renderMessage, renderPassiveReply, type WechatPayload } from './render.js';
import { createAccessTokens } from './token.js';
import { answerHandshake, type VerifyOptions, verifyCallback, type WechatVerified } from './verify.js';

/**
 * A WeChat Official Account or WeCom channel. Besides the contract it can answer inside the
 * webhook's HTTP response (the passive reply), which the platform waits 5 s for.
 */
export interface WechatAdapter extends ChannelAdapter<WechatPayload> {
  /** How long the gateway may wait for the answer before acking and sending it through the API. */
  readonly replyBudgetMs: number;
  /**
   * The HTTP response that carries `message` (one degraded piece) as the passive reply to the
   * callback that `ref` came from: plaintext XML, or the encrypted envelope in safe mode and on
   * WeCom. Undefined when it does not fit in one passive reply; then ack and `deliver` instead.
   */
  passiveReply(message: OutboundMessage, ref: ConversationRef): HttpAck | undefined;
}

interface Settings {
  type: 'wechat' | 'wecom';
  capabilities: Capabilities;
  verify: VerifyOptions;
  crypto?: CryptoConfig;
  api: PlatformApi;
  replyBudgetMs: number;
  ack: HttpAck;
  /** Template messages for outside the messaging window (Official Account only). */
  templates?: WechatConfig['templates'];
}

/** The template message carrying `message` outside the window, if one is configured for its key. */
function templatePayloads(templates: WechatConfig['templates'] | undefined, message: OutboundMessage): WechatPayload[] | undefined {
  const key = message.template?.key;
  const template = key && templates && Object.hasOwn(templates, key) ? templates[key] : undefined;
  if (!template) return undefined;
  const params = message.template?.params ?? [];
  const data = Object.fromEntries(template.fields.map((field, i) => [field, { value: params[i] ?? '' }]));
  return [{ msgtype: 'template', template: { template_id: template.templateId, ...(template.url ? { url: template.url } : {}), data } }];
}

const enc = encodeURIComponent;

function verifiedXml(req: VerifiedRequest): string {
  const verified = req.verified as Partial<WechatVerified> | undefined;
  if (typeof verified?.xml !== 'string') throw new ParleyError('BAD_PAYLOAD', 'WeChat request was not verified by this adapter.');
  return verified.xml;
}

function passiveAck(settings: Settings, ctx: AdapterContext, message: OutboundMessage, ref: ConversationRef): HttpAck | undefined {
  const nowSec = Math.floor(ctx.clock.now() / 1000);
  const xml = renderPassiveReply(message, ref, nowSec);
  if (xml === undefined) return undefined;
  const body = settings.crypto ? encryptReply(xml, settings.crypto, String(randomInt(1e8, 1e10)), String(nowSec)) : xml;
  return { status: 200, body, headers: { 'content-type': 'application/xml; charset=utf-8' } };
}

function createAdapter(settings: Settings, ctx: AdapterContext): WechatAdapter {
  const tokens = createAccessTokens(ctx, () => fetchAccessToken(ctx.fetch, settings.api));
  const normalizeOptions = { channelId: ctx.channelId, platform: settings.type, ack: settings.ack };
  const adapter: WechatAdapter = {
    type: settings.type,
    id: ctx.channelId,
    capabilities: settings.capabilities,
    replyBudgetMs: settings.replyBudgetMs,
    verify: (req) => verifyCallback(req, settings.verify),
    handshake: (req) => answerHandshake(req, settings.verify),
    normalize: (req) => normalizeCallback(verifiedXml(req), normalizeOptions),
    render: (message) => renderMessage(message),
    deliver: (ref, payloads) => sendMessages(ctx.fetch, settings.api, tokens, ref, payloads),
    fetchMedia: (url, options) => downloadMedia(ctx.fetch, settings.api, tokens, url, options),
    passiveReply: (message, ref) => passiveAck(settings, ctx, message, ref),
    ...(settings.templates ? { outsideWindow: (message: OutboundMessage) => templatePayloads(settings.templates, message) } : {}),
  };
  if (!settings.capabilities.typing) return adapter;
  return {
    ...adapter,
    async sendTyping(ref) {
      const command = { touser: ref.userId, command: 'Typing' };
      // Best effort: a typing indicator is never worth failing a turn for.
      await postWithToken(ctx.fetch, settings.api, tokens, 'typing', '/cgi-bin/message/custom/typing', command).catch((err: unknown) =>
        ctx.log.debug({ channel: ctx.channelId, code: (err as ParleyError).code }, 'typing failed'),
      );
    },
  };
}

/**
 * A WeChat Official Account (公众号) adapter: plain or safe-mode callbacks, passive replies,
 * customer-service messages through `cgi-bin/message/custom/send`.
 */
export function createWechatAdapter(config: WechatConfig, ctx: AdapterContext): WechatAdapter {
  const crypto = config.encodingAESKey ? { token: config.token, encodingAESKey: config.encodingAESKey, receiveId: config.appId } : undefined;
  const tokenPath = `/cgi-bin/token?grant_type=client_credential&appid=${enc(config.appId)}&secret=${enc(config.appSecret)}`;
  return createAdapter(
    {
      type: 'wechat',
      capabilities: wechatCapabilities,
      verify: { token: config.token, crypto, plainAllowed: true, timestampWindowSec: config.timestampWindowSec, clock: ctx.clock },
      crypto,
      api: {
        name: 'WeChat',
        baseUrl: config.apiBaseUrl,
        tokenPath,
        sendPath: '/cgi-bin/message/custom/send',
        authHint: "Check the appId and WECHAT_APP_SECRET, and that this server's IP is on the account's IP allow-list.",
        recipient: (ref) => ({ touser: ref.userId }),
      },
      replyBudgetMs: config.replyBudgetMs,
      templates: config.templates,
      // "success" tells WeChat there is no passive reply and stops its retries.
      ack: { status: 200, body: 'success' },
    },
    ctx,
  );
}

/**
 * A WeCom (企业微信) self-built app adapter: always-encrypted callbacks, passive replies, app
 * messages through `cgi-bin/message/send`.
 */
export function createWecomAdapter(config: WecomConfig, ctx: AdapterContext): WechatAdapter {
  const crypto = { token: config.token, encodingAESKey: config.encodingAESKey, receiveId: config.corpId };
  return createAdapter(
    {
      type: 'wecom',
      capabilities: wecomCapabilities,
      verify: { token: config.token, crypto, plainAllowed: false, timestampWindowSec: config.timestampWindowSec, clock: ctx.clock },
      crypto,
      api: {
        name: 'WeCom',
        baseUrl: config.apiBaseUrl,
        tokenPath: `/cgi-bin/gettoken?corpid=${enc(config.corpId)}&corpsecret=${enc(config.secret)}`,
        sendPath: '/cgi-bin/message/send',
        authHint: "Check the corpId and WECOM_SECRET (the app's Secret), and the app's trusted IPs.",
        recipient: (ref) => ({ touser: ref.userId, agentid: config.agentId }),
      },
      replyBudgetMs: config.replyBudgetMs,
      // WeCom wants an empty 200 when there is no passive reply.
      ack: { status: 200, body: '' },
    },
    ctx,
  );
}

const webhookNote = 'Register {publicUrl}/webhooks/<channel id> as the server URL (服务器地址 URL) in the console.';

/** The `wechat` channel type (WeChat Official Account). */
export const wechatChannel: ChannelDefinition<WechatConfig, ChannelAdapter> = {
  type: 'wechat',
  parseConfig: (raw) => fromSafeParse(wechatConfigSchema.safeParse(raw)),
  create: (config, ctx) => createWechatAdapter(config, ctx),
  describe: (config) => ({
    missing: [],
    notes: [
      webhookNote,
      config.encodingAESKey
        ? 'Safe mode (安全模式): callbacks are decrypted and their msg_signature checked.'
        : 'Plain mode: WeChat does not sign the body. Set encodingAESKey (WECHAT_AES_KEY) and switch the account to safe mode (安全模式).',
    ],
  }),
};

/** The `wecom` channel type (WeCom / 企业微信 self-built app). */
export const wecomChannel: ChannelDefinition<WecomConfig, ChannelAdapter> = {
  type: 'wecom',
  parseConfig: (raw) => fromSafeParse(wecomConfigSchema.safeParse(raw)),
  create: (config, ctx) => createWecomAdapter(config, ctx),
  describe: () => ({ missing: [], notes: [webhookNote, "Add this server's IP to the app's trusted IPs (企业可信IP)."] }),
};
