export { twilioChannel } from './adapter.js';
