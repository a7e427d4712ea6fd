export { instagramChannel, messengerChannel } from './adapter.js';
