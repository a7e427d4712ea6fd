import { type Clock, type Logger, systemClock } from '../../core/ports.js';
import { createAzureProvider } from './azure.js';
import { createDeeplProvider } from './deepl.js';
import { createGoogleProvider } from './google.js';
import { createLibreTranslateProvider } from './libretranslate.js';
import type { TranslationMemory } from './memory.js';
import { noneProvider } from './none.js';
import { createOpenAiProvider } from './openai.js';
import { timedProvider, type TranslationObserver } from './timed.js';
import { createTranslationChain, type Translator } from './translator.js';
import type { ProviderDeps, ProviderSettings, TranslationProvider, TranslationSettings } from './types.js';

/** What {@link createTranslator} needs from the composition root. */
export interface TranslatorDeps {
  /** The shop's working language: glossary terms are keyed in it. */
  workingLanguage: string;
  fetch?: typeof fetch;
  memory?: TranslationMemory;
  clock?: Clock;
  log?: Logger;
  /** Told every provider call (operator metrics). */
  observe?: TranslationObserver;
}

/** Builds one provider from its settings block. */
function createProvider(settings: ProviderSettings, deps: ProviderDeps): TranslationProvider {
  switch (settings.type) {
    case 'openai':
      return createOpenAiProvider(settings, deps);
    case 'deepl':
      return createDeeplProvider(settings, deps);
    case 'google':
      return createGoogleProvider(settings, deps);
    case 'azure':
      return createAzureProvider(settings, deps);
    case 'libretranslate':
      return createLibreTranslateProvider(settings, deps);
    case 'none':
      return noneProvider;
  }
}

/**
 * The translator of `translation` in the configuration: providers tried in the configured
 * order, a translation memory, usage counters, glossary and protected spans. With only
 * `none` (the default) text passes through and nothing leaves the machine.
 *
 * @example
 * ```ts
 * const translator = createTranslator(config.translation, { workingLanguage: 'en', fetch, memory: new SqlTranslationMemory(driver) });
 * await translator.translate('Hola, ¿dónde está mi pedido PS-100234?', 'es', 'en', { conversationId });
 * ```
 */
export function createTranslator(settings: TranslationSettings, deps: TranslatorDeps): Translator {
  const providerDeps = { fetch: deps.fetch ?? fetch };
  const built = settings.providers.map((p) => createProvider(p, providerDeps));
  const { observe } = deps;
  const providers = observe ? built.map((p) => (p.id === 'none' ? p : timedProvider(p, deps.clock ?? systemClock, observe))) : built;
  return createTranslationChain(providers, {
    workingLanguage: deps.workingLanguage,
    ...(settings.glossary ? { glossary: settings.glossary } : {}),
    ...(deps.memory ? { memory: deps.memory } : {}),
    ...(deps.clock ? { clock: deps.clock } : {}),
    ...(deps.log ? { log: deps.log } : {}),
  });
}
