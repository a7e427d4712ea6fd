import type { AdapterContext, ChannelAdapter } from '../../src/core/adapter.js';
import type { ConversationRef } from '../../src/core/message.js';
import { botframeworkCapabilities } from './capabilities.js';
import { BotframeworkClient } from './client.js';
import type { BotframeworkConfig } from './config.js';
import { normalizeActivity } from './normalize.js';
import { type BotframeworkActivity, renderMessage } from './render.js';
import { createVerifier } from './verify.js';

/** A Bot Framework channel instance (Teams, Web Chat / Direct Line and the other Azure Bot channels). */
export interface BotframeworkAdapter extends ChannelAdapter<BotframeworkActivity> {
  sendTyping(ref: ConversationRef): Promise<void>;
}

/**
 * Creates a Bot Framework channel instance. Inbound activities are checked like
 * `CloudAdapter` checks them (JWT from the Bot Connector); replies go to the conversation's
 * `serviceUrl` with the bot's token.
 *
 * @example
 * ```ts
 * const bf = createBotframeworkAdapter(botframeworkConfigSchema.parse({ appId, appPassword }), ctx);
 * const v = await bf.verify(raw);
 * if (v.ok) await inbox.accept(bf.normalize(v.request).events);
 * ```
 */
export function createBotframeworkAdapter(config: BotframeworkConfig, ctx: AdapterContext): BotframeworkAdapter {
  const client = new BotframeworkClient(config, ctx);
  const verify = createVerifier(config, ctx);
  const now = () => ctx.clock.now();
  return {
    type: 'botframework',
    id: ctx.channelId,
    capabilities: botframeworkCapabilities,
    verify,
    normalize: (req) => normalizeActivity(req.body, ctx.channelId, now),
    render: (message, ref) => renderMessage(message, ref),
    deliver: (ref, payloads) => client.deliver(ref, payloads),
    sendTyping: (ref) => client.sendTyping(ref),
    fetchMedia: (url, options) => client.fetchMedia(url, options),
  };
}
