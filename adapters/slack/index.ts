export { createSlackAdapter, slackChannel } from './adapter.js';
export { slackCapabilities } from './capabilities.js';
export { type ChannelMessageMode, type SlackConfig, slackConfigSchema } from './config.js';
export type { SlackBlock, SlackMessage } from './render.js';
