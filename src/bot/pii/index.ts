export { chineseIdValid, type FindPiiOptions, findPii, ibanValid, luhnValid, type PiiKind, type PiiSpan } from './detect.js';
export { PiiVault, PLACEHOLDER } from './vault.js';
