// Messenger and Instagram webhooks are signed and subscribed as every Meta webhook: ../meta.
export { answerHandshake, verifySignature } from '../meta/signature.js';
