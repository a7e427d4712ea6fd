import type { MemoryEntry, TranslationMemory, UsageDelta } from '../language/translate/memory.js';
import type { SqlDriver, SqlExecutor } from './driver.js';

interface UsageRow {
  conversation_id: string;
  provider: string;
  characters: number | string;
  tokens: number | string;
  requests: number | string;
  cache_hits: number | string;
  failures: number | string;
}

/** Which conversations' words an entry was made from or reused by (erasure looks here). */
async function cite(db: SqlExecutor, key: string, conversationId: string, now: number): Promise<void> {
  await db.run('INSERT INTO translation_sources (key, conversation_id, created_at) VALUES (?, ?, ?) ON CONFLICT (key, conversation_id) DO NOTHING', [
    key,
    conversationId,
    now,
  ]);
}

/**
 * The translation memory and usage totals on the gateway's database (tables of migration 3;
 * entry sources: migration 11), for SQLite and Postgres alike.
 *
 * @example
 * ```ts
 * const memory = new SqlTranslationMemory(driver);
 * const translator = createTranslator(config.translation, { workingLanguage, memory });
 * ```
 */
export class SqlTranslationMemory implements TranslationMemory {
  constructor(private readonly db: SqlDriver) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.db.get<{ translated_text: string }>('SELECT translated_text FROM translation_memory WHERE key = ?', [key]))?.translated_text;
  }

  async put(entry: MemoryEntry, now: number): Promise<void> {
    const insert = `INSERT INTO translation_memory (key, provider, source_lang, target_lang, translated_text, created_at)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`;
    const params = [entry.key, entry.provider, entry.from, entry.to, entry.translated, now];
    if (!entry.conversationId) return void (await this.db.run(insert, params));
    const conversationId = entry.conversationId;
    await this.db.transaction(async (tx) => {
      await tx.run(insert, params);
      await cite(tx, entry.key, conversationId, now);
    });
  }

  async cite(key: string, conversationId: string, now: number): Promise<void> {
    await cite(this.db, key, conversationId, now);
  }

  /** Adds to the conversation's totals and to the provider's day (UTC) the usage report reads, in one commit. */
  async addUsage(d: UsageDelta, now: number): Promise<void> {
    const day = new Date(now).toISOString().slice(0, 10);
    await this.db.transaction(async (tx) => {
      await tx.run(
        `INSERT INTO usage_daily (day, kind, provider, characters, tokens, requests) VALUES (?, 'translation', ?, ?, ?, ?)
         ON CONFLICT (day, kind, provider) DO UPDATE SET characters = usage_daily.characters + excluded.characters,
           tokens = usage_daily.tokens + excluded.tokens, requests = usage_daily.requests + excluded.requests`,
        [day, d.provider, d.characters, d.tokens, d.requests],
      );
      await tx.run(
        `INSERT INTO translation_usage (conversation_id, provider, characters, tokens, requests, cache_hits, failures, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (conversation_id, provider) DO UPDATE SET
         characters = translation_usage.characters + excluded.characters,
         tokens = translation_usage.tokens + excluded.tokens,
         requests = translation_usage.requests + excluded.requests,
         cache_hits = translation_usage.cache_hits + excluded.cache_hits,
         failures = translation_usage.failures + excluded.failures,
         updated_at = excluded.updated_at`,
        [d.conversationId, d.provider, d.characters, d.tokens, d.requests, d.cacheHits, d.failures, now],
      );
    });
  }

  async usage(conversationId?: string): Promise<UsageDelta[]> {
    const rows = await this.db.all<UsageRow>(
      `SELECT * FROM translation_usage WHERE (CAST(? AS TEXT) IS NULL OR conversation_id = ?) ORDER BY conversation_id, provider`,
      [conversationId ?? null, conversationId ?? null],
    );
    return rows.map((r) => ({
      conversationId: r.conversation_id,
      provider: r.provider,
      characters: Number(r.characters),
      tokens: Number(r.tokens),
      requests: Number(r.requests),
      cacheHits: Number(r.cache_hits),
      failures: Number(r.failures),
    }));
  }
}
