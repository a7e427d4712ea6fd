import type { AdapterContext, ChannelAdapter } from '../../src/core/adapter.js';
import { slackCapabilities } from './capabilities.js';
import { SlackClient } from './client.js';
import type { SlackConfig } from './config.js';
import { normalizeSlack } from './normalize.js';
import { renderMessage, type SlackMessage } from './render.js';
import { verifySlackRequest } from './verify.js';

/**
 * Creates a Slack channel instance: the Events API and interactivity over Parley's webhook
 * route, replies with `chat.postMessage`.
 *
 * @example
 * ```ts
 * const slack = createSlackAdapter(slackConfigSchema.parse({ botToken, signingSecret }), ctx);
 * const v = await slack.verify(raw);
 * if (v.ok) await inbox.accept(slack.normalize(v.request).events);
 * ```
 */
export function createSlackAdapter(config: SlackConfig, ctx: AdapterContext): ChannelAdapter<SlackMessage> {
  const client = new SlackClient(config, ctx);
  const options = {
    channelId: ctx.channelId,
    channelMessages: config.channelMessages,
    ...(config.botUserId ? { botUserId: config.botUserId } : {}),
  };
  return {
    type: 'slack',
    id: ctx.channelId,
    capabilities: slackCapabilities,
    verify: (req) => verifySlackRequest(req, config.signingSecret, ctx.clock),
    normalize: (req) => normalizeSlack(req, options),
    render: (message) => renderMessage(message),
    deliver: (ref, payloads, envelope) => client.deliver(ref, payloads, envelope),
    fetchMedia: (url, options) => client.fetchMedia(url, options),
  };
}
