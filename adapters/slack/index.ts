export { slackChannel } from './adapter.js';
