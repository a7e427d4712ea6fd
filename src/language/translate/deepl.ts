import { deeplSource, deeplTarget } from './codes.js';
import { postJson, shapeError, trimUrl } from './http.js';
import { DEFAULT_TIMEOUT_MS, type DeeplSettings, type ProviderDeps, type TranslationProvider } from './types.js';

const FREE_URL = 'https://api-free.deepl.com';
const PRO_URL = 'https://api.deepl.com';

/** The API host of a key: free-plan keys end in `:fx` (https://developers.deepl.com/docs/getting-started/auth). */
export function deeplBaseUrl(settings: Pick<DeeplSettings, 'apiKey' | 'baseUrl' | 'plan'>): string {
  if (settings.baseUrl) return trimUrl(settings.baseUrl);
  const free = settings.plan ? settings.plan === 'free' : settings.apiKey.endsWith(':fx');
  return free ? FREE_URL : PRO_URL;
}

/**
 * DeepL: `POST /v2/translate` with `Authorization: DeepL-Auth-Key <key>`.
 *
 * @example
 * ```ts
 * const deepl = createDeeplProvider({ type: 'deepl', apiKey: env.DEEPL_API_KEY }, { fetch });
 * ```
 */
export function createDeeplProvider(settings: DeeplSettings, deps: ProviderDeps): TranslationProvider {
  const url = `${deeplBaseUrl(settings)}/v2/translate`;
  const id = settings.id ?? 'deepl';
  return {
    id,
    async translate(text, from, to) {
      const body = await postJson<{ translations?: { text?: string }[] }>({
        fetch: deps.fetch,
        provider: 'DeepL',
        url,
        headers: { authorization: `DeepL-Auth-Key ${settings.apiKey}` },
        body: {
          text: [text],
          source_lang: deeplSource(from, settings.codes),
          target_lang: deeplTarget(to, settings.codes),
          ...(settings.formality ? { formality: settings.formality } : {}),
        },
        timeoutMs: settings.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        keyHint: 'translation.providers[].apiKey (DEEPL_API_KEY) and whether it is a free (:fx) or pro key',
      });
      const translated = body.translations?.[0]?.text;
      if (typeof translated !== 'string') throw shapeError('DeepL');
      return { text: translated };
    },
  };
}
