import type { AdapterContext, ChannelAdapter, DeliveryEnvelope, DeliveryReceipt } from '../../src/core/adapter.js';
import type { Capabilities } from '../../src/core/capabilities.js';
import { type ChannelDefinition, fromSafeParse } from '../../src/core/channel.js';
import { DeliveryError } from '../../src/core/errors.js';
import type { ConversationRef } from '../../src/core/message.js';
import type { GraphApi } from '../meta/graph.js';
import { instagramCapabilities, messengerCapabilities } from './capabilities.js';
import { sendMessage, sendRules } from './client.js';
import { type InstagramConfig, instagramConfigSchema, type MessengerConfig, messengerConfigSchema, missingSettings } from './config.js';
import { normalizeWebhook } from './normalize.js';
import { humanAgentPayloads, type RenderOptions, renderMessage } from './render.js';
import { answerHandshake, verifySignature } from './verify.js';
import type { SendPayload } from './wire.js';

/** How long a sent part of a multi-part delivery is remembered, so a retry skips it. */
const SENT_MEMORY_MS = 24 * 60 * 60 * 1000;

/** How long after the shopper's last message Meta accepts a person's reply tagged HUMAN_AGENT. */
const HUMAN_AGENT_MS = 7 * 24 * 60 * 60 * 1000;

const WINDOW_CLOSED_FOR_BOT =
  "The 24-hour messaging window is closed: only a person's reply may still go (HUMAN_AGENT tag, up to 7 days after the shopper's last message); bot and care messages are not sent. Wait for the shopper to write.";

/** What differs between the two products; everything else is the Messenger Platform. */
interface MetaMessaging {
  type: 'messenger' | 'instagram';
  object: 'page' | 'instagram';
  product: 'Messenger' | 'Instagram';
  /** The Page id or the Instagram account id: the sender of every message. */
  accountId: string;
  /** Where the webhook puts that id in `ref.extra`. */
  accountKey: 'pageId' | 'igUserId';
  accessToken: string | undefined;
  appSecret: string | undefined;
  verifyToken: string | undefined;
  graphBaseUrl: string;
  apiVersion: string;
  authHint: string;
  capabilities: Capabilities;
  render: RenderOptions;
}

/** The account to send from: the one the shopper wrote to, else the configured one. */
function senderAccount(ref: ConversationRef, settings: MetaMessaging): string {
  const fromRef = ref.extra?.[settings.accountKey];
  return typeof fromRef === 'string' && /^\d+$/.test(fromRef) ? fromRef : settings.accountId;
}

function createMetaMessagingAdapter(settings: MetaMessaging, ctx: AdapterContext): ChannelAdapter<SendPayload> {
  const log = ctx.log.child({ channel: ctx.channelId });
  const api: GraphApi = {
    fetch: ctx.fetch,
    baseUrl: settings.graphBaseUrl,
    version: settings.apiVersion,
    accessToken: settings.accessToken,
    channelId: ctx.channelId,
    authHint: settings.authHint,
    product: settings.product,
  };
  const rules = sendRules(settings.authHint);
  const render = (message: Parameters<typeof renderMessage>[0]) => renderMessage(message, settings.render);

  // Why remember sent parts: the Send API has no idempotency key, so when the third of three
  // payloads fails, the retry must not show the first two again.
  async function deliver(ref: ConversationRef, payloads: SendPayload[], envelope: DeliveryEnvelope): Promise<DeliveryReceipt> {
    // Meta allows the HUMAN_AGENT tag for a person's replies only.
    if (envelope.role !== 'agent' && payloads.some((p) => p.tag === 'HUMAN_AGENT')) throw new DeliveryError('invalid', WINDOW_CLOSED_FOR_BOT);
    const from = senderAccount(ref, settings);
    const ids: string[] = [];
    for (const [i, payload] of payloads.entries()) {
      const key = `${settings.type}:${ctx.channelId}:sent:${envelope.idempotencyKey}:${i}`;
      const remembered = payloads.length > 1 ? await ctx.state.get(key) : undefined;
      const id = remembered ?? (await sendMessage(api, from, { recipient: { id: ref.chatId }, ...payload }, rules));
      if (!remembered && payloads.length > 1) await ctx.state.set(key, id, ctx.clock.now() + SENT_MEMORY_MS);
      ids.push(id);
    }
    return { platformMessageIds: ids };
  }

  return {
    type: settings.type,
    id: ctx.channelId,
    capabilities: settings.capabilities,
    verify: (req) => verifySignature(req, settings.appSecret),
    handshake: (req) => answerHandshake(req, settings.verifyToken),
    normalize: (req) => normalizeWebhook(req.body, { channelId: ctx.channelId, log, object: settings.object }),
    render,
    deliver,
    // After 24 hours only a person's reply may go, tagged HUMAN_AGENT, and for 7 days after the
    // shopper's last message; the bot's answers and care's messages have no Messenger
    // equivalent and are refused here.
    outsideWindow: (message, _ref, { role, lastInboundAt, now }) =>
      role === 'agent' && !message.template && (lastInboundAt === undefined || now - lastInboundAt < HUMAN_AGENT_MS)
        ? humanAgentPayloads(render(message))
        : undefined,
  };
}

