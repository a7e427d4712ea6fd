import { z } from 'zod';
import { consoleSchema, handoffSchema } from '../handoff/config.js';

const num = (def: number) => z.coerce.number().int().nonnegative().default(def);
const bool = (def: boolean) => z.union([z.boolean(), z.stringbool()]).default(def);
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time like 21:00');

const timeoutMs = z.coerce.number().int().positive().max(120_000).optional();
const providerCommon = {
  /** Name in counters and stored messages; set it when one type is listed twice. */
  id: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'provider ids use a-z, 0-9, ., - and _').optional(),
  timeoutMs,
  /** Parley tag -> the provider's language code, overriding the built-in mapping. */
  codes: z.record(z.string(), z.string()).optional(),
};
const apiKey = z.string().min(1, 'an API key is required (set it from an env var, e.g. "${DEEPL_API_KEY}")');

/** One translation provider; tried in the order listed. */
const translationProviderSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('none'), id: z.string().optional() }),
  z.object({
    type: z.literal('openai'),
    ...providerCommon,
    /** Any OpenAI-compatible endpoint: OpenAI, Azure OpenAI (/openai/v1), DeepSeek, Qwen, Ollama, vLLM. */
    baseUrl: z.url().optional(),
    apiKey: z.string().optional(),
    model: z.string().min(1, 'name the model, e.g. gpt-4o-mini, deepseek-chat, qwen-plus'),
    temperature: z.coerce.number().min(0).max(2).optional(),
  }),
  z.object({
    type: z.literal('deepl'),
    ...providerCommon,
    apiKey,
    /** Defaults from the key: `:fx` keys -> https://api-free.deepl.com, others -> https://api.deepl.com. */
    baseUrl: z.url().optional(),
    plan: z.enum(['free', 'pro']).optional(),
    formality: z.enum(['default', 'more', 'less', 'prefer_more', 'prefer_less']).optional(),
  }),
  z.object({ type: z.literal('google'), ...providerCommon, apiKey, baseUrl: z.url().optional() }),
  z.object({ type: z.literal('azure'), ...providerCommon, apiKey, region: z.string().optional(), baseUrl: z.url().optional() }),
  z.object({ type: z.literal('libretranslate'), ...providerCommon, baseUrl: z.url(), apiKey: z.string().optional() }),
]);

