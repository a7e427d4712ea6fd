import { libreCode } from './codes.js';
import { postJson, shapeError, trimUrl } from './http.js';
import { DEFAULT_TIMEOUT_MS, type LibreTranslateSettings, type ProviderDeps, type TranslationProvider } from './types.js';

/**
 * LibreTranslate (self-hosted): `POST /translate` with `{ q, source, target, format: 'text', api_key? }`
 * (https://docs.libretranslate.com/guides/api_usage/).
 *
 * @example
 * ```ts
 * const libre = createLibreTranslateProvider({ type: 'libretranslate', baseUrl: 'http://libretranslate:5000' }, { fetch });
 * ```
 */
export function createLibreTranslateProvider(settings: LibreTranslateSettings, deps: ProviderDeps): TranslationProvider {
  const url = `${trimUrl(settings.baseUrl)}/translate`;
  const id = settings.id ?? 'libretranslate';
  return {
    id,
    async translate(text, from, to) {
      const body = await postJson<{ translatedText?: string }>({
        fetch: deps.fetch,
        provider: 'LibreTranslate',
        url,
        headers: {},
        body: {
          q: text,
          source: libreCode(from, settings.codes),
          target: libreCode(to, settings.codes),
          format: 'text',
          ...(settings.apiKey ? { api_key: settings.apiKey } : {}),
        },
        timeoutMs: settings.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        keyHint: 'translation.providers[].apiKey (the server runs with --api-keys)',
      });
      if (typeof body.translatedText !== 'string') throw shapeError('LibreTranslate');
      return { text: body.translatedText };
    },
  };
}