const common = (config: MessengerConfig | InstagramConfig) => ({
  appSecret: config.appSecret,
  verifyToken: config.verifyToken,
  graphBaseUrl: config.graphBaseUrl,
  apiVersion: config.apiVersion,
});

/**
 * Builds a Facebook Messenger channel instance for one Page.
 *
 * @example
 * ```ts
 * const fb = createMessengerAdapter(messengerConfigSchema.parse({ pageId: '123', pageAccessToken, appSecret, verifyToken }), ctx);
 * const v = await fb.verify(rawRequest);
 * if (v.ok) await inbox.accept(fb.normalize(v.request).events);
 * ```
 */
export function createMessengerAdapter(config: MessengerConfig, ctx: AdapterContext): ChannelAdapter<SendPayload> {
  return createMetaMessagingAdapter(
    {
      ...common(config),
      type: 'messenger',
      object: 'page',
      product: 'Messenger',
      accountId: config.pageId,
      accountKey: 'pageId',
      accessToken: config.pageAccessToken,
      authHint: 'Check FB_PAGE_TOKEN (a Page access token with pages_messaging).',
      capabilities: messengerCapabilities,
      render: { buttonTemplate: true },
    },
    ctx,
  );
}

/**
 * Builds an Instagram channel instance for one professional account.
 *
 * @example
 * ```ts
 * const ig = createInstagramAdapter(instagramConfigSchema.parse({ igUserId: '17841400000000000', accessToken, appSecret, verifyToken }), ctx);
 * ```
 */
export function createInstagramAdapter(config: InstagramConfig, ctx: AdapterContext): ChannelAdapter<SendPayload> {
  return createMetaMessagingAdapter(
    {
      ...common(config),
      type: 'instagram',
      object: 'instagram',
      product: 'Instagram',
      accountId: config.igUserId,
      accountKey: 'igUserId',
      accessToken: config.accessToken,
      authHint: 'Check IG_TOKEN (an Instagram user access token with instagram_business_manage_messages).',
      capabilities: instagramCapabilities,
      render: { buttonTemplate: false, maxTextBytes: 1000 },
    },
    ctx,
  );
}

const HUMAN_AGENT_NOTE = "Replies after 24 hours go only from agents, with the HUMAN_AGENT tag (the app needs Meta's Human Agent permission).";
const webhookNote = (fields: string) => `Set the webhook URL above as the app's callback URL, with the verify token, and subscribe to ${fields}.`;

/**
 * The `messenger` channel type (Facebook Messenger, Messenger Platform Send API).
 *
 * @example
 * ```yaml
 * channels:
 *   fb:
 *     type: messenger
 *     pageId: "123456789012345"
 *     pageAccessToken: ${FB_PAGE_TOKEN}
 *     appSecret: ${META_APP_SECRET}
 *     verifyToken: ${META_VERIFY_TOKEN}
 * ```
 */
export const messengerChannel: ChannelDefinition<MessengerConfig> = {
  type: 'messenger',
  parseConfig: (raw) => fromSafeParse(messengerConfigSchema.safeParse(raw)),
  create: (config, ctx) => createMessengerAdapter(config, ctx),
  describe: (config) => ({
    missing: missingSettings(config),
    notes: [webhookNote('the Page fields messages, messaging_postbacks, message_deliveries and message_reactions'), HUMAN_AGENT_NOTE],
  }),
};

/**
 * The `instagram` channel type (Instagram API with Instagram Login, `graph.instagram.com`).
 *
 * @example
 * ```yaml
 * channels:
 *   ig:
 *     type: instagram
 *     igUserId: "17841400000000000"
 *     accessToken: ${IG_TOKEN}
 *     appSecret: ${META_APP_SECRET}
 *     verifyToken: ${META_VERIFY_TOKEN}
 * ```
 */
export const instagramChannel: ChannelDefinition<InstagramConfig> = {
  type: 'instagram',
  parseConfig: (raw) => fromSafeParse(instagramConfigSchema.safeParse(raw)),
  create: (config, ctx) => createInstagramAdapter(config, ctx),
  describe: (config) => ({
    missing: missingSettings(config),
    notes: [webhookNote('the Instagram fields messages, messaging_postbacks, messaging_seen and message_reactions'), HUMAN_AGENT_NOTE],
  }),
};
