// Every Meta webhook is signed and subscribed the same way: the check lives in ../meta.
export { answerHandshake, verifySignature } from '../meta/signature.js';
