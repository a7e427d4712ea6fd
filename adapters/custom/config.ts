import { z } from 'zod';
import { compileProblem } from './expressions.js';

/**
 * A JSONata expression (https://docs.jsonata.org). Compiled when the config is loaded: a syntax
 * error is reported with the YAML path of the key and JSONata's message.
 */
const expr = z
  .string()
  .min(1)
  .superRefine((source, ctx) => {
    const problem = compileProblem(source);
    if (problem) ctx.addIssue({ code: 'custom', message: `bad JSONata expression: ${problem}` });
  });

/** Placeholders a signing string may use: `{body}`, `{secret}`, `{header.<name>}`, `{query.<name>}`. */
const PLACEHOLDER = /\{(body|secret|header\.[A-Za-z0-9_-]+|query\.[A-Za-z0-9_.-]+)\}/g;
const signingString = z
  .string()
  .min(1)
  .refine((s) => s.replace(PLACEHOLDER, '').match(/\{[^}]*\}/) === null, 'unknown placeholder: use {body}, {secret}, {header.<name>} or {query.<name>}');

const secret = z.string().min(1).optional();

/** A timestamp the platform signs, refused when too far from now (replays). */
const signedTimestamp = z
  .object({
    header: z.string().min(1).optional(),
    query: z.string().min(1).optional(),
    unit: z.enum(['s', 'ms']).default('s'),
    maxSkewSec: z.number().int().positive().default(300),
  })
  .strict()
  .refine((t) => Boolean(t.header) !== Boolean(t.query), "name the timestamp's header or its query parameter (one of them)");

const signatureFields = {
  /** The header that carries the signature. */
  header: z.string().min(1),
  /** How the signature is written. */
  encoding: z.enum(['hex', 'base64', 'base64url']).default('hex'),
  /** What precedes the signature in the header, e.g. `sha256=` (GitHub, Meta). */
  prefix: z.string().default(''),
  /** The shared secret (from an env var). */
  secret,
  /** What is signed: placeholders over the raw request. Default `{body}`. */
  over: signingString.default('{body}'),
  timestamp: signedTimestamp.optional(),
};

/** How a webhook proves it comes from the platform: checked over the raw bytes, before any parsing. */
const verify = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('hmac'), algorithm: z.enum(['sha1', 'sha256', 'sha512']).default('sha256'), ...signatureFields }).strict(),
  // A plain digest of a string that contains the secret (Feishu: sha256(timestamp + nonce + encrypt key + body)).
  z
    .object({ kind: z.literal('digest'), algorithm: z.enum(['sha1', 'sha256', 'sha512']).default('sha256'), ...signatureFields })
    .strict()
    .refine((v) => v.over.includes('{secret}'), { message: 'a digest must cover {secret}, or anyone can compute it', path: ['over'] }),
  z.object({ kind: z.literal('bearer'), header: z.string().min(1).default('authorization'), token: secret }).strict(),
  z.object({ kind: z.literal('urlSecret'), param: z.string().min(1).default('secret'), secret }).strict(),
  z.object({ kind: z.literal('none') }).strict(),
]);

/** Bodies the platform encrypts (`{ "encrypt": "<base64>" }`): AES-256-CBC, IV in the first 16 bytes. */
const decrypt = z
  .object({
    /** The body field holding the base64 ciphertext. */
    field: z.string().min(1).default('encrypt'),
    cipher: z.literal('aes-256-cbc').default('aes-256-cbc'),
    /** `sha256`: the key is SHA-256 of `key` (Feishu); `base64`: `key` is the 32 bytes in base64. */
    keyDerivation: z.enum(['sha256', 'base64']).default('sha256'),
    key: secret,
  })
  .strict();

/** A request the platform sends to check the URL, answered and never stored. */
const handshake = z
  .object({
    /** True for a handshake request (over the parsed, decrypted body). */
    when: expr,
    /** The JSON answered, e.g. `{ 'challenge': challenge }`. */
    respond: expr,
    /** The platform does not sign its handshake (Feishu's url_verification): answer it unverified. */
    unsigned: z.boolean().default(false),
  })
  .strict();

const inbound = z
  .object({
    verify,
    decrypt: decrypt.optional(),
    handshake: handshake.optional(),
    /** Events that are acknowledged (2xx) and dropped: a truthy result ignores the event. */
    ignore: expr.optional(),
    eventId: expr,
    /** The platform's message id, when it differs from the event id (default: the event id). */
    messageId: expr.optional(),
    userId: expr,
    chatId: expr,
    /** A thread inside the chat, when the platform has threads. */
    threadId: expr.optional(),
    text: expr.optional(),
    /** An array of `{ url, kind?, mimeType?, name? }` (or one such object). */
    attachments: expr.optional(),
    /** Milliseconds since the epoch, or an ISO 8601 string. */
    timestamp: expr.optional(),
    /** A BCP 47 tag the platform gives (`es`, `zh_CN`): a hint, never decisive. */
    language: expr.optional(),
    senderName: expr.optional(),
    /** Values kept with the conversation and readable by outbound expressions as `extra.<name>`. */
    keep: z
      .record(z.string(), expr)
      .superRefine((names, ctx) => {
        for (const name of Object.keys(names))
          if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) ctx.addIssue({ code: 'custom', path: [name], message: 'a name of letters, digits and _' });
      })
      .default({}),
    /** The HTTP answer to an accepted event. */
    ack: z
      .object({ status: z.number().int().min(200).max(299).default(200), body: z.unknown().optional() })
      .strict()
      .default({ status: 200 }),
  })
  .strict();

