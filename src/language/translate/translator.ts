/**
 * The translator behind `TranslatorPort`: protected spans and glossary masked, the memory
 * asked first, then the configured providers in order until one answers with every
 * placeholder intact. When none does, the text passes through untranslated and says so.
 */
import { isParleyError } from '../../core/errors.js';
import { type Clock, type Logger, silentLogger, systemClock, type Translation, type TranslatorPort } from '../../core/ports.js';
import { Glossary, sameTag } from './glossary.js';
import { addDelta, type TranslationMemory, type UsageDelta, memoryKey } from './memory.js';
import { hasTranslatableText, type Masked, protect, restore } from './protect.js';
import type { GlossarySettings, ProviderResult, TranslationProvider } from './types.js';

/** A translator that also reports what it cost. */
export interface Translator extends TranslatorPort {
  /** Provider ids in fallback order. */
  readonly providers: readonly string[];
  /**
   * In-process totals since start: per provider (all conversations) or, given an id, that
   * conversation's rows. Persisted totals: `TranslationMemory.usage()`.
   */
  usage(conversationId?: string): UsageDelta[];
  /** Texts that went out untranslated because every provider failed. */
  readonly untranslatedCount: number;
}

/** What the chain runs on. */
export interface ChainOptions {
  workingLanguage: string;
  glossary?: GlossarySettings;
  memory?: TranslationMemory;
  clock?: Clock;
  log?: Logger;
}

type Attempt = { ok: true; translation: Translation } | { ok: false; reason: 'failed' | 'placeholders' };

const zero = (conversationId: string, provider: string): UsageDelta => ({
  conversationId,
  provider,
  characters: 0,
  tokens: 0,
  requests: 0,
  cacheHits: 0,
  failures: 0,
});

/**
 * A translator over providers already built (the composition root uses `createTranslator`,
 * tests pass fakes).
 *
 * @example
 * ```ts
 * const t = createTranslationChain([deepl, libre], { workingLanguage: 'en', memory });
 * await t.translate('¿Dónde está PS-100234?', 'es', 'en', { conversationId }); // { text: 'Where is PS-100234?', provider: 'deepl' }
 * ```
 */
export function createTranslationChain(providers: readonly TranslationProvider[], options: ChainOptions): Translator {
  const active = providers.filter((p) => p.id !== 'none');
  const glossary = new Glossary(options.glossary, options.workingLanguage);
  const clock = options.clock ?? systemClock;
  const log = (options.log ?? silentLogger).child({ stage: 'translate' });
  const memory = options.memory;
  const totals = new Map<string, UsageDelta>();
  const inFlight = new Map<string, Promise<ProviderResult>>();
  let untranslated = 0;

  async function count(conversationId: string, provider: string, delta: Partial<UsageDelta>): Promise<void> {
    const d = { ...zero(conversationId, provider), ...delta };
    const id = `${conversationId}\u0000${provider}`;
    totals.set(id, addDelta(totals.get(id), d));
    await memory?.addUsage(d, clock.now()).catch((err) => log.warn({ err, provider }, 'translation usage not saved'));
  }

  async function remembered(key: string): Promise<string | undefined> {
    return memory?.get(key).catch((err) => {
      log.warn({ err }, 'translation memory unavailable');
      return undefined;
    });
  }

  /** One provider call per distinct (provider, languages, text) at a time; the rest wait for it. */
  async function call(p: TranslationProvider, key: string, masked: Masked, from: string, to: string, conv: string): Promise<ProviderResult> {
    const running = inFlight.get(key);
    if (running) {
      const result = await running;
      await count(conv, p.id, { cacheHits: 1 });
      return result;
    }
    const started = clock.now();
    const promise = p.translate(masked.text, from, to);
    inFlight.set(key, promise);
    try {
      const result = await promise;
      await count(conv, p.id, { characters: [...masked.text].length, tokens: result.tokens ?? 0, requests: 1 });
      log.debug({ provider: p.id, from, to, ms: clock.now() - started }, 'translated');
      return result;
    } finally {
      inFlight.delete(key);
    }
  }

  async function attempt(p: TranslationProvider, masked: Masked, from: string, to: string, conv: string): Promise<Attempt> {
    const key = memoryKey(p.id, from, to, masked.text);
    const cached = await remembered(key);
    if (cached !== undefined) {
      const restored = restore(cached, masked);
      if (restored.ok) {
        await count(conv, p.id, { cacheHits: 1 });
        return { ok: true, translation: { text: restored.text, provider: p.id } };
      }
    }
    let result: ProviderResult;
    try {
      result = await call(p, key, masked, from, to, conv);
    } catch (err) {
      const e = isParleyError(err) ? { code: err.code, retryable: err.retryable, ...err.details } : { err };
      log.warn({ provider: p.id, from, to, ...e }, 'translation provider failed; trying the next');
      await count(conv, p.id, { failures: 1, requests: 1 });
      return { ok: false, reason: 'failed' };
    }
    const restored = restore(result.text, masked);
    if (!restored.ok) {
      log.warn({ provider: p.id, from, to, problem: restored.problem }, 'translation broke a protected span; trying the next');
      await count(conv, p.id, { failures: 1 });
      return { ok: false, reason: 'placeholders' };
    }
    await memory
      ?.put({ key, provider: p.id, from, to, translated: result.text }, clock.now())
      .catch((err) => log.warn({ err }, 'translation memory not saved'));
    return { ok: true, translation: { text: restored.text, provider: p.id } };
  }

  async function translate(text: string, from: string, to: string, context?: { conversationId?: string }): Promise<Translation> {
    if (!text.trim() || sameTag(from, to)) return { text, provider: 'none' };
    const masked = protect(text, glossary.entries(from, to));
    if (!hasTranslatableText(masked)) {
      // Only codes, links, emoji or glossary terms: nothing for a provider to do.
      const restored = restore(masked.text, masked);
      const out = restored.ok ? restored.text : text;
      return { text: out, provider: out === text ? 'none' : 'glossary' };
    }
    // No provider configured: nothing can translate it, and the reader must be told so.
    if (active.length === 0) return { text, provider: 'none', untranslated: true, reason: 'unconfigured' };
    const conv = context?.conversationId ?? '';
    let reason: 'failed' | 'placeholders' = 'failed';
    for (const p of active) {
      const outcome = await attempt(p, masked, from, to, conv);
      if (outcome.ok) return outcome.translation;
      if (outcome.reason === 'placeholders') reason = 'placeholders';
    }
    untranslated += 1;
    log.warn({ from, to, reason, providers: active.map((p) => p.id) }, 'no provider translated the text; it goes out untranslated');
    return { text, provider: 'none', untranslated: true, reason };
  }

  return {
    providers: active.map((p) => p.id),
    translate,
    get untranslatedCount() {
      return untranslated;
    },
    usage(conversationId) {
      if (conversationId !== undefined) return [...totals.values()].filter((u) => u.conversationId === conversationId).map((u) => ({ ...u }));
      const byProvider = new Map<string, UsageDelta>();
      for (const u of totals.values()) byProvider.set(u.provider, addDelta(byProvider.get(u.provider), { ...u, conversationId: '' }));
      return [...byProvider.values()];
    },
  };
}