/** The gateway's configuration (channels are validated by their adapters). */
export const gatewaySchema = z.object({
  server: z
    .object({
      port: z.coerce.number().int().min(0).max(65535).default(3000),
      host: z.string().default('0.0.0.0'),
      /** The URL platforms reach this gateway at; webhook URLs are built from it. */
      publicUrl: z.url().default('http://localhost:3000'),
      bodyLimitBytes: num(1_048_576),
      trustProxy: bool(false),
    })
    .prefault({}),
  storage: z
    .object({
      driver: z.enum(['sqlite', 'postgres']).default('sqlite'),
      sqlite: z
        .object({ path: z.string().default('./data/parley.db'), synchronous: z.enum(['normal', 'full']).default('normal') })
        .prefault({}),
      postgres: z.object({ url: z.string(), schema: z.string().optional() }).optional(),
      /** Where adapters keep files (WhatsApp Web sessions). */
      dataDir: z.string().default('./data'),
    })
    .prefault({})
    .refine((s) => s.driver !== 'postgres' || s.postgres?.url, {
      message: 'storage.postgres.url is required when storage.driver is postgres',
      path: ['postgres', 'url'],
    }),
  shop: z
    .object({
      name: z.string().default('Parley Shop'),
      /** Languages shoppers are served in (BCP 47). */
      languages: z.array(z.string()).min(1).default(['en']),
      /** Used when nothing tells the shopper's language. */
      defaultLanguage: z.string().default('en'),
      /** The language the knowledge base and the agents work in. */
      workingLanguage: z.string().default('en'),
      timezone: z.string().default('UTC'),
    })
    .prefault({}),
  knowledge: z
    .object({
      dir: z.string().default('./config/knowledge'),
      minConfidence: z.coerce.number().min(0).max(1).default(0.55),
    })
    .prefault({}),
  translation: z
    .object({
      /** Tried in order: a timeout, an error or a broken protected span moves to the next. */
      providers: z.array(translationProviderSchema).min(1).default([{ type: 'none' }]),
      glossary: z
        .object({
          /** Never translated: brand and product names. */
          doNotTranslate: z.array(z.string().min(1)).default([]),
          /** Fixed translations: working-language term -> language tag -> term. */
          terms: z.record(z.string().min(1), z.record(z.string(), z.string().min(1))).default({}),
        })
        .prefault({}),
    })
    .prefault({}),
  api: z.object({ keys: z.array(z.string().min(16, 'API keys must be at least 16 characters')).default([]) }).prefault({}),
  security: z
    .object({
      /** Signs web chat session tokens; generated and stored in the database when empty. */
      sessionSecret: z.string().min(32, 'must be at least 32 characters').optional(),
      sessionTtlDays: num(30),
    })
    .prefault({}),
  queue: z
    .object({
      // Turns and deliveries mostly wait on the network (a model's answer takes seconds, a
      // platform call tens of milliseconds), so more of them run at once than there are cores.
      concurrency: num(64),
      maxAttempts: num(6),
      retryBaseMs: num(1000),
      leaseMs: num(60_000),
      pollMs: num(1000),
    })
    .prefault({}),
  /** Proactive customer care (docs/care.md). */
  care: z
    .object({
      /** Channel ids to try, in order, when the shopper's preferred and last-used channels cannot take a message. */
      channelOrder: z.array(z.string()).default([]),
      /** No proactive message between `start` and `end` in the shopper's time zone; it waits for `end`. */
      quietHours: z
        .object({ start: hhmm, end: hhmm, applyTo: z.enum(['all', 'marketing']).default('all') })
        .optional(),
      /** Marketing (greetings, news) needs opt-in and is capped per shopper. */
      marketing: z.object({ maxPerWeek: num(2) }).prefault({}),
      /** The rating request sent after delivery. */
      feedback: z
        .object({ enabled: bool(true), delayDays: z.coerce.number().min(0).default(3), answerWindowDays: z.coerce.number().min(0).default(14) })
        .prefault({}),
      /** Local time a dated greeting (birthday) is sent at. */
      greetingTime: hhmm.default('10:00'),
      scheduler: z.object({ pollMs: num(5000), concurrency: num(4), leaseMs: num(60_000), maxAttempts: num(5) }).prefault({}),
    })
    .prefault({}),
  /** Answers from an OpenAI-compatible chat model (docs/llm.md); the knowledge base answers when it is off or fails. */
  llm: z
    .object({
      enabled: bool(false),
      /** Any chat-completions endpoint: OpenAI (default), Azure OpenAI, DeepSeek, DashScope, Ollama, vLLM. */
      baseURL: z.url().optional(),
      model: z.string().min(1).default('gpt-4o-mini'),
      apiKey: z.string().optional(),
      /** Azure OpenAI: the `api-version` query parameter. */
      apiVersion: z.string().optional(),
      /** Azure OpenAI sends the key in an `api-key` header. */
      apiKeyHeader: z.enum(['authorization', 'api-key']).default('authorization'),
      temperature: z.coerce.number().min(0).max(2).default(0.2),
      timeoutMs: num(15_000),
      maxTokens: num(600),
      /** Region for phone numbers written without a country code (PII masking, buyer matching). */
      defaultCountry: z.string().length(2).toUpperCase().optional(),
      /** Tokens (prompt + completion); 0 means no limit. Over budget, the knowledge base answers. */
      budget: z.object({ tokensPerConversation: num(30_000), tokensPerDay: num(2_000_000) }).prefault({}),
      /** Price per 1,000 tokens, for the cost counters. */
      pricing: z.object({ inputPer1k: z.coerce.number().nonnegative(), outputPer1k: z.coerce.number().nonnegative() }).optional(),
    })
    .prefault({}),
  /** Where the bot reads orders (docs/orders.md). */
  orders: z
    .object({
      connector: z.enum(['none', 'file', 'http']).default('none'),
      /** `file`: a JSON file of orders (the demo shop). */
      file: z.string().default('./config/orders/sample.json'),
      /** `http`: the shop backend; orders are read from `{baseUrl}/orders/{id}`. */
      baseUrl: z.url().optional(),
      apiKey: z.string().optional(),
      timeoutMs: num(5000),
      /** How long a one-time code sent to the buyer's email stays valid. */
      codeTtlMs: num(600_000),
    })
    .prefault({})
    .refine((o) => o.connector !== 'http' || o.baseUrl, { message: 'orders.baseUrl is required when orders.connector is http', path: ['baseUrl'] }),
  /** Human handoff: triggers, routing, teams and business hours (docs/console.md). */
  handoff: handoffSchema,
  /** The agent console (docs/console.md). */
  console: consoleSchema,
  log: z
    .object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') })
    .prefault({}),
  channels: z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'channel ids use a-z, 0-9, - and _'), z.looseObject({ type: z.string() })).default({
    webchat: { type: 'webchat' },
  }),
});

/** The validated gateway configuration (before channel blocks are parsed by their adapters). */
export type GatewaySettings = z.infer<typeof gatewaySchema>;
