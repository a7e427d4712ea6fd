import { googleCode } from './codes.js';
import { postJson, shapeError, trimUrl } from './http.js';
import { DEFAULT_TIMEOUT_MS, type GoogleSettings, type ProviderDeps, type TranslationProvider } from './types.js';

/**
 * Google Cloud Translation v2 (Basic): `POST /language/translate/v2?key=` with
 * `{ q, source, target, format: 'text' }` (https://cloud.google.com/translate/docs/reference/rest/v2/translate).
 *
 * @example
 * ```ts
 * const google = createGoogleProvider({ type: 'google', apiKey: env.GOOGLE_TRANSLATE_KEY }, { fetch });
 * ```
 */
export function createGoogleProvider(settings: GoogleSettings, deps: ProviderDeps): TranslationProvider {
  const url = `${trimUrl(settings.baseUrl ?? 'https://translation.googleapis.com')}/language/translate/v2?key=${encodeURIComponent(settings.apiKey)}`;
  const id = settings.id ?? 'google';
  return {
    id,
    async translate(text, from, to) {
      const body = await postJson<{ data?: { translations?: { translatedText?: string }[] } }>({
        fetch: deps.fetch,
        provider: 'Google Translate',
        url,
        headers: {},
        body: { q: text, source: googleCode(from, settings.codes), target: googleCode(to, settings.codes), format: 'text' },
        timeoutMs: settings.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        keyHint: 'translation.providers[].apiKey (the Cloud Translation API key) and that the API is enabled',
      });
      const translated = body.data?.translations?.[0]?.translatedText;
      if (typeof translated !== 'string') throw shapeError('Google Translate');
      return { text: translated };
    },
  };
}
