export { botframeworkChannel } from './adapter.js';
