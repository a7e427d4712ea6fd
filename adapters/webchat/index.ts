export { createWebchatAdapter, type WebchatAdapter, webchatChannel } from './adapter.js';
export { type WebchatConfig, webchatConfigSchema } from './config.js';
export type { FrameSink, WireMessage } from './hub.js';
export type { Session } from './session.js';
export { bearer } from './verify.js';
export { identitySignature, type VerifiedIdentity, verifyIdentity } from './identity.js';
