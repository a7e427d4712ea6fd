export { telegramChannel } from './channel.js';
