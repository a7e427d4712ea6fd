export { slackChannel } from './channel.js';
