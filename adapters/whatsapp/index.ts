export { whatsappChannel } from './adapter.js';
