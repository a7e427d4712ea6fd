import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SqliteDriver } from '../../store/sqlite.js';
import { SqlStore } from '../../store/sql-store.js';
import { SqlTranslationMemory } from '../../store/translation-memory.js';
import { createTranslator } from './create.js';
import { ProviderServer, type Reply, type Seen } from '../../../test/support/translate-server.js';
import { createTranslationChain } from './translator.js';
import type { TranslationProvider } from './types.js';

/** A provider server where es -> en "translation" upper-cases words and keeps placeholders. */
const shout = (q: string) => q.replace(/[a-záéíóúñ]+/g, (w) => w.toUpperCase());

let dir: string;
let driver: SqliteDriver;
let memory: SqlTranslationMemory;
let libre: ProviderServer;
let deepl: ProviderServer;
let libreReply: (req: Seen) => Reply;
let deeplReply: (req: Seen) => Reply;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parley-translate-'));
  driver = new SqliteDriver({ path: join(dir, 'parley.db') });
  await new SqlStore(driver).migrate();
  memory = new SqlTranslationMemory(driver);
  libre = await new ProviderServer((req) => libreReply(req)).start();
  deepl = await new ProviderServer((req) => deeplReply(req)).start();
});
afterAll(async () => {
  await Promise.all([libre.close(), deepl.close()]);
  await driver.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  libre.seen.length = 0;
  deepl.seen.length = 0;
  libreReply = (req) => ({ json: { translatedText: shout(req.json.q) } });
  deeplReply = (req) => ({ json: { translations: [{ text: `DEEPL ${req.json.text[0]}` }] } });
  await driver.run('DELETE FROM translation_memory');
  await driver.run('DELETE FROM translation_usage');
});

const settings = (timeoutMs = 2000) => ({
  providers: [
    { type: 'deepl' as const, apiKey: 'k:fx', baseUrl: deepl.url, timeoutMs },
    { type: 'libretranslate' as const, baseUrl: libre.url, timeoutMs },
  ],
});

describe('the fallback chain', () => {
  it('uses the first provider that answers', async () => {
    const t = createTranslator(settings(), { workingLanguage: 'en', memory });
    expect(await t.translate('hola PS-100234', 'es', 'en')).toEqual({ text: 'DEEPL hola PS-100234', provider: 'deepl' });
    expect(libre.seen).toHaveLength(0);
  });

  it.each([
    ['a 5xx', { status: 502 }],
    ['a 429', { status: 429 }],
    ['a 4xx', { status: 403 }],
    ['a timeout', { delayMs: 1500, json: {} }],
  ])('moves to the next provider on %s', async (_what, reply) => {
    deeplReply = () => reply;
    const t = createTranslator(settings(200), { workingLanguage: 'en', memory });
    expect(await t.translate('hola amigo', 'es', 'en', { conversationId: 'c1' })).toEqual({ text: 'HOLA AMIGO', provider: 'libretranslate' });
    expect(t.usage('c1').find((u) => u.provider === 'deepl')?.failures).toBe(1);
  });

  it('passes the text through untranslated when every provider fails, and counts it', async () => {
    deeplReply = () => ({ status: 500 });
    libreReply = () => ({ status: 503 });
    const t = createTranslator(settings(), { workingLanguage: 'en', memory });
    expect(await t.translate('hola amigo', 'es', 'en', { conversationId: 'c2' })).toEqual({
      text: 'hola amigo',
      provider: 'none',
      untranslated: true,
      reason: 'failed',
    });
    expect(t.untranslatedCount).toBe(1);
    expect((await memory.usage('c2')).map((u) => [u.provider, u.failures])).toEqual([
      ['deepl', 1],
      ['libretranslate', 1],
    ]);
  });

  it('tries the next provider when one breaks a protected span, and goes out untranslated when all do', async () => {
    deeplReply = (req) => ({ json: { translations: [{ text: req.json.text[0].replace('⟦1⟧', 'PS-100243') }] } });
    const t = createTranslator(settings(), { workingLanguage: 'en', memory });
    expect(await t.translate('mi pedido PS-100234', 'es', 'en')).toEqual({ text: 'MI PEDIDO PS-100234', provider: 'libretranslate' });
    libreReply = (req) => ({ json: { translatedText: `${shout(req.json.q)} ⟦1⟧` } });
    expect(await t.translate('su pedido PS-100234', 'es', 'en')).toEqual({
      text: 'su pedido PS-100234',
      provider: 'none',
      untranslated: true,
      reason: 'placeholders',
    });
    // A broken answer is never remembered.
    expect((await driver.all('SELECT * FROM translation_memory')).length).toBe(1);
  });

  it('with only `none` configured, passes everything through, says it is untranslated, and calls nobody', async () => {
    const t = createTranslator({ providers: [{ type: 'none' }] }, { workingLanguage: 'en', memory });
    expect(await t.translate('hola', 'es', 'en')).toEqual({ text: 'hola', provider: 'none', untranslated: true, reason: 'unconfigured' });
    // Nothing to translate is not untranslated: the same language, codes and links only.
    expect(await t.translate('hello', 'en-GB', 'en')).toEqual({ text: 'hello', provider: 'none' });
    expect(await t.translate('PS-100234 https://x.example/a', 'es', 'en')).toEqual({ text: 'PS-100234 https://x.example/a', provider: 'none' });
    expect(t.providers).toEqual([]);
  });

  it('does not call a provider for the same language or for text that is only codes and emoji', async () => {
    const t = createTranslator(settings(), { workingLanguage: 'en', memory });
    expect(await t.translate('hello', 'en-GB', 'en')).toEqual({ text: 'hello', provider: 'none' });
    expect(await t.translate('PS-100234 👍 https://x.example/a', 'es', 'en')).toEqual({ text: 'PS-100234 👍 https://x.example/a', provider: 'none' });
    expect(deepl.seen).toHaveLength(0);
  });
});

