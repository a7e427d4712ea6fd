import { z } from 'zod';

/** Graph API version used when the block does not name one. */
const defaultApiVersion = 'v21.0';

// Why strings or safe integers: YAML reads an unquoted 15-digit id as a number, and ids longer
// than 2^53 would silently lose digits, so those must be quoted.
const numericId = z
  .union([z.string().regex(/^\d+$/, 'must be digits only'), z.number().int().nonnegative().refine(Number.isSafeInteger, 'quote long ids')])
  .transform(String);

const secret = z.string().min(1).optional();
const apiVersion = z
  .string()
  .regex(/^v\d+\.\d+$/, 'must look like v21.0')
  .default(defaultApiVersion);
const baseUrl = (host: string) =>
  z
    .url({ protocol: /^https?$/ })
    .default(host)
    .transform((u) => u.replace(/\/+$/, ''));

/**
 * The block under `channels.<id>` with `type: messenger`. Secrets are optional so `parley check`
 * can list what is missing; without them webhooks are refused and sends fail with a hint.
 */
export const messengerConfigSchema = z
  .object({
    /** The Facebook Page's id (Page → About → Page transparency, or the Graph API). */
    pageId: numericId,
    /** A Page access token with `pages_messaging` (FB_PAGE_TOKEN). */
    pageAccessToken: secret,
    /** The Meta app's secret, used to check `X-Hub-Signature-256` (META_APP_SECRET). */
    appSecret: secret,
    /** The token typed into the app's webhook settings (META_VERIFY_TOKEN). */
    verifyToken: secret,
    graphBaseUrl: baseUrl('https://graph.facebook.com'),
    apiVersion,
  })
  .strict();

/**
 * The block under `channels.<id>` with `type: instagram`: an Instagram professional account
 * through the Instagram API with Instagram Login (`graph.instagram.com`).
 */
export const instagramConfigSchema = z
  .object({
    /** The Instagram professional account's id (the `id` of `GET /me` with its token). */
    igUserId: numericId,
    /** An Instagram user access token with `instagram_business_manage_messages` (IG_TOKEN). */
    accessToken: secret,
    /** The Meta app's secret, used to check `X-Hub-Signature-256` (META_APP_SECRET). */
    appSecret: secret,
    /** The token typed into the app's webhook settings (META_VERIFY_TOKEN). */
    verifyToken: secret,
    graphBaseUrl: baseUrl('https://graph.instagram.com'),
    apiVersion,
  })
  .strict();

/** A validated Messenger channel block. */
export type MessengerConfig = z.output<typeof messengerConfigSchema>;

/** A validated Instagram channel block. */
export type InstagramConfig = z.output<typeof instagramConfigSchema>;

/** Settings still missing, each naming the env var it usually comes from. */
export function missingSettings(config: MessengerConfig | InstagramConfig): string[] {
  const missing: string[] = [];
  if ('pageId' in config) {
    if (!config.pageAccessToken) missing.push('pageAccessToken (FB_PAGE_TOKEN)');
  } else if (!config.accessToken) missing.push('accessToken (IG_TOKEN)');
  if (!config.appSecret) missing.push('appSecret (META_APP_SECRET)');
  if (!config.verifyToken) missing.push('verifyToken (META_VERIFY_TOKEN)');
  return missing;
}
