import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isParleyError } from '../../core/errors.js';
import { createAzureProvider } from './azure.js';
import { createDeeplProvider, deeplBaseUrl } from './deepl.js';
import { createGoogleProvider } from './google.js';
import { createLibreTranslateProvider } from './libretranslate.js';
import { ProviderServer, type Reply, type Seen } from '../../../test/support/translate-server.js';
import { noneProvider } from './none.js';
import { createOpenAiProvider } from './openai.js';
import type { TranslationProvider } from './types.js';

let server: ProviderServer;
let route: (req: Seen) => Reply = () => ({ status: 500 });

beforeAll(async () => {
  server = await new ProviderServer((req) => route(req)).start();
});
afterAll(() => server.close());
afterEach(() => {
  server.seen.length = 0;
});

/** Expects a TRANSLATION_FAILED error and returns it. */
async function failure(p: Promise<unknown>) {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isParleyError(err, 'TRANSLATION_FAILED')).toBe(true);
  return err as { retryable: boolean; message: string; details: Record<string, unknown> };
}

/** The error and timeout cases every provider shares. */
function sharesErrorHandling(make: (timeoutMs: number) => TranslationProvider) {
  it('reports 4xx as not retryable, naming what to check', async () => {
    route = () => ({ status: 403, json: { message: 'Forbidden' } });
    const err = await failure(make(2000).translate('Hola', 'es', 'en'));
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/403.*Check/);
  });

  it('reports 5xx and 429 as retryable', async () => {
    route = () => ({ status: 503 });
    expect((await failure(make(2000).translate('Hola', 'es', 'en'))).retryable).toBe(true);
    route = () => ({ status: 429 });
    expect((await failure(make(2000).translate('Hola', 'es', 'en'))).retryable).toBe(true);
  });

  it('gives up after its timeout', async () => {
    route = () => ({ delayMs: 2000, json: {} });
    const started = Date.now();
    const err = await failure(make(150).translate('Hola', 'es', 'en'));
    expect(err.retryable).toBe(true);
    expect(err.message).toMatch(/timed out/);
    expect(Date.now() - started).toBeLessThan(1500);
  });
}

describe('DeepL', () => {
  const make = (timeoutMs: number) => createDeeplProvider({ type: 'deepl', apiKey: 'key-123:fx', baseUrl: server.url, timeoutMs }, { fetch });

  it('posts /v2/translate with the auth header and DeepL language codes', async () => {
    route = () => ({ json: { translations: [{ detected_source_language: 'ES', text: 'Where is my order ⟦1⟧?' }] } });
    const result = await make(2000).translate('¿Dónde está mi pedido ⟦1⟧?', 'es', 'en');
    expect(result).toEqual({ text: 'Where is my order ⟦1⟧?' });
    const [req] = server.seen;
    expect(req?.path).toBe('/v2/translate');
    expect(req?.headers.authorization).toBe('DeepL-Auth-Key key-123:fx');
    expect(req?.json).toEqual({ text: ['¿Dónde está mi pedido ⟦1⟧?'], source_lang: 'ES', target_lang: 'EN-US' });
    await make(2000).translate('x', 'en-GB', 'zh-TW');
    await make(2000).translate('x', 'zh-CN', 'pt-BR');
    await make(2000).translate('x', 'en', 'en-GB');
    expect(server.seen.slice(1).map((r) => [r.json.source_lang, r.json.target_lang])).toEqual([
      ['EN', 'ZH-HANT'],
      ['ZH', 'PT-BR'],
      ['EN', 'EN-GB'],
    ]);
  });

  it('picks the free or pro host from the key', () => {
    expect(deeplBaseUrl({ apiKey: 'abc:fx' })).toBe('https://api-free.deepl.com');
    expect(deeplBaseUrl({ apiKey: 'abc' })).toBe('https://api.deepl.com');
    expect(deeplBaseUrl({ apiKey: 'abc', plan: 'free' })).toBe('https://api-free.deepl.com');
  });

  sharesErrorHandling(make);
});

describe('Google Cloud Translation v2', () => {
  const make = (timeoutMs: number) => createGoogleProvider({ type: 'google', apiKey: 'g-key', baseUrl: server.url, timeoutMs }, { fetch });

  it('posts /language/translate/v2?key= with q, source, target and format text', async () => {
    route = () => ({ json: { data: { translations: [{ translatedText: '您的订单 ⟦1⟧ 在哪里？' }] } } });
    expect(await make(2000).translate('Where is your order ⟦1⟧?', 'en', 'zh-CN')).toEqual({ text: '您的订单 ⟦1⟧ 在哪里？' });
    const [req] = server.seen;
    expect(req?.path).toBe('/language/translate/v2');
    expect(req?.query.get('key')).toBe('g-key');
    expect(req?.json).toEqual({ q: 'Where is your order ⟦1⟧?', source: 'en', target: 'zh-CN', format: 'text' });
    await make(2000).translate('x', 'zh-Hant', 'pt-PT');
    expect([server.seen[1]?.json.source, server.seen[1]?.json.target]).toEqual(['zh-TW', 'pt-PT']);
  });

  sharesErrorHandling(make);
});

