export { lineChannel } from './adapter.js';
