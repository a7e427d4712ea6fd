export { type WebchatAdapter, webchatChannel } from './adapter.js';
export type { WireMessage } from './hub.js';
export type { Session } from './session.js';
export { bearer } from './verify.js';
export { identitySignature, type VerifiedIdentity, verifyIdentity } from './identity.js';