describe('Azure Translator v3', () => {
  const make = (timeoutMs: number) => createAzureProvider({ type: 'azure', apiKey: 'az-key', region: 'westeurope', baseUrl: server.url, timeoutMs }, { fetch });

  it('posts /translate?api-version=3.0 with from/to, the key and the region', async () => {
    route = () => ({ json: [{ translations: [{ text: '您好', to: 'zh-Hans' }] }] });
    expect(await make(2000).translate('Hello', 'en', 'zh-CN')).toEqual({ text: '您好' });
    const [req] = server.seen;
    expect(req?.path).toBe('/translate');
    expect(Object.fromEntries(req?.query ?? [])).toEqual({ 'api-version': '3.0', from: 'en', to: 'zh-Hans' });
    expect(req?.headers['ocp-apim-subscription-key']).toBe('az-key');
    expect(req?.headers['ocp-apim-subscription-region']).toBe('westeurope');
    expect(req?.json).toEqual([{ Text: 'Hello' }]);
    await make(2000).translate('x', 'zh-TW', 'en');
    expect(server.seen[1]?.query.get('from')).toBe('zh-Hant');
  });

  it('leaves the region header out when none is configured', async () => {
    route = () => ({ json: [{ translations: [{ text: 'Hola' }] }] });
    await createAzureProvider({ type: 'azure', apiKey: 'k', baseUrl: server.url }, { fetch }).translate('Hello', 'en', 'es');
    expect(server.seen[0]?.headers['ocp-apim-subscription-region']).toBeUndefined();
  });

  sharesErrorHandling(make);
});

describe('LibreTranslate', () => {
  const make = (timeoutMs: number) =>
    createLibreTranslateProvider({ type: 'libretranslate', baseUrl: `${server.url}/`, apiKey: 'lt-key', timeoutMs }, { fetch });

  it('posts /translate with q, source, target, format and api_key', async () => {
    route = () => ({ json: { translatedText: 'Hola' } });
    expect(await make(2000).translate('Hello', 'en', 'es')).toEqual({ text: 'Hola' });
    expect(server.seen[0]?.path).toBe('/translate');
    expect(server.seen[0]?.json).toEqual({ q: 'Hello', source: 'en', target: 'es', format: 'text', api_key: 'lt-key' });
    await make(2000).translate('x', 'zh-TW', 'zh-CN');
    expect([server.seen[1]?.json.source, server.seen[1]?.json.target]).toEqual(['zt', 'zh']);
  });

  it('takes code overrides for newer servers', async () => {
    route = () => ({ json: { translatedText: 'x' } });
    await createLibreTranslateProvider({ type: 'libretranslate', baseUrl: server.url, codes: { 'zh-TW': 'zh-Hant' } }, { fetch }).translate('x', 'en', 'zh-TW');
    expect(server.seen[0]?.json).toEqual({ q: 'x', source: 'en', target: 'zh-Hant', format: 'text' });
  });

  sharesErrorHandling(make);
});

describe('OpenAI-compatible chat model', () => {
  const make = (timeoutMs: number) =>
    createOpenAiProvider({ type: 'openai', baseUrl: `${server.url}/v1`, apiKey: 'sk-test', model: 'qwen-plus', timeoutMs }, { fetch });
  const completion = (content: string) => ({
    json: {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 1,
      model: 'qwen-plus',
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 60, completion_tokens: 12, total_tokens: 72 },
    },
  });

  it('sends a strict system prompt and the text alone, and reports the tokens used', async () => {
    route = () => completion('¿Dónde está mi pedido ⟦1⟧?');
    const result = await make(2000).translate('我的订单⟦1⟧在哪里？', 'zh-CN', 'es');
    expect(result).toEqual({ text: '¿Dónde está mi pedido ⟦1⟧?', tokens: 72 });
    const [req] = server.seen;
    expect(req?.path).toBe('/v1/chat/completions');
    expect(req?.headers.authorization).toBe('Bearer sk-test');
    expect(req?.json.model).toBe('qwen-plus');
    expect(req?.json.temperature).toBe(0);
    const [system, user] = req?.json.messages ?? [];
    expect(user).toEqual({ role: 'user', content: '我的订单⟦1⟧在哪里？' });
    expect(system.role).toBe('system');
    expect(system.content).toMatch(/Simplified Chinese \(zh-CN\) to Spanish \(es\)/);
    expect(system.content).toMatch(/Output only the translation/);
    expect(system.content).toMatch(/⟦1⟧.*exactly once, unchanged/);
    expect(system.content).toMatch(/never instructions/);
  });

  it('drops a reasoning model’s <think> block', async () => {
    route = () => completion('<think>The user wants Spanish.</think>\nHola');
    expect((await make(2000).translate('Hello', 'en', 'es')).text).toBe('Hola');
  });

  it('retries nothing itself: one request per failure, so the chain moves on', async () => {
    route = () => ({ status: 500, json: { error: { message: 'boom' } } });
    await failure(make(2000).translate('Hello', 'en', 'es'));
    expect(server.seen).toHaveLength(1);
  });

  sharesErrorHandling(make);
});

describe('none', () => {
  it('passes text through', async () => {
    expect(await noneProvider.translate('Hola', 'es', 'en')).toEqual({ text: 'Hola' });
  });
});
