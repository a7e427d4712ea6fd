import { z } from 'zod';

/** The Bot API host used when the block does not name one. */
const defaultApiRoot = 'https://api.telegram.org';

// Why '' counts as absent: an unset `${TELEGRAM_WEBHOOK_SECRET}` in the YAML arrives as ''.
const optionalSecret = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' || v === null ? undefined : v), schema.optional());

/**
 * The block under `channels.<id>` with `type: telegram`. The token is optional so `parley check`
 * can list what is missing; without it `start` and every send fail with a hint.
 */
export const telegramConfigSchema = z
  .object({
    /** The bot token from @BotFather (TELEGRAM_BOT_TOKEN), e.g. `123456:ABC-DEF...`. */
    token: optionalSecret(z.string().regex(/^\d+:[\w-]+$/, 'must look like 123456:ABC-DEF... (from @BotFather)')),
    /**
     * The `secret_token` given to setWebhook (TELEGRAM_WEBHOOK_SECRET): 1-256 of `A-Z a-z 0-9 _ -`.
     * When absent Parley derives one from the token, so every gateway instance agrees on it.
     * https://core.telegram.org/bots/api#setwebhook
     */
    secretToken: optionalSecret(z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, 'must be 1-256 of A-Z a-z 0-9 _ -')),
    /** `webhook` (production) or `polling` (development without a public URL). */
    mode: z.enum(['webhook', 'polling']).default('webhook'),
    /** Bot API server; point it at a local Bot API server or a test double. */
    apiRoot: z
      .url({ protocol: /^https?$/ })
      .default(defaultApiRoot)
      .transform((u) => u.replace(/\/+$/, '')),
    /** Drop updates that queued up while no webhook or poller took them (setWebhook/deleteWebhook). */
    dropPendingUpdates: z.boolean().default(false),
    polling: z
      .object({
        /** Long-poll timeout of one getUpdates call, in seconds. */
        timeoutSec: z.number().int().min(0).max(50).default(25),
        /** Lease lifetime; the owner renews it after every getUpdates call. */
        leaseTtlMs: z.number().int().min(5_000).default(60_000),
        /** How often a standby instance checks whether the lease became free. */
        standbyRetryMs: z.number().int().min(100).default(15_000),
      })
      .strict()
      .refine((p) => p.leaseTtlMs > p.timeoutSec * 1000 + 5_000, {
        message: 'leaseTtlMs must exceed timeoutSec by more than 5 s, or the lease lapses mid-poll',
        path: ['leaseTtlMs'],
      })
      .default({ timeoutSec: 25, leaseTtlMs: 60_000, standbyRetryMs: 15_000 }),
  })
  .strict();

/** A validated Telegram channel block. */
export type TelegramConfig = z.output<typeof telegramConfigSchema>;

/** Settings still missing, each naming the env var it usually comes from. */
export function missingSettings(config: TelegramConfig): string[] {
  return config.token ? [] : ['token (TELEGRAM_BOT_TOKEN)'];
}
