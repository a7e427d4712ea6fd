import type { AdapterContext, ChannelAdapter, DeliveryEnvelope, DeliveryReceipt, FetchedMedia, FetchMediaOptions } from '../../src/core/adapter.js';
import { type ChannelDefinition, fromSafeParse } from '../../src/core/channel.js';
import type { ConversationRef } from '../../src/core/message.js';
import { whatsappCapabilities } from './capabilities.js';
import { AUTH_HINT, downloadMedia, type GraphApi, markAsRead, sendMessage } from './client.js';
import { missingSettings, type WhatsAppConfig, whatsappConfigSchema } from './config.js';
import { normalizeWebhook } from './normalize.js';
import { renderMessage } from './render.js';
import { answerHandshake, verifySignature } from './verify.js';
import { renderTemplate, resolveTemplate } from './window.js';
import type { WhatsAppPayload } from './wire.js';

/** How long a sent part of a multi-part delivery is remembered, so a retry skips it. */
const SENT_MEMORY_MS = 24 * 60 * 60 * 1000;

/**
 * A WhatsApp Cloud API channel: the {@link ChannelAdapter} plus the platform extras the core
 * may call when present.
 */
export interface WhatsAppAdapter extends ChannelAdapter<WhatsAppPayload> {
  /** Marks the shopper's message `messageId` (and earlier ones) as read. */
  markAsRead(ref: ConversationRef, messageId: string): Promise<void>;
  /** Fetches media a shopper sent; accepts a media id or a part's `platform:<id>` url. */
  fetchMedia(mediaId: string, options?: FetchMediaOptions): Promise<FetchedMedia>;
}

/** The business number to send from: the one the shopper wrote to, else the configured one. */
function senderNumber(ref: ConversationRef, config: WhatsAppConfig): string {
  const fromRef = ref.extra?.phoneNumberId;
  return typeof fromRef === 'string' && /^\d+$/.test(fromRef) ? fromRef : config.phoneNumberId;
}

/**
 * Builds a WhatsApp Cloud API channel instance.
 *
 * @example
 * ```ts
 * const adapter = createWhatsAppAdapter(config, ctx);
 * const v = await adapter.verify(rawRequest);
 * if (v.ok) await inbox.accept(adapter.normalize(v.request).events);
 * ```
 */
export function createWhatsAppAdapter(config: WhatsAppConfig, ctx: AdapterContext): WhatsAppAdapter {
  const log = ctx.log.child({ channel: ctx.channelId });
  const api: GraphApi = {
    fetch: ctx.fetch,
    baseUrl: config.graphBaseUrl,
    version: config.apiVersion,
    accessToken: config.accessToken,
    channelId: ctx.channelId,
    authHint: AUTH_HINT,
    product: 'WhatsApp',
  };

  // Why remember sent parts: Graph has no idempotency key, so when the third of three payloads
  // fails, the retry must not show the first two again.
  async function deliver(ref: ConversationRef, payloads: WhatsAppPayload[], envelope: DeliveryEnvelope): Promise<DeliveryReceipt> {
    const from = senderNumber(ref, config);
    const ids: string[] = [];
    for (const [i, payload] of payloads.entries()) {
      const key = `whatsapp:${ctx.channelId}:sent:${envelope.idempotencyKey}:${i}`;
      const remembered = payloads.length > 1 ? await ctx.state.get(key) : undefined;
      const id = remembered ?? (await sendMessage(api, from, { ...payload, to: payload.to ?? ref.chatId }));
      if (!remembered && payloads.length > 1) await ctx.state.set(key, id, ctx.clock.now() + SENT_MEMORY_MS);
      ids.push(id);
    }
    return { platformMessageIds: ids };
  }

  return {
    type: 'whatsapp',
    id: ctx.channelId,
    capabilities: whatsappCapabilities,
    verify: (req) => verifySignature(req, config.appSecret),
    handshake: (req) => answerHandshake(req, config.verifyToken),
    normalize: (req) => normalizeWebhook(req.body, { channelId: ctx.channelId, log }),
    render: renderMessage,
    deliver,
    outsideWindow(message, _ref, context) {
      const key = message.template?.key ?? 'reengage';
      const template = resolveTemplate(config.templates, key, context.language ?? 'en');
      return template ? [renderTemplate(template.name, template.languageCode, message.template?.params ?? [])] : undefined;
    },
    markAsRead: (ref, messageId) => markAsRead(api, senderNumber(ref, config), messageId),
    fetchMedia: (mediaId, options) => downloadMedia(api, mediaId, options),
  };
}

/**
 * The `whatsapp` channel type (Meta WhatsApp Cloud API).
 *
 * @example
 * ```yaml
 * channels:
 *   wa-shop:
 *     type: whatsapp
 *     phoneNumberId: "106540352242922"
 *     accessToken: ${WHATSAPP_ACCESS_TOKEN}
 *     appSecret: ${WHATSAPP_APP_SECRET}
 *     verifyToken: ${WHATSAPP_VERIFY_TOKEN}
 * ```
 */
export const whatsappChannel: ChannelDefinition<WhatsAppConfig> = {
  type: 'whatsapp',
  parseConfig: (raw) => fromSafeParse(whatsappConfigSchema.safeParse(raw)),
  create: (config, ctx) => createWhatsAppAdapter(config, ctx),
  describe: (config) => ({
    missing: missingSettings(config),
    notes: [
      'Register {publicUrl}/webhooks/<channel id> as the app\'s callback URL and subscribe to the "messages" field.',
      ...(Object.keys(config.templates).length === 0 ? ['No templates configured: messages outside the 24-hour window will be recorded undeliverable.'] : []),
    ],
  }),
};
