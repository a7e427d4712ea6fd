import type { AdapterContext, ChannelAdapter, FetchedMedia, FetchMediaOptions } from '../../src/core/adapter.js';
import { type ChannelDefinition, fromSafeParse } from '../../src/core/channel.js';
import type { ConversationRef } from '../../src/core/message.js';
import { lineCapabilities } from './capabilities.js';
import { LineClient } from './client.js';
import { type LineConfig, lineConfigSchema, missingSettings } from './config.js';
import { normalizeWebhook } from './normalize.js';
import { type LineMessageObject, renderMessage } from './render.js';
import { verifySignature } from './verify.js';

/** A LINE channel instance: the contract plus `fetchMedia` for `platform:<id>` URLs. */
export interface LineAdapter extends ChannelAdapter<LineMessageObject> {
  sendTyping(ref: ConversationRef): Promise<void>;
  /** Fetches content a shopper sent (`platform:<message id>`) from LINE's content API. */
  fetchMedia(url: string, options?: FetchMediaOptions): Promise<FetchedMedia>;
}

async function registerWebhook(client: LineClient, config: LineConfig, ctx: AdapterContext): Promise<void> {
  const url = ctx.publicUrl ? `${ctx.publicUrl.replace(/\/+$/, '')}${ctx.webhookPath}` : undefined;
  if (!config.registerWebhook || !config.channelAccessToken) return;
  // Why: LINE accepts only HTTPS webhook URLs; a local gateway is set up by hand or a tunnel.
  if (!url?.startsWith('https://')) {
    ctx.log.info({ channel: ctx.channelId }, 'LINE webhook not registered: the public URL is not https');
    return;
  }
  await client.setWebhook(url);
  ctx.log.info({ channel: ctx.channelId }, 'LINE webhook registered');
}

/**
 * Creates a LINE Messaging API channel instance.
 *
 * @example
 * ```ts
 * const line = createLineAdapter({ channelSecret, channelAccessToken, apiBaseUrl, dataApiBaseUrl, registerWebhook: false }, ctx);
 * const v = await line.verify(raw);
 * if (v.ok) await inbox.accept(line.normalize(v.request).events);
 * ```
 */
export function createLineAdapter(config: LineConfig, ctx: AdapterContext): LineAdapter {
  const client = new LineClient(config, ctx);
  const renderOptions = config.videoPreviewImageUrl ? { videoPreviewImageUrl: config.videoPreviewImageUrl } : {};
  return {
    type: 'line',
    id: ctx.channelId,
    capabilities: lineCapabilities({ video: config.videoPreviewImageUrl !== undefined }),
    verify: (req) => verifySignature(req, config.channelSecret),
    normalize: (req) => normalizeWebhook(req.body, ctx.channelId),
    render: (message) => renderMessage(message, renderOptions),
    deliver: (ref, payloads, envelope) => client.deliver(ref, payloads, envelope),
    sendTyping: (ref) => client.sendTyping(ref),
    fetchMedia: (url, options) => client.fetchMedia(url, options),
    start: () => registerWebhook(client, config, ctx),
  };
}

/** The `line` channel type: LINE Official Accounts through the Messaging API. */
export const lineChannel: ChannelDefinition<LineConfig, ChannelAdapter> = {
  type: 'line',
  parseConfig: (raw) => fromSafeParse(lineConfigSchema.safeParse(raw)),
  create: (config, ctx) => createLineAdapter(config, ctx),
  describe: (config) => ({
    missing: missingSettings(config),
    notes: [
      'Webhook URL: {publicUrl}/webhooks/<channel id> (set on start when the public URL is https; else paste it in the LINE Developers Console and turn on "Use webhook").',
      ...(config.videoPreviewImageUrl ? [] : ['videoPreviewImageUrl is not set: videos are sent as links.']),
    ],
  }),
};
