export { botframeworkChannel } from './channel.js';
