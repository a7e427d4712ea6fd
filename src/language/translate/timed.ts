import { ParleyError } from '../../core/errors.js';
import type { Clock } from '../../core/ports.js';
import type { TranslationProvider } from './types.js';

/** Told each provider call: how long it took and, when it failed, `transient` or `failed`. */
export type TranslationObserver = (provider: string, ms: number, failure?: 'transient' | 'failed') => void;

/**
 * A provider whose calls are timed and counted (operator metrics); what it returns and throws
 * is the provider's own.
 *
 * @example
 * ```ts
 * const deepl = timedProvider(createDeeplProvider(settings, deps), clock, (provider, ms, failure) => console.log(provider, ms, failure));
 * ```
 */
export function timedProvider(provider: TranslationProvider, clock: Clock, observe: TranslationObserver): TranslationProvider {
  return {
    id: provider.id,
    async translate(text, from, to) {
      const started = clock.now();
      try {
        const result = await provider.translate(text, from, to);
        observe(provider.id, clock.now() - started);
        return result;
      } catch (err) {
        observe(provider.id, clock.now() - started, err instanceof ParleyError && err.retryable ? 'transient' : 'failed');
        throw err;
      }
    },
  };
}
