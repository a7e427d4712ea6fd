export { customChannel } from './adapter.js';
