/**
 * The provider port every translation backend implements, and the settings they are built from.
 * A provider translates one text whose protected spans are already masked (`⟦1⟧`); masking,
 * memory, counting and fallback live in the translator, once.
 */

/** What one provider call returned. */
export interface ProviderResult {
  text: string;
  /** LLM providers: tokens used (prompt + completion), from the response's `usage`. */
  tokens?: number;
}

/**
 * One translation backend. Throws a `ParleyError('TRANSLATION_FAILED')` whose `retryable` says
 * whether it was transient (timeout, 429, 5xx).
 *
 * @example
 * ```ts
 * const deepl = createDeeplProvider({ type: 'deepl', apiKey }, { fetch });
 * await deepl.translate('Hola ⟦1⟧', 'es', 'en'); // { text: 'Hello ⟦1⟧' }
 * ```
 */
export interface TranslationProvider {
  /** Stable name, used in counters, the memory key and stored messages (`deepl`, `openai`...). */
  readonly id: string;
  translate(text: string, from: string, to: string): Promise<ProviderResult>;
}

/** What providers get from the composition root. */
export interface ProviderDeps {
  fetch: typeof fetch;
}

interface Common {
  /** Name in counters and messages; defaults to the type (set it when a type is listed twice). */
  id?: string;
  timeoutMs?: number;
  /** Overrides the built-in code mapping: Parley tag -> the provider's code (`{ 'zh-TW': 'zh-Hant' }`). */
  codes?: Readonly<Record<string, string>>;
}

export interface OpenAiSettings extends Common {
  type: 'openai';
  /** OpenAI-compatible endpoint (`https://api.deepseek.com/v1`, `http://localhost:11434/v1`...). */
  baseUrl?: string;
  apiKey?: string;
  model: string;
  temperature?: number;
}

export interface DeeplSettings extends Common {
  type: 'deepl';
  apiKey: string;
  /** Overrides the plan's URL (`https://api-free.deepl.com` for `:fx` keys, else `https://api.deepl.com`). */
  baseUrl?: string;
  plan?: 'free' | 'pro';
  formality?: 'default' | 'more' | 'less' | 'prefer_more' | 'prefer_less';
}

export interface GoogleSettings extends Common {
  type: 'google';
  apiKey: string;
  baseUrl?: string;
}

export interface AzureSettings extends Common {
  type: 'azure';
  apiKey: string;
  /** Needed for regional and multi-service resources. */
  region?: string;
  baseUrl?: string;
}

export interface LibreTranslateSettings extends Common {
  type: 'libretranslate';
  baseUrl: string;
  apiKey?: string;
}

interface NoneSettings {
  type: 'none';
  id?: string;
}

/** One entry of `translation.providers`. */
export type ProviderSettings = OpenAiSettings | DeeplSettings | GoogleSettings | AzureSettings | LibreTranslateSettings | NoneSettings;

/** `translation.glossary`. */
export interface GlossarySettings {
  /** Never translated: brand and product names ("Pawsome", "SnuggleBed"). */
  doNotTranslate?: readonly string[];
  /** Fixed translations: working-language term -> language tag -> term. */
  terms?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** `translation`. */
export interface TranslationSettings {
  providers: readonly ProviderSettings[];
  glossary?: GlossarySettings;
}

/** The default request timeout of a provider. */
export const DEFAULT_TIMEOUT_MS = 10_000;
