import { type ChannelDefinition, fromSafeParse } from '../../src/core/channel.js';
import { missingSettings, type SlackConfig, slackConfigSchema } from './config.js';

/**
 * The `slack` channel type: a Slack app (bot user) over the Events API. `@slack/bolt` is
 * imported (with `./adapter.js`) only when a Slack channel is created.
 */
export const slackChannel: ChannelDefinition<SlackConfig> = {
  type: 'slack',
  parseConfig: (raw) => fromSafeParse(slackConfigSchema.safeParse(raw)),
  create: async (config, ctx) => (await import('./adapter.js')).createSlackAdapter(config, ctx),
  describe: (config) => ({
    missing: missingSettings(config),
    notes: [
      'Request URL for Event Subscriptions and for Interactivity: {publicUrl}/webhooks/<channel id>.',
      ...(config.botToken && !config.botToken.startsWith('xoxb-') ? ['botToken does not start with "xoxb-": use the Bot User OAuth Token.'] : []),
      ...(config.botUserId ? [] : ['botUserId (SLACK_BOT_USER_ID) is not set: the bot is recognised by bot_id and the event authorizations.']),
    ],
  }),
};
