/**
 * The translation memory and usage counters as a port: the translator asks it before calling
 * a provider and records what each call cost. `SqlTranslationMemory` (src/store) keeps both in
 * the database, with the conversations whose text made or reused each entry, so erasing a
 * shopper removes the entries made from their words (src/privacy).
 */
import { createHash } from 'node:crypto';

/** A remembered translation of a masked text. */
export interface MemoryEntry {
  key: string;
  provider: string;
  from: string;
  to: string;
  translated: string;
  /** The conversation whose text was translated, when there is one (`''` or absent: none). */
  conversationId?: string;
}

/** What translation cost, for one conversation (or none) and one provider. */
export interface UsageDelta {
  /** `''` when the text belongs to no conversation. */
  conversationId: string;
  provider: string;
  /** Characters sent to the provider (Unicode code points, as DeepL and Google bill). */
  characters: number;
  /** LLM tokens (prompt + completion). */
  tokens: number;
  /** Provider calls made. */
  requests: number;
  /** Answers taken from the memory instead of a call. */
  cacheHits: number;
  /** Calls that failed or came back with mangled placeholders. */
  failures: number;
}

/**
 * Port: where translations and their cost are kept.
 *
 * @example
 * ```ts
 * const key = memoryKey('deepl', 'es', 'en', 'Hola ⟦1⟧');
 * if (await memory.get(key)) await memory.cite(key, conversationId, now);
 * else await memory.put({ key, provider: 'deepl', from: 'es', to: 'en', translated: 'Hello ⟦1⟧', conversationId }, now);
 * ```
 */
export interface TranslationMemory {
  get(key: string): Promise<string | undefined>;
  /** Remembers a translation, and the conversation whose text it was made from. */
  put(entry: MemoryEntry, now: number): Promise<void>;
  /** Records that a conversation's text reused entry `key`: the entry holds their words too. */
  cite(key: string, conversationId: string, now: number): Promise<void>;
  /** Adds to the running totals of (conversation, provider). */
  addUsage(delta: UsageDelta, now: number): Promise<void>;
  /** Totals per (conversation, provider); all conversations when none is given. */
  usage(conversationId?: string): Promise<UsageDelta[]>;
}

/** The memory key: a hash of provider, languages and the masked text (the text itself is not a key). */
export function memoryKey(provider: string, from: string, to: string, text: string): string {
  return createHash('sha256').update(`${provider}\u0000${from.toLowerCase()}\u0000${to.toLowerCase()}\u0000${text}`).digest('base64url');
}

/** `a + b`, field by field (a may be missing). */
export function addDelta(a: UsageDelta | undefined, b: UsageDelta): UsageDelta {
  return {
    conversationId: b.conversationId,
    provider: b.provider,
    characters: (a?.characters ?? 0) + b.characters,
    tokens: (a?.tokens ?? 0) + b.tokens,
    requests: (a?.requests ?? 0) + b.requests,
    cacheHits: (a?.cacheHits ?? 0) + b.cacheHits,
    failures: (a?.failures ?? 0) + b.failures,
  };
}
