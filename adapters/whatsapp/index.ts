export { createWhatsAppAdapter, type WhatsAppAdapter, whatsappChannel } from './adapter.js';
export { messagingWindowMs, whatsappCapabilities } from './capabilities.js';
export { type DownloadedMedia, downloadMedia, type GraphApi, markAsRead, sendMessage } from './client.js';
export { type WhatsAppConfig, type WhatsAppTemplate, whatsappConfigSchema } from './config.js';
export { renderMessage } from './render.js';
export { type ResolvedTemplate, renderTemplate, resolveTemplate, windowOpen } from './window.js';
export type { WhatsAppPayload } from './wire.js';
