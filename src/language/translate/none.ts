import type { TranslationProvider } from './types.js';

/** The `none` provider: text passes through unchanged (the offline default). */
export const noneProvider: TranslationProvider = {
  id: 'none',
  async translate(text) {
    return { text };
  },
};
