import { z } from 'zod';

/** Twilio's REST API host. */
const defaultApiRoot = 'https://api.twilio.com';

/**
 * The block under `channels.<id>` with `type: twilio`. Secrets and the sender are optional so
 * `parley check` can list what is missing; without them webhooks are refused and sends fail
 * with a hint.
 */
export const twilioConfigSchema = z
  .object({
    /** Account SID, `AC` + 32 hex (Twilio Console → Account info) (TWILIO_ACCOUNT_SID). */
    accountSid: z
      .string()
      .regex(/^AC[0-9a-fA-F]{32}$/, 'must be AC followed by 32 hex digits')
      .optional(),
    /** Auth token: signs webhooks and authenticates API calls (TWILIO_AUTH_TOKEN). */
    authToken: z.string().min(1).optional(),
    /** The sender: an E.164 number, a short code or an alphanumeric sender id. */
    from: z.string().min(1).optional(),
    /** A Messaging Service to send through instead of `from` (sender pool, Advanced Opt-Out). */
    messagingServiceSid: z
      .string()
      .regex(/^MG[0-9a-fA-F]{32}$/, 'must be MG followed by 32 hex digits')
      .optional(),
    /**
     * The exact URL Twilio calls, as typed into the number's "A message comes in" field: Twilio
     * signs it, so a proxy that changes host, scheme or path needs it here. Default: the
     * gateway's public URL + `/webhooks/<channel id>`. Status callbacks are sent to it too.
     */
    publicUrl: z.url({ protocol: /^https?$/ }).optional(),
    apiRoot: z
      .url({ protocol: /^https?$/ })
      .default(defaultApiRoot)
      .transform((u) => u.replace(/\/+$/, '')),
    /** Ask Twilio for delivery statuses (sent, delivered, undelivered, failed, read). */
    statusCallback: z.boolean().default(true),
    /**
     * At most this many segments per Messages API request. Longer replies go as several
     * messages, cut at a word boundary. 10 keeps within every carrier's concatenation limits.
     */
    maxSegments: z.number().int().min(1).max(10).default(10),
    /**
     * Treat the sender's number as the shopper's verified phone (a buyer sees their own order
     * without a code). Turn off where caller-id spoofing is a concern for the shop.
     */
    verifiedPhone: z.boolean().default(true),
    /** Send media as MMS (US and Canada numbers); otherwise media become links in the text. */
    mms: z.boolean().default(false),
  })
  .strict();

/** A validated Twilio channel block. */
export type TwilioConfig = z.output<typeof twilioConfigSchema>;

/** Settings still missing, each naming the env var it usually comes from. */
export function missingSettings(config: TwilioConfig): string[] {
  const missing: string[] = [];
  if (!config.accountSid) missing.push('accountSid (TWILIO_ACCOUNT_SID)');
  if (!config.authToken) missing.push('authToken (TWILIO_AUTH_TOKEN)');
  if (!config.from && !config.messagingServiceSid) missing.push('from or messagingServiceSid (the sending number or Messaging Service)');
  return missing;
}
