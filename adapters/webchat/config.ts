import { z } from 'zod';

/** The web chat block under `channels:` (all optional). */
export const webchatConfigSchema = z.object({
  /**
   * Signs session tokens (WEBCHAT_SECRET). When empty the gateway's session secret is used,
   * which is generated once and kept in the database.
   */
  secret: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Longest message a shopper may send. */
  maxTextLength: z.coerce.number().int().min(1).max(20_000).default(4000),
  /** Shop origins allowed to embed the widget (CORS); every origin when unset. */
  allowedOrigins: z.array(z.string().url()).optional(),
  /** How long a session token stays valid, in days. */
  sessionTtlDays: z.coerce.number().int().min(1).default(30),
  /**
   * Verifies who a logged-in shopper is (WEBCHAT_IDENTITY_SECRET): the shop's server signs the
   * customer id (and email) with it, the page hands the signature to `Parley.identify`. Without
   * it, identities are refused. Keep it on the shop's server only.
   */
  identitySecret: z.string().min(32, 'must be at least 32 characters (e.g. openssl rand -hex 32)').optional(),
});

/** Validated web chat settings. */
export type WebchatConfig = z.infer<typeof webchatConfigSchema>;
