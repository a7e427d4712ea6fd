import type { AdapterContext, ChannelAdapter } from '../../src/core/adapter.js';
import { type ChannelDefinition, fromSafeParse } from '../../src/core/channel.js';
import { slackCapabilities } from './capabilities.js';
import { SlackClient } from './client.js';
import { missingSettings, type SlackConfig, slackConfigSchema } from './config.js';
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
  };
}

/** The `slack` channel type: a Slack app (bot user) over the Events API. */
export const slackChannel: ChannelDefinition<SlackConfig> = {
  type: 'slack',
  parseConfig: (raw) => fromSafeParse(slackConfigSchema.safeParse(raw)),
  create: (config, ctx) => createSlackAdapter(config, ctx),
  describe: (config) => ({
    missing: missingSettings(config),
    notes: [
      'Request URL for Event Subscriptions and for Interactivity: {publicUrl}/webhooks/<channel id>.',
      ...(config.botToken && !config.botToken.startsWith('xoxb-') ? ['botToken does not start with "xoxb-": use the Bot User OAuth Token.'] : []),
      ...(config.botUserId ? [] : ['botUserId (SLACK_BOT_USER_ID) is not set: the bot is recognised by bot_id and the event authorizations.']),
    ],
  }),
};
