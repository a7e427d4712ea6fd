export { createTelegramAdapter, type TelegramAdapter, telegramChannel } from './adapter.js';
export { telegramCapabilities } from './capabilities.js';
export { type TelegramConfig, telegramConfigSchema } from './config.js';
export { normalizeUpdate } from './normalize.js';
export { renderMessage, type TelegramPayload } from './render.js';
