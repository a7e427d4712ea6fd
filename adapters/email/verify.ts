import { type KeyValueState, markVerified, type RawRequest, type VerifyResult } from '../../src/core/adapter.js';
import { hmac, safeEqual } from '../../src/core/http.js';
import type { Clock } from '../../src/core/ports.js';

/** What the inbound webhook needs checked: HTTP Basic credentials in the webhook URL. */
export interface BasicAuth {
  user: string;
  pass?: string;
}

/**
 * The `Authorization` header a client sends for these credentials (RFC 7617 §2):
 * `Basic ` + base64(user ":" pass).
 *
 * @example
 * ```ts
 * basicAuthorization('Aladdin', 'open sesame'); // 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==' (RFC 7617's example)
 * ```
 */
export function basicAuthorization(user: string, pass: string): string {
  return `Basic ${Buffer.from(`${user}:${pass}`, 'utf8').toString('base64')}`;
}

/**
 * Checks Postmark's inbound webhook before the body is read. Postmark signs nothing: it
 * authenticates with the Basic credentials written into the webhook URL
 * (`https://user:pass@gateway.example/webhooks/<id>`), sent as `Authorization: Basic …`.
 * https://postmarkapp.com/developer/webhooks/webhooks-overview#protecting-your-webhook
 * The header is compared whole, in constant time; every failure is a 401 with the reason
 * for the log only.
 */
export function verifyBasicAuth(req: RawRequest, auth: BasicAuth | undefined): VerifyResult<Record<string, never>> {
  if (!auth) return { ok: false, status: 401, reason: 'inbound webhook not configured' };
  if (!auth.pass) return { ok: false, status: 401, reason: 'inbound.basicAuth.pass not configured' };
  const header = req.headers.authorization?.trim();
  if (!header) return { ok: false, status: 401, reason: 'missing credentials' };
  if (!safeEqual(header, basicAuthorization(auth.user, auth.pass))) return { ok: false, status: 401, reason: 'bad credentials' };
  return { ok: true, request: markVerified(req, {}) };
}

/** A form field Mailgun posts as a file: an attachment, its bytes not kept (see docs). */
interface MailgunFile {
  /** The form field, `attachment-1` … `attachment-N`. */
  field: string;
  name?: string;
  mimeType: string;
  size: number;
  /** The file's bytes (kept for media intake). */
  data?: Buffer;
}

/** What a verified Mailgun POST carries: its text fields (first value of each) and its files. */
export interface MailgunForm {
  fields: Readonly<Record<string, string>>;
  files: MailgunFile[];
}

/** What Mailgun verification needs: the key, the clock and the state shared by every instance. */
export interface MailgunCheck {
  signingKey?: string;
  channelId: string;
  clock: Clock;
  state: KeyValueState;
}

/**
 * How far a Mailgun timestamp may be from our clock, either way. Mailgun gives no number; five
 * minutes is the usual window (Stripe, Svix) and the one docs/channels/email.md promises.
 */
export const MAILGUN_MAX_SKEW_MS = 5 * 60_000;

/**
 * The signature Mailgun sends: hex HMAC-SHA256 over `timestamp + token` with the webhook signing
 * key. https://documentation.mailgun.com/docs/mailgun/user-manual/webhooks/securing-webhooks
 *
 * @example
 * ```ts
 * mailgunSignature('key', '1412239366', '4166ec05…'); // 64 hex digits
 * ```
 */
export function mailgunSignature(signingKey: string, timestamp: string, token: string): string {
  return hmac('sha256', signingKey, `${timestamp}${token}`, 'hex');
}

/**
 * The form a Mailgun route POSTs: urlencoded, or multipart/form-data when the mail has
 * attachments (https://documentation.mailgun.com/docs/mailgun/user-manual/receive-forward-store/receive-http).
 * Parsed by Node's own fetch implementation (undici's `Response.formData()`), no dependency.
 */
async function readForm(req: RawRequest): Promise<MailgunForm | undefined> {
  const type = req.headers['content-type'] ?? '';
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type)) return undefined;
  const form = await new Response(new Uint8Array(req.body), { headers: { 'content-type': type } }).formData().catch(() => undefined);
  if (!form) return undefined;
  const fields: Record<string, string> = {};
  const files: MailgunFile[] = [];
  const reads: Promise<void>[] = [];
  form.forEach((value, field) => {
    if (typeof value === 'string') fields[field] ??= value;
    else {
      const file: MailgunFile = { field, ...(value.name ? { name: value.name } : {}), mimeType: value.type || 'application/octet-stream', size: value.size };
      files.push(file);
      reads.push(value.arrayBuffer().then((bytes) => void (file.data = Buffer.from(bytes))));
    }
  });
  await Promise.all(reads);
  return { fields, files };
}

/**
 * Checks a Mailgun route's POST before anything in it is used: the signature (constant time),
 * then the timestamp (at most {@link MAILGUN_MAX_SKEW_MS} from our clock), then the token (each
 * is taken once: it is remembered in the shared state until its timestamp would be stale anyway,
 * so a copied request is refused by every instance). Every failure is a 401 with the reason for
 * the log only. Two copies racing on two instances can both pass the token check; the inbox's
 * unique (channel, Message-ID) key still stores the mail once.
 */
export async function verifyMailgun(req: RawRequest, check: MailgunCheck): Promise<VerifyResult<MailgunForm>> {
  if (!check.signingKey) return { ok: false, status: 401, reason: 'inbound.signingKey not configured' };
  const form = await readForm(req);
  const { timestamp, token, signature } = form?.fields ?? {};
  if (!form || !timestamp || !token || !signature) return { ok: false, status: 401, reason: 'missing signature' };
  if (!safeEqual(signature.toLowerCase(), mailgunSignature(check.signingKey, timestamp, token))) return { ok: false, status: 401, reason: 'bad signature' };
  const sentAt = Number(timestamp) * 1000;
  const now = check.clock.now();
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(now - sentAt) > MAILGUN_MAX_SKEW_MS) return { ok: false, status: 401, reason: 'stale timestamp' };
  const key = `email:mailgun-token:${check.channelId}:${token}`;
  if (await check.state.get(key)) return { ok: false, status: 401, reason: 'replayed token' };
  await check.state.set(key, '1', sentAt + MAILGUN_MAX_SKEW_MS + 1_000);
  return { ok: true, request: markVerified(req, form) };
}
