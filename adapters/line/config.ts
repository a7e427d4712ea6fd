import { z } from 'zod';

/** LINE's API hosts: messages on `api.line.me`, content downloads on `api-data.line.me`. */
const defaultApiBaseUrl = 'https://api.line.me';
const defaultDataApiBaseUrl = 'https://api-data.line.me';

const baseUrl = (fallback: string) =>
  z
    .url({ protocol: /^https?$/ })
    .default(fallback)
    .transform((u) => u.replace(/\/+$/, ''));

/**
 * The block under `channels.<id>` with `type: line`. Secrets are optional so `parley check` can
 * list what is missing; without them webhooks are refused and sends fail with a hint.
 */
export const lineConfigSchema = z
  .object({
    /** Channel secret (LINE Developers Console → Basic settings), checks `X-Line-Signature` (LINE_CHANNEL_SECRET). */
    channelSecret: z.string().min(1).optional(),
    /** Long-lived channel access token (Messaging API tab) (LINE_CHANNEL_ACCESS_TOKEN). */
    channelAccessToken: z.string().min(1).optional(),
    apiBaseUrl: baseUrl(defaultApiBaseUrl),
    dataApiBaseUrl: baseUrl(defaultDataApiBaseUrl),
    /**
     * An HTTPS JPEG/PNG shown before a video plays. LINE requires one per video message and
     * Parley's media parts carry none, so without it videos are sent as links.
     */
    videoPreviewImageUrl: z.url({ protocol: /^https$/ }).optional(),
    /** Set the webhook URL through the API on start (needs an `https` public URL). */
    registerWebhook: z.boolean().default(true),
  })
  .strict();

/** A validated LINE channel block. */
export type LineConfig = z.output<typeof lineConfigSchema>;

/** Settings still missing, each naming the env var it usually comes from. */
export function missingSettings(config: LineConfig): string[] {
  const missing: string[] = [];
  if (!config.channelSecret) missing.push('channelSecret (LINE_CHANNEL_SECRET)');
  if (!config.channelAccessToken) missing.push('channelAccessToken (LINE_CHANNEL_ACCESS_TOKEN)');
  return missing;
}
