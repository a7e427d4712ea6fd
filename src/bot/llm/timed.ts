import type { Clock } from '../../core/ports.js';
import { type ChatModel, ModelError, type ModelFailureKind } from './model.js';

/** Told each model call: how long it took and, when it failed, the failure's kind. */
export type ModelObserver = (ms: number, failure?: ModelFailureKind) => void;

/**
 * A model whose calls are timed and counted (operator metrics); what it returns and throws is
 * the model's own. A failure that is not a {@link ModelError} counts as `connection`, as the
 * answerer treats it.
 *
 * @example
 * ```ts
 * const model = timedModel(createOpenAiModel(options), clock, (ms, failure) => console.log(ms, failure));
 * ```
 */
export function timedModel(model: ChatModel, clock: Clock, observe: ModelObserver): ChatModel {
  const timed = async <T>(call: () => Promise<T>): Promise<T> => {
    const started = clock.now();
    try {
      const result = await call();
      observe(clock.now() - started);
      return result;
    } catch (err) {
      observe(clock.now() - started, err instanceof ModelError ? err.kind : 'connection');
      throw err;
    }
  };
  return {
    complete: (request) => timed(() => model.complete(request)),
    stream: (request, onText) => timed(() => model.stream(request, onText)),
  };
}
