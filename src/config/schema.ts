import { z } from 'zod';

const num = (def: number) => z.coerce.number().int().nonnegative().default(def);
const bool = (def: boolean) => z.union([z.boolean(), z.stringbool()]).default(def);

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
      concurrency: num(16),
      maxAttempts: num(6),
      retryBaseMs: num(1000),
      leaseMs: num(60_000),
      pollMs: num(1000),
    })
    .prefault({}),
  log: z
    .object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') })
    .prefault({}),
  channels: z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'channel ids use a-z, 0-9, - and _'), z.looseObject({ type: z.string() })).default({
    webchat: { type: 'webchat' },
  }),
});

/** The validated gateway configuration (before channel blocks are parsed by their adapters). */
export type GatewaySettings = z.infer<typeof gatewaySchema>;
