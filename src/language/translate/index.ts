export { createTranslator } from './create.js';
export type * from './types.js';
