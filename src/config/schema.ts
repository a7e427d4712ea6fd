import { domainToASCII } from 'node:url';
import { z } from 'zod';
import { consoleSchema, handoffSchema } from '../handoff/config.js';
import { mediaSchema } from '../media/config.js';
import { transcriptionSchema } from '../media/understand/config.js';
import { duration } from './duration.js';

const num = (def: number) => z.coerce.number().int().nonnegative().default(def);
const bool = (def: boolean) => z.union([z.boolean(), z.stringbool()]).default(def);
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time like 21:00');

const rateWindowMs = z.coerce.number().int().min(1000, 'a window is at least 1000 ms').default(60_000);
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
  /**
   * How long Parley keeps what shoppers wrote and what it did with it (docs/privacy.md). Each is a
   * duration (`365d`, `12h`) or `off` (kept forever); a background sweep removes older rows in
   * batches of `batchSize`, pausing `pauseMs` between them, every `every`.
   */
  retention: z
    .object({
      /** Message text and content (the message row stays, emptied, so the conversation's numbering does). */
      messageText: duration('365d'),
      /** Media, locations, contact cards and stickers in messages (links, platform media ids, and the stored files no other message names: docs/media.md). */
      attachments: duration('90d'),
      translationMemory: duration('90d'),
      /** Conversations no agent owns or waits for, idle this long, with everything they hold. */
      closedConversations: duration('730d'),
      /** Processed inbound events, delivered or dead outbox rows and their attempts, API idempotency records, demo mails. */
      deliveryRecords: duration('30d').refine(
        (ms) => ms === 0 || ms >= 7 * 86_400_000,
        'keep delivery records 7d or more: platforms redeliver webhooks for up to 7 days (WhatsApp), and the processed inbound events are what recognises a redelivery',
      ),
      every: duration('1h').refine((ms) => ms >= 60_000, 'sweep at most once a minute: 1m or more'),
      batchSize: z.coerce.number().int().min(1).max(10_000).default(500),
      pauseMs: num(200),
    })
    .prefault({}),
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
      /**
       * The shop's own domains: a model's answer may link to these (and their subdomains) and to
       * the carrier tracking links of an order, nothing else.
       */
      domains: z
        .array(
          z
            .string()
            .trim()
            .toLowerCase()
            .refine((d) => !/[/:@\s]/.test(d) && domainToASCII(d) !== '', 'write a domain without https:// or a path, e.g. "pawsome-supplies.example"'),
        )
        .default([]),
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
  /**
   * Requests per window, per route family (docs/api.md, "Limits"); `max: 0` turns a limit off.
   * Counted per instance, except sign-in attempts per account, which the database counts.
   */
  rateLimits: z
    .object({
      /** `POST /webchat/session`, per client address. */
      webchatSession: z.object({ max: num(60), windowMs: rateWindowMs }).prefault({}),
      /** Web chat messages and button presses (socket frames and `POST /webhooks/<webchat id>`), per web chat session. */
      webchatMessage: z.object({ max: num(30), windowMs: rateWindowMs }).prefault({}),
      /** `POST /console/api/login`: `max` attempts per account (then locked until the window ends), `perClient` per client address. */
      consoleLogin: z.object({ max: num(5), perClient: num(20), windowMs: rateWindowMs }).prefault({}),
      /** `/api/v1`, per API key. */
      api: z.object({ max: num(1200), windowMs: rateWindowMs }).prefault({}),
    })
    .prefault({}),
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
      // A claimed event or reply is held this long, renewed every third of it while it runs: a
      // dead instance's work is claimed again within a lease and a poll (< 10 s), a slow turn
      // never while its owner lives.
      leaseMs: num(8000),
      pollMs: num(1000),
    })
    .prefault({}),
  /** What the core takes from a shopper's message on any channel (docs/api.md, "Limits"). */
  limits: z
    .object({
      /** Characters of one message's text that are kept, stored and answered; the rest is cut and the shopper told. */
      maxTextLength: z.coerce.number().int().min(256, 'at least 256 characters').max(65_536, 'at most 65536 characters').default(4096),
      /** Characters of one word the bot reads; longer "words" (pasted keys, blobs) are shortened for reading, kept in the stored message. */
      maxWordLength: z.coerce.number().int().min(32, 'at least 32 characters').max(4096, 'at most 4096 characters').default(256),
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
      scheduler: z.object({ pollMs: num(5000), concurrency: num(4), leaseMs: num(8000), maxAttempts: num(5) }).prefault({}),
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
      /** The model sees photos (gpt-4o-mini, qwen-vl, llama3.2-vision): shoppers' photos go to it with the message (docs/media.md#vision). */
      vision: bool(false),
    })
    .prefault({}),
  /** Voice notes to text through an OpenAI-compatible /audio/transcriptions endpoint (docs/media.md#transcription); off: a person listens. */
  transcription: transcriptionSchema,
  /** Where the bot reads orders (docs/orders.md). */
  orders: z
    .object({
      connector: z.enum(['none', 'file', 'http', 'shopify', 'woocommerce']).default('none'),
      /** `file`: a JSON file of orders (the demo shop). */
      file: z.string().default('./config/orders/sample.json'),
      /** `http`: the shop backend; orders are read from `{baseUrl}/orders/{id}`. */
      baseUrl: z.url().optional(),
      apiKey: z.string().optional(),
      /** Per request, for every connector. */
      timeoutMs: num(5000),
      /** How long a one-time code sent to the buyer's email stays valid. */
      codeTtlMs: num(600_000),
      /** `shopify`: the store's GraphQL Admin API (docs/orders.md#shopify). */
      shopify: z
        .object({
          /** `pawsome.myshopify.com` (the Admin API answers on the myshopify.com domain only), or a base URL (a proxy, tests). */
          shop: z
            .string({ error: 'the store\'s myshopify.com domain is required, e.g. shop: "pawsome.myshopify.com"' })
            .trim()
            .refine((s) => /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/i.test(s) || /^https?:\/\/[^\s/]+/i.test(s), 'use the store\'s myshopify.com domain, e.g. "pawsome.myshopify.com"'),
          /** Admin API access token (`shpat_...`) of a custom app created in the Shopify admin. */
          accessToken: z.string().optional(),
          /** Or the client ID and secret of a Dev Dashboard app installed on the store (24-hour tokens, renewed by Parley). */
          clientId: z.string().optional(),
          clientSecret: z.string().optional(),
          /** Pinned Admin API version; keep in step with SHOPIFY_DEFAULT_API_VERSION (src/bot/orders/shopify). */
          apiVersion: z.string().regex(/^(\d{4}-(01|04|07|10)|unstable)$/, 'a Shopify API version such as "2026-07"').default('2026-07'),
        })
        .optional(),
      /** `woocommerce`: the shop's REST API v3 with a Read API key (docs/orders.md#woocommerce). */
      woocommerce: z
        .object({
          /** The shop's address, e.g. `https://shop.example`. */
          baseUrl: z.url({ error: 'the shop\'s address is required, e.g. baseUrl: "https://shop.example"' }).refine((u) => /^https:/i.test(u) || /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])([:/]|$)/i.test(u), {
            message: 'use https:// (WooCommerce accepts API keys over HTTPS only); http:// is allowed for localhost',
          }),
          consumerKey: z.string().optional(),
          consumerSecret: z.string().optional(),
          /** Send the key as query parameters: for servers that drop the Authorization header ("Consumer key is missing"). */
          authInQuery: bool(false),
        })
        .optional(),
    })
    .prefault({})
    .refine((o) => o.connector !== 'http' || o.baseUrl, { message: 'orders.baseUrl is required when orders.connector is http', path: ['baseUrl'] })
    .superRefine(
      (o, ctx) => {
        const need = (path: string[], message: string) => ctx.addIssue({ code: 'custom', path, message });
        if (o.connector === 'shopify') {
          const s = o.shopify;
          if (!s) need(['shopify'], 'orders.shopify { shop, accessToken } is required when orders.connector is shopify');
          else if (!s.accessToken && !s.clientId && !s.clientSecret) {
            need(['shopify', 'accessToken'], 'the Admin API access token is required (set it from an env var: accessToken: "${SHOPIFY_ACCESS_TOKEN}"), or clientId and clientSecret of a Dev Dashboard app');
          } else if (!s.accessToken && !s.clientSecret) need(['shopify', 'clientSecret'], 'the app\'s client secret is required with clientId (clientSecret: "${SHOPIFY_CLIENT_SECRET}")');
          else if (!s.accessToken && !s.clientId) need(['shopify', 'clientId'], 'the app\'s client ID is required with clientSecret (clientId: "${SHOPIFY_CLIENT_ID}")');
        }
        if (o.connector === 'woocommerce') {
          const w = o.woocommerce;
          if (!w) need(['woocommerce'], 'orders.woocommerce { baseUrl, consumerKey, consumerSecret } is required when orders.connector is woocommerce');
          if (w && !w.consumerKey) need(['woocommerce', 'consumerKey'], 'a REST API consumer key with Read access is required (consumerKey: "${WC_CONSUMER_KEY}")');
          if (w && !w.consumerSecret) need(['woocommerce', 'consumerSecret'], 'the key\'s consumer secret is required (consumerSecret: "${WC_CONSUMER_SECRET}")');
        }
      },
      // Runs even when a field of the block failed, so a bad `shop` and a missing token are reported together.
      { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
    ),
  /** Outgoing e-mail: one-time codes for order help (docs/orders.md), later notifications. */
  mail: z
    .object({
      /** The sender, e.g. `"Pawsome Supplies <service@pawsome.example>"`. */
      from: z.string().min(3).default('Parley <no-reply@localhost>'),
      /** SMTP server (nodemailer). Without it, no code can be mailed unless `demoMailbox` is on. */
      smtp: z
        .object({
          host: z.string().min(1, 'name the SMTP server, e.g. smtp.example.com (set MAIL_SMTP_HOST)'),
          port: z.coerce.number().int().min(1).max(65535).default(587),
          /** true: TLS from the start (port 465); false: STARTTLS when the server offers it. */
          secure: bool(false),
          user: z.string().optional(),
          pass: z.string().optional(),
        })
        .optional(),
      /**
       * Demo only: keep mails in a local mailbox shown at `/demo/mailbox` instead of sending
       * them. Anyone who can open that page reads every code: never on in production.
       */
      demoMailbox: bool(false),
    })
    .prefault({})
    .refine((m) => !(m.smtp && m.demoMailbox), { message: 'mail.demoMailbox must be off when mail.smtp is set: codes would not be mailed', path: ['demoMailbox'] }),
  /** Human handoff: triggers, routing, teams and business hours (docs/console.md). */
  handoff: handoffSchema,
  /** The agent console (docs/console.md). */
  console: consoleSchema,
  /** Shoppers' photos, voice notes and files: where they are stored and what is accepted (docs/media.md). */
  media: mediaSchema,
  /**
   * Console reports (docs/reports.md): the currency costs are shown in, and each translation or
   * model provider's price per million characters and per million tokens, by provider id
   * (`deepl`, `openai`...). A provider without a price costs 0.
   */
  reports: z
    .object({
      currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD or EUR').default('USD'),
      prices: z
        .record(
          z.string(),
          z.object({ perMillionCharacters: z.coerce.number().nonnegative().default(0), perMillionTokens: z.coerce.number().nonnegative().default(0) }),
        )
        .default({}),
    })
    .prefault({}),
  /**
   * `GET /metrics` for Prometheus (docs/metrics.md): off by default. On the main port it needs
   * `key` (scrapers send `Authorization: Bearer <key>`); with `port` it is served only on a
   * listener of its own, bound to `host` (loopback unless set), and `key` is checked there too
   * when set.
   */
  metrics: z
    .object({
      enabled: bool(false),
      key: z.string().min(16, 'the metrics key must be at least 16 characters (set it from an env var, e.g. "${PARLEY_METRICS_KEY}")').optional(),
      port: z.coerce.number().int().min(0).max(65535).optional(),
      host: z.string().default('127.0.0.1'),
      /** This process in the `instance` label; default `<hostname>-<pid>`. */
      instance: z.string().min(1).optional(),
    })
    .prefault({})
    .refine((m) => !m.enabled || m.key !== undefined || m.port !== undefined, {
      message:
        'metrics.enabled needs metrics.key (a bearer token, e.g. "${PARLEY_METRICS_KEY}") or metrics.port (a listener of its own, bound to metrics.host, 127.0.0.1 by default)',
      path: ['key'],
    }),
  log: z
    .object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') })
    .prefault({}),
  channels: z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'channel ids use a-z, 0-9, - and _'), z.looseObject({ type: z.string() })).default({
    webchat: { type: 'webchat' },
  }),
});

/** The validated gateway configuration (before channel blocks are parsed by their adapters). */
export type GatewaySettings = z.infer<typeof gatewaySchema>;
