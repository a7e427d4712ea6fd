export { createWhatsAppWebAdapter, type WhatsAppWebAdapter, type WhatsAppWebAdapterOptions } from './adapter.js';
export { whatsappWebCapabilities } from './capabilities.js';
export { whatsappWebChannel } from './channel.js';
export type { DownloadedMedia, WhatsAppWebClient, WhatsAppWebClientOptions, WhatsAppWebContent, WhatsAppWebEvents } from './client.js';
export { type WhatsAppWebConfig, whatsappWebConfigSchema } from './config.js';
export { normalizeAck, normalizeMessage } from './normalize.js';
export { renderMessage, type WhatsAppWebPayload } from './render.js';
export type { WhatsAppWebState, WhatsAppWebStatus } from './session.js';
export { renderStatusPage } from './status-page.js';
