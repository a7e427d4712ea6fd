export { emailChannel } from './channel.js';
