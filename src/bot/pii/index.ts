export { chineseIdValid, findPii, ibanValid, luhnValid, type PiiKind, type PiiSpan } from './detect.js';
export { PiiVault } from './vault.js';