describe('the translation memory', () => {
  it('answers a second identical request without an HTTP call, across translator instances', async () => {
    const first = createTranslator(settings(), { workingLanguage: 'en', memory });
    await first.translate('¿dónde está mi pedido PS-100234?', 'es', 'en', { conversationId: 'c3' });
    expect(deepl.seen).toHaveLength(1);
    const second = createTranslator(settings(), { workingLanguage: 'en', memory });
    const again = await second.translate('¿dónde está mi pedido PS-100234?', 'es', 'en', { conversationId: 'c3' });
    expect(again).toEqual({ text: 'DEEPL ¿dónde está mi pedido PS-100234?', provider: 'deepl' });
    expect(deepl.seen).toHaveLength(1);
    // Masked text is the key: another order number reuses the same entry.
    expect((await second.translate('¿dónde está mi pedido PS-999999?', 'es', 'en')).text).toBe('DEEPL ¿dónde está mi pedido PS-999999?');
    expect(deepl.seen).toHaveLength(1);
    expect((await memory.usage('c3')).map((u) => [u.provider, u.requests, u.cacheHits])).toEqual([['deepl', 1, 1]]);
  });

  it('keys on provider and languages too', async () => {
    const t = createTranslator(settings(), { workingLanguage: 'en', memory });
    await t.translate('hola', 'es', 'en');
    await t.translate('hola', 'es', 'zh-CN');
    expect(deepl.seen).toHaveLength(2);
  });

  it('makes one call for identical texts translated at the same time', async () => {
    deeplReply = (req) => ({ delayMs: 100, json: { translations: [{ text: `DEEPL ${req.json.text[0]}` }] } });
    const t = createTranslator(settings(), { workingLanguage: 'en', memory });
    const results = await Promise.all([t.translate('sí', 'es', 'en'), t.translate('sí', 'es', 'en'), t.translate('sí', 'es', 'en')]);
    expect(results.map((r) => r.text)).toEqual(['DEEPL sí', 'DEEPL sí', 'DEEPL sí']);
    expect(deepl.seen).toHaveLength(1);
  });
});

describe('usage counters', () => {
  it('counts characters per provider and conversation, and LLM tokens, in process and in the store', async () => {
    const llm: TranslationProvider = { id: 'openai', translate: async (text) => ({ text: text.toUpperCase(), tokens: 40 }) };
    const t = createTranslationChain([llm], { workingLanguage: 'en', memory });
    await t.translate('hola ⟦x⟧ 你好', 'es', 'en', { conversationId: 'a' });
    await t.translate('adiós', 'es', 'en', { conversationId: 'b' });
    await t.translate('adiós', 'es', 'en', { conversationId: 'b' });
    // 'hola ⟦1⟧ 你好' (the text's own brackets are masked) is 11 code points.
    expect(t.usage('a')).toEqual([{ conversationId: 'a', provider: 'openai', characters: 11, tokens: 40, requests: 1, cacheHits: 0, failures: 0 }]);
    expect(t.usage()).toEqual([{ conversationId: '', provider: 'openai', characters: 16, tokens: 80, requests: 2, cacheHits: 1, failures: 0 }]);
    expect(await memory.usage('b')).toEqual([{ conversationId: 'b', provider: 'openai', characters: 5, tokens: 40, requests: 1, cacheHits: 1, failures: 0 }]);
  });

  it('keeps in-process rows for the most recent conversations only, and the provider totals for all', async () => {
    const llm: TranslationProvider = { id: 'openai', translate: async (text) => ({ text: text.toUpperCase(), tokens: 1 }) };
    const t = createTranslationChain([llm], { workingLanguage: 'en', recentConversations: 2 });
    for (const [i, conversationId] of ['a', 'b', 'a', 'c'].entries()) await t.translate(`hola ${i}`, 'es', 'en', { conversationId });
    // 'b' was counted least recently ('a' again after it), so it is the one dropped.
    expect(t.usage('b')).toEqual([]);
    expect(t.usage('a').map((u) => u.requests)).toEqual([2]);
    expect(t.usage('c').map((u) => u.requests)).toEqual([1]);
    expect(t.usage().map((u) => u.requests)).toEqual([4]);
  });
});

describe('the glossary', () => {
  it('translates fixed terms both ways and never translates brand names', async () => {
    const echo: TranslationProvider = { id: 'echo', translate: async (text) => ({ text: `«${text}»` }) };
    const t = createTranslationChain([echo], {
      workingLanguage: 'en',
      glossary: { doNotTranslate: ['Pawsome'], terms: { 'Snuggle Bed': { es: 'Cama Nido' } } },
    });
    expect((await t.translate('Is the Pawsome Snuggle Bed washable?', 'en', 'es')).text).toBe('«Is the Pawsome Cama Nido washable?»');
    expect((await t.translate('¿La cama nido es lavable?', 'es', 'en')).text).toBe('«¿La Snuggle Bed es lavable?»');
    expect(await t.translate('Snuggle Bed', 'en', 'es')).toEqual({ text: 'Cama Nido', provider: 'glossary' });
  });
});
