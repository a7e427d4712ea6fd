export { emailChannel } from './channel.js';
export { createEmailAdapter } from './adapter.js';