const httpUrl = z.url({ protocol: /^https?$/ });
const deliveryReason = z.enum(['auth', 'blocked', 'rate_limited', 'invalid', 'transient']);

/** A token the outbound requests carry, fetched from the platform's auth endpoint and cached. */
const token = z
  .object({
    url: httpUrl,
    method: z.enum(['POST', 'GET']).default('POST'),
    headers: z.record(z.string(), z.string()).default({}),
    /** A JSON body, as written (secrets from env vars). */
    body: z.record(z.string(), z.unknown()).optional(),
    /** The token in the response. */
    token: expr,
    /** Its lifetime in seconds, from the response (default 3600). */
    expiresIn: expr.optional(),
    /** Where the token goes on each outbound request. */
    header: z.string().min(1).default('Authorization'),
    scheme: z.string().default('Bearer'),
  })
  .strict();

const outbound = z
  .object({
    method: z.enum(['POST', 'PUT', 'PATCH']).default('POST'),
    /** A fixed URL (env vars allowed). */
    url: httpUrl.optional(),
    /** Or an expression over the reply (`extra.sessionWebhook`): it must start with one of `allowedUrlPrefixes`. */
    urlFrom: expr.optional(),
    allowedUrlPrefixes: z.array(httpUrl).default([]),
    headers: z.record(z.string(), z.string()).default({}),
    token: token.optional(),
    /** The JSON body of a text reply, over `{ text, chatId, userId, threadId, extra, replyTo }`. */
    body: expr,
    /** The body of an image reply (`image.url`, `image.caption`); required when capabilities.images. */
    imageBody: expr.optional(),
    /** The body of a reply with buttons (`text`, `choices[].label/payload/url`); required when capabilities.buttons. */
    buttonsBody: expr.optional(),
    /** The platform's message id in the response body. */
    messageId: expr.optional(),
    /** True when a 2xx response really succeeded (`code = 0`); otherwise the send failed. */
    okWhen: expr.optional(),
    /** The platform's error code in a failed response, looked up in `errors`. */
    errorCode: expr.optional(),
    /** Platform error code → what it means to the outbox. */
    errors: z.record(z.string(), deliveryReason).default({}),
    /** HTTP statuses worth retrying (429 waits for Retry-After). */
    retryOn: z.array(z.number().int().min(400).max(599)).default([408, 429, 500, 502, 503, 504]),
    timeoutMs: z.number().int().min(100).max(60_000).default(10_000),
    rateLimit: z.object({ perChatPerSecond: z.number().positive().optional(), perBotPerSecond: z.number().positive().optional() }).strict().optional(),
  })
  .strict()
  .refine((o) => Boolean(o.url) !== Boolean(o.urlFrom), 'give either url or urlFrom, not both')
  .refine((o) => !o.urlFrom || o.allowedUrlPrefixes.length > 0, {
    message: 'urlFrom needs allowedUrlPrefixes: the URL comes from a webhook and must be kept to the platform',
    path: ['allowedUrlPrefixes'],
  });

const capabilities = z
  .object({
    maxTextLength: z.number().int().min(20).max(100_000).default(2000),
    markup: z.enum(['plain', 'markdown']).default('plain'),
    buttons: z
      .union([z.literal(false), z.object({ max: z.number().int().min(1).max(20), maxLabelLength: z.number().int().min(1).max(200) }).strict()])
      .default(false),
    images: z.boolean().default(false),
  })
  .strict()
  .default({ maxTextLength: 2000, markup: 'plain', buttons: false, images: false });

/**
 * The block under `channels.<id>` with `type: custom`: a platform Parley has no adapter for,
 * described in config (docs/channels/custom.md).
 */
export const customConfigSchema = z
  .object({ inbound, outbound, capabilities })
  .strict()
  .superRefine((c, ctx) => {
    if (c.capabilities.images && !c.outbound.imageBody)
      ctx.addIssue({ code: 'custom', path: ['outbound', 'imageBody'], message: 'capabilities.images is true: say how an image is sent' });
    if (c.capabilities.buttons && !c.outbound.buttonsBody)
      ctx.addIssue({ code: 'custom', path: ['outbound', 'buttonsBody'], message: 'capabilities.buttons is set: say how buttons are sent' });
    if (c.inbound.handshake?.unsigned && c.inbound.verify.kind !== 'none' && !c.inbound.decrypt)
      ctx.addIssue({
        code: 'custom',
        path: ['inbound', 'handshake', 'unsigned'],
        message: 'an unsigned handshake is taken only from an encrypted body (decrypt): otherwise anyone could have the gateway answer it',
      });
  });

/** A validated custom channel block. */
export type CustomConfig = z.output<typeof customConfigSchema>;
export type VerifyConfig = CustomConfig['inbound']['verify'];
export type DecryptConfig = NonNullable<CustomConfig['inbound']['decrypt']>;
export type OutboundConfig = CustomConfig['outbound'];

/** Settings still missing (secrets whose env var is unset). */
export function missingSettings(config: CustomConfig): string[] {
  const missing: string[] = [];
  const v = config.inbound.verify;
  if ((v.kind === 'hmac' || v.kind === 'digest' || v.kind === 'urlSecret') && !v.secret) missing.push('inbound.verify.secret (its env var is unset)');
  if (v.kind === 'bearer' && !v.token) missing.push('inbound.verify.token (its env var is unset)');
  if (config.inbound.decrypt && !config.inbound.decrypt.key) missing.push('inbound.decrypt.key (its env var is unset)');
  return missing;
}
