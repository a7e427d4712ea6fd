export { createLineAdapter, type LineAdapter, lineChannel } from './adapter.js';
export { lineCapabilities } from './capabilities.js';
export type { DownloadedMedia } from './client.js';
export { type LineConfig, lineConfigSchema } from './config.js';
export type { LineMessageObject } from './render.js';
