export { type ClaimSource } from './claims.js';
