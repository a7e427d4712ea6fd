import { z } from 'zod';

/** The Graph API host and version used when the block does not name them. */
const defaultGraphBaseUrl = 'https://graph.facebook.com';
const defaultApiVersion = 'v21.0';

// Why strings or safe integers: YAML reads an unquoted 15-digit id as a number, and ids longer
// than 2^53 would silently lose digits, so those must be quoted.
const numericId = z
  .union([z.string().regex(/^\d+$/, 'must be digits only'), z.number().int().nonnegative().refine(Number.isSafeInteger, 'quote long ids')])
  .transform(String);

const template = z
  .object({
    /** Name of the approved message template in WhatsApp Manager. */
    name: z.string().min(1),
    /** Parley language (`es`, `en`, `pt-BR`) → WhatsApp template language code (`es`, `en_US`, `pt_BR`). */
    languages: z.record(z.string(), z.string().min(1)),
  })
  .strict();

/**
 * The block under `channels.<id>` with `type: whatsapp`. Secrets are optional so `parley check`
 * can list what is missing; without them webhooks are refused and sends fail with a hint.
 */
export const whatsappConfigSchema = z
  .object({
    /** The business phone number's id (WhatsApp Manager → API setup), not the phone number. */
    phoneNumberId: numericId,
    /** Permanent system-user access token (WHATSAPP_ACCESS_TOKEN). */
    accessToken: z.string().min(1).optional(),
    /** The Meta app's secret, used to check `X-Hub-Signature-256` (WHATSAPP_APP_SECRET). */
    appSecret: z.string().min(1).optional(),
    /** The token typed into the app's webhook settings (WHATSAPP_VERIFY_TOKEN). */
    verifyToken: z.string().min(1).optional(),
    graphBaseUrl: z
      .url({ protocol: /^https?$/ })
      .default(defaultGraphBaseUrl)
      .transform((u) => u.replace(/\/+$/, '')),
    apiVersion: z
      .string()
      .regex(/^v\d+\.\d+$/, 'must look like v21.0')
      .default(defaultApiVersion),
    /** Parley template key → approved template, for messages outside the 24-hour window. */
    templates: z.record(z.string(), template).default({}),
  })
  .strict();

/** A validated WhatsApp channel block. */
export type WhatsAppConfig = z.output<typeof whatsappConfigSchema>;

/** One entry of `templates`: an approved template and its language codes. */
export type WhatsAppTemplate = z.output<typeof template>;

/** Settings still missing, each naming the env var it usually comes from. */
export function missingSettings(config: WhatsAppConfig): string[] {
  const missing: string[] = [];
  if (!config.accessToken) missing.push('accessToken (WHATSAPP_ACCESS_TOKEN)');
  if (!config.appSecret) missing.push('appSecret (WHATSAPP_APP_SECRET)');
  if (!config.verifyToken) missing.push('verifyToken (WHATSAPP_VERIFY_TOKEN)');
  return missing;
}
