import { markVerified, type RawRequest, type VerifyResult } from '../../src/core/adapter.js';
import { hmac, safeEqual } from '../../src/core/http.js';

/** The form fields of a verified request, each name with its values in the order sent. */
export type TwilioParams = Readonly<Record<string, readonly string[]>>;

/** What verification establishes: the signed form fields, parsed once. */
export interface TwilioVerified {
  params: TwilioParams;
}

/**
 * Parses an `application/x-www-form-urlencoded` body (`+` is a space) into names and values.
 *
 * @example
 * ```ts
 * parseForm(Buffer.from('Body=Hola+mundo&NumMedia=0')); // { Body: ['Hola mundo'], NumMedia: ['0'] }
 * ```
 */
export function parseForm(body: Buffer | string): Record<string, string[]> {
  const params: Record<string, string[]> = {};
  for (const [name, value] of new URLSearchParams(body.toString())) (params[name] ??= []).push(value);
  return params;
}

/**
 * Twilio's signature: base64(HMAC-SHA1(auth token, url + every POST field name followed by its
 * value, names sorted, a repeated name's distinct values sorted)).
 * https://www.twilio.com/docs/usage/webhooks/webhooks-security
 *
 * @example
 * ```ts
 * expectedSignature('12345', 'https://mycompany.com/myapp.php?foo=1&bar=2', { CallSid: ['CA1234567890ABCDE'], ... });
 * // 'RSOYDt4T1cUTdK1PDd93/VVr8B8=' (Twilio's documented example)
 * ```
 */
export function expectedSignature(authToken: string, url: string, params: TwilioParams): string {
  let data = url;
  for (const name of Object.keys(params).sort()) {
    for (const value of [...new Set(params[name])].sort()) data += name + value;
  }
  return hmac('sha1', authToken, Buffer.from(data, 'utf8'), 'base64');
}

const defaultPort: Record<string, string> = { 'https:': '443', 'http:': '80' };

/**
 * The URLs Twilio may have signed for one request: as configured, as a WHATWG URL would write
 * it (a `'` in the query becomes `%27`), and without or with the default port. Twilio's own
 * validators try the same variants because its signing is not consistent about ports.
 * twilio-node `src/webhooks/webhooks.ts` `validateRequest`.
 */
export function signedUrlCandidates(url: string): string[] {
  const out = new Set([url]);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [url];
  }
  const withoutPort = new URL(parsed);
  withoutPort.port = '';
  out.add(withoutPort.toString());
  if (parsed.port) out.add(parsed.toString());
  else {
    const auth = parsed.username ? `${parsed.username}${parsed.password ? `:${parsed.password}` : ''}@` : '';
    out.add(`${parsed.protocol}//${auth}${parsed.host}:${defaultPort[parsed.protocol] ?? ''}${parsed.pathname}${parsed.search}${parsed.hash}`);
  }
  return [...out];
}

/**
 * The full URL Twilio signed for this request: the configured public URL of this webhook (its
 * own query dropped) with the query the request arrived with, byte for byte.
 */
export function requestUrl(publicUrl: string, req: RawRequest): string {
  const q = req.url.indexOf('?');
  const base = publicUrl.split('?')[0] as string;
  return q >= 0 ? `${base}${req.url.slice(q)}` : base;
}

/**
 * Checks `X-Twilio-Signature` before anything in the body is read, in constant time per
 * candidate URL. Every failure is a 401; the reason goes to the log only.
 */
export function verifySignature(req: RawRequest, authToken: string | undefined, publicUrl: string | undefined): VerifyResult<TwilioVerified> {
  if (!authToken) return { ok: false, status: 401, reason: 'auth token not configured' };
  if (!publicUrl) return { ok: false, status: 401, reason: 'public URL not configured: set publicUrl to the URL Twilio calls' };
  const header = req.headers['x-twilio-signature']?.trim();
  if (!header) return { ok: false, status: 401, reason: 'missing signature' };
  const params = parseForm(req.body);
  const candidates = signedUrlCandidates(requestUrl(publicUrl, req));
  // Every candidate is compared, so the time taken does not tell which variant matched.
  const matches = candidates.map((url) => safeEqual(header, expectedSignature(authToken, url, params)));
  if (!matches.includes(true)) return { ok: false, status: 401, reason: 'bad signature' };
  return { ok: true, request: markVerified(req, { params }) };
}
