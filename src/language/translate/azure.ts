import { azureCode } from './codes.js';
import { postJson, shapeError, trimUrl } from './http.js';
import { type AzureSettings, DEFAULT_TIMEOUT_MS, type ProviderDeps, type TranslationProvider } from './types.js';

/**
 * Azure AI Translator v3: `POST /translate?api-version=3.0&from=&to=` with body `[{ Text }]`
 * (https://learn.microsoft.com/azure/ai-services/translator/reference/v3-0-translate).
 *
 * @example
 * ```ts
 * const azure = createAzureProvider({ type: 'azure', apiKey: env.AZURE_TRANSLATOR_KEY, region: 'westeurope' }, { fetch });
 * ```
 */
export function createAzureProvider(settings: AzureSettings, deps: ProviderDeps): TranslationProvider {
  const base = trimUrl(settings.baseUrl ?? 'https://api.cognitive.microsofttranslator.com');
  const id = settings.id ?? 'azure';
  return {
    id,
    async translate(text, from, to) {
      const query = new URLSearchParams({ 'api-version': '3.0', from: azureCode(from, settings.codes), to: azureCode(to, settings.codes) });
      const body = await postJson<{ translations?: { text?: string }[] }[]>({
        fetch: deps.fetch,
        provider: 'Azure Translator',
        url: `${base}/translate?${query}`,
        headers: {
          'ocp-apim-subscription-key': settings.apiKey,
          ...(settings.region ? { 'ocp-apim-subscription-region': settings.region } : {}),
        },
        body: [{ Text: text }],
        timeoutMs: settings.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        keyHint: 'translation.providers[].apiKey and region (a regional resource needs its region)',
      });
      const translated = Array.isArray(body) ? body[0]?.translations?.[0]?.text : undefined;
      if (typeof translated !== 'string') throw shapeError('Azure Translator');
      return { text: translated };
    },
  };
}
