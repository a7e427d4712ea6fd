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
   * conversation's rows (kept for the most recent `recentConversations` conversations only).
   * Persisted totals: `TranslationMemory.usage()`.
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
  /** How many conversations' in-process usage rows are kept (least recently counted dropped first); default 10,000. */
  recentConversations?: number;
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
  const chain: Chain = {
    active: providers.filter((p) => p.id !== 'none'),
    glossary: new Glossary(options.glossary, options.workingLanguage),
    clock: options.clock ?? systemClock,
    log: (options.log ?? silentLogger).child({ stage: 'translate' }),
    memory: options.memory,
    byProvider: new Map(),
    byConversation: new Map(),
    recentConversations: options.recentConversations ?? 10_000,
    inFlight: new Map(),
    untranslated: 0,
  };
  return {
    providers: chain.active.map((p) => p.id),
    translate: (text, from, to, context) => translate(chain, text, from, to, context),
    get untranslatedCount() {
      return chain.untranslated;
    },
    usage: (conversationId) => usageOf(chain, conversationId),
  };
}

/** The chain's providers and ports, and what it counts while it runs. */
interface Chain {
  active: readonly TranslationProvider[];
  glossary: Glossary;
  clock: Clock;
  log: Logger;
  memory: TranslationMemory | undefined;
  /** Usage per provider since start. */
  byProvider: Map<string, UsageDelta>;
  /**
   * Usage per (conversation, provider), most recently counted last. Bounded: a gateway sees
   * conversations without end, and the store keeps the full record.
   */
  byConversation: Map<string, UsageDelta>;
  recentConversations: number;
  inFlight: Map<string, Promise<ProviderResult>>;
  untranslated: number;
}

/** One text on its way between two languages, its protected spans masked. */
interface Job {
  masked: Masked;
  from: string;
  to: string;
  conv: string;
}

async function translate(chain: Chain, text: string, from: string, to: string, context?: { conversationId?: string }): Promise<Translation> {
  if (!text.trim() || sameTag(from, to)) return { text, provider: 'none' };
  const masked = protect(text, chain.glossary.entries(from, to));
  if (!hasTranslatableText(masked)) {
    // Only codes, links, emoji or glossary terms: nothing for a provider to do.
    const restored = restore(masked.text, masked);
    const out = restored.ok ? restored.text : text;
    return { text: out, provider: out === text ? 'none' : 'glossary' };
  }
  // No provider configured: nothing can translate it, and the reader must be told so.
  if (chain.active.length === 0) return { text, provider: 'none', untranslated: true, reason: 'unconfigured' };
  const job: Job = { masked, from, to, conv: context?.conversationId ?? '' };
  let reason: 'failed' | 'placeholders' = 'failed';
  for (const p of chain.active) {
    const outcome = await attempt(chain, p, job);
    if (outcome.ok) return outcome.translation;
    if (outcome.reason === 'placeholders') reason = 'placeholders';
  }
  chain.untranslated += 1;
  chain.log.warn({ from, to, reason, providers: chain.active.map((p) => p.id) }, 'no provider translated the text; it goes out untranslated');
  return { text, provider: 'none', untranslated: true, reason };
}

async function attempt(chain: Chain, p: TranslationProvider, job: Job): Promise<Attempt> {
  const { masked, from, to, conv } = job;
  const key = memoryKey(p.id, from, to, masked.text);
  const cached = await remembered(chain, key);
  if (cached !== undefined) {
    const restored = restore(cached, masked);
    if (restored.ok) {
      await count(chain, conv, p.id, { cacheHits: 1 });
      if (conv) await chain.memory?.cite(key, conv, chain.clock.now()).catch((err) => chain.log.warn({ err }, 'translation memory use not saved'));
      return { ok: true, translation: { text: restored.text, provider: p.id } };
    }
  }
  let result: ProviderResult;
  try {
    result = await call(chain, p, key, job);
  } catch (err) {
    const e = isParleyError(err) ? { code: err.code, retryable: err.retryable, ...err.details } : { err };
    chain.log.warn({ provider: p.id, from, to, ...e }, 'translation provider failed; trying the next');
    await count(chain, conv, p.id, { failures: 1, requests: 1 });
    return { ok: false, reason: 'failed' };
  }
  const restored = restore(result.text, masked);
  if (!restored.ok) {
    chain.log.warn({ provider: p.id, from, to, problem: restored.problem }, 'translation broke a protected span; trying the next');
    await count(chain, conv, p.id, { failures: 1 });
    return { ok: false, reason: 'placeholders' };
  }
  await chain.memory
    ?.put({ key, provider: p.id, from, to, translated: result.text, ...(conv ? { conversationId: conv } : {}) }, chain.clock.now())
    .catch((err) => chain.log.warn({ err }, 'translation memory not saved'));
  return { ok: true, translation: { text: restored.text, provider: p.id } };
}

/** One provider call per distinct (provider, languages, text) at a time; the rest wait for it. */
async function call(chain: Chain, p: TranslationProvider, key: string, { masked, from, to, conv }: Job): Promise<ProviderResult> {
  const running = chain.inFlight.get(key);
  if (running) {
    const result = await running;
    await count(chain, conv, p.id, { cacheHits: 1 });
    return result;
  }
  const started = chain.clock.now();
  const promise = p.translate(masked.text, from, to);
  chain.inFlight.set(key, promise);
  try {
    const result = await promise;
    await count(chain, conv, p.id, { characters: [...masked.text].length, tokens: result.tokens ?? 0, requests: 1 });
    chain.log.debug({ provider: p.id, from, to, ms: chain.clock.now() - started }, 'translated');
    return result;
  } finally {
    chain.inFlight.delete(key);
  }
}

async function remembered(chain: Chain, key: string): Promise<string | undefined> {
  return chain.memory?.get(key).catch((err) => {
    chain.log.warn({ err }, 'translation memory unavailable');
    return undefined;
  });
}

async function count(chain: Chain, conversationId: string, provider: string, delta: Partial<UsageDelta>): Promise<void> {
  const d = { ...zero(conversationId, provider), ...delta };
  chain.byProvider.set(provider, addDelta(chain.byProvider.get(provider), { ...d, conversationId: '' }));
  const id = `${conversationId}\u0000${provider}`;
  const had = chain.byConversation.get(id);
  chain.byConversation.delete(id);
  chain.byConversation.set(id, addDelta(had, d));
  if (chain.byConversation.size > chain.recentConversations) chain.byConversation.delete(chain.byConversation.keys().next().value as string);
  await chain.memory?.addUsage(d, chain.clock.now()).catch((err) => chain.log.warn({ err, provider }, 'translation usage not saved'));
}

/** Per provider (all conversations), or, given an id, that conversation's rows. */
function usageOf(chain: Chain, conversationId: string | undefined): UsageDelta[] {
  const rows = conversationId === undefined ? chain.byProvider.values() : chain.byConversation.values();
  return [...rows].filter((u) => conversationId === undefined || u.conversationId === conversationId).map((u) => ({ ...u }));
}
