export { telegramChannel } from './adapter.js';
