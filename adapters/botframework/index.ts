export { type BotframeworkAdapter, botframeworkChannel, createBotframeworkAdapter } from './adapter.js';
export { botframeworkCapabilities } from './capabilities.js';
export { type BotframeworkConfig, botframeworkConfigSchema } from './config.js';
export type { BotframeworkActivity } from './render.js';
export type { BotframeworkAuth } from './verify.js';
