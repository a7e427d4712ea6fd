import { createHmac, timingSafeEqual } from 'node:crypto';
import { DeliveryError, type DeliveryReason, retriesOn } from './errors.js';

/**
 * Compares two secrets in constant time (for equal lengths; a length mismatch fails at once,
 * which leaks only the length).
 *
 * @example
 * ```ts
 * safeEqual(req.headers['x-telegram-bot-api-secret-token'], config.secretToken); // boolean
 * ```
 */
export function safeEqual(a: string | Buffer | undefined, b: string | Buffer | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  const x = typeof a === 'string' ? Buffer.from(a) : a;
  const y = typeof b === 'string' ? Buffer.from(b) : b;
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * HMAC of `data` with `key`, as hex or base64.
 *
 * @example
 * ```ts
 * safeEqual(`sha256=${hmac('sha256', appSecret, rawBody, 'hex')}`, req.headers['x-hub-signature-256']);
 * ```
 */
export function hmac(algorithm: 'sha1' | 'sha256', key: string | Buffer, data: string | Buffer, encoding: 'hex' | 'base64' | 'base64url'): string {
  return createHmac(algorithm, key).update(data).digest(encoding);
}

/** A platform API call's outcome. */
export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** Options of {@link callApi}. */
export interface CallOptions {
  /** For error messages: "Telegram sendMessage". */
  label: string;
  /** What the operator should check on 401/403, e.g. "Check TELEGRAM_BOT_TOKEN." */
  authHint: string;
  timeoutMs?: number;
}

/**
 * The delivery reason an HTTP status means on most platform APIs: 401/403 the credentials, 429
 * a rate limit, 408 and 5xx a failing platform, any other 4xx this message. Adapters refine it
 * where their platform says more (Telegram's 403 is a shopper who blocked the bot).
 *
 * @example
 * ```ts
 * reasonForStatus(429); // 'rate_limited'
 * ```
 */
export function reasonForStatus(status: number): DeliveryReason {
  if (status === 401 || status === 403) return 'auth';
  if (status === 429) return 'rate_limited';
  if (status === 408 || status >= 500) return 'transient';
  return 'invalid';
}

/**
 * Calls a platform HTTP API and turns failures into {@link DeliveryError}s the outbox
 * understands, with the reason {@link reasonForStatus} gives (network errors and timeouts are
 * `transient`) and `retry-after` when given.
 *
 * @example
 * ```ts
 * const res = await callApi(fetch, `${apiRoot}/bot${token}/sendMessage`, { method: 'POST', body },
 *   { label: 'Telegram sendMessage', authHint: 'Check TELEGRAM_BOT_TOKEN.' });
 * ```
 */
export async function callApi<T = unknown>(fetchFn: typeof fetch, url: string, init: RequestInit, options: CallOptions): Promise<ApiResponse<T>> {
  const timeout = deadline(options.timeoutMs ?? 10_000);
  let res: Response;
  let text: string;
  try {
    res = await fetchFn(url, { ...init, signal: timeout.signal });
    text = await res.text();
  } catch (cause) {
    throw new DeliveryError('transient', `${options.label} did not answer (${errorName(cause)}). Retrying.`, { cause });
  } finally {
    timeout.clear();
  }
  const body = parseBody(text) as T;
  if (res.ok) return { status: res.status, body, headers: res.headers };
  throw apiError(res.status, res.headers, body, options);
}

/**
 * An abort signal that fires after `ms` unless cleared first. Unlike `AbortSignal.timeout`,
 * a call that finished disarms it: no timer stays armed for the rest of the timeout, and no
 * TimeoutError is built when it would have fired, once per call at hundreds of calls a second.
 *
 * @example
 * ```ts
 * const timeout = deadline(10_000);
 * try {
 *   await fetch('http://127.0.0.1:8081/ping', { signal: timeout.signal });
 * } finally {
 *   timeout.clear();
 * }
 * ```
 */
export function deadline(ms: number): { signal: AbortSignal; clear(): void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(`No answer within ${ms} ms.`, 'TimeoutError')), ms);
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

function parseBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function errorName(err: unknown): string {
  return err instanceof Error ? (err.name === 'TimeoutError' ? 'timeout' : err.message) : String(err);
}

function apiError(status: number, headers: Headers, body: unknown, options: CallOptions): DeliveryError {
  const reason = reasonForStatus(status);
  const retryAfterSec = Number(headers.get('retry-after') ?? retryAfterFromBody(body));
  const hint = reason === 'auth' ? ` ${options.authHint}` : retriesOn(reason) ? ' Retrying.' : '';
  return new DeliveryError(reason, `${options.label} failed (HTTP ${status}).${hint}`, {
    ...(Number.isFinite(retryAfterSec) && retryAfterSec > 0 ? { retryAfterMs: retryAfterSec * 1000 } : {}),
    details: { status, body: summarize(body) },
  });
}

/** Telegram puts `retry_after` in the JSON body, not a header. */
function retryAfterFromBody(body: unknown): number | undefined {
  const params = (body as { parameters?: { retry_after?: number } } | undefined)?.parameters;
  return params?.retry_after;
}

/** Keeps platform error bodies short: they may echo message text. */
function summarize(body: unknown): unknown {
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    return { error: b.error ?? b.description ?? b.message, code: b.error_code ?? b.code ?? b.errcode };
  }
  return typeof body === 'string' ? body.slice(0, 200) : body;
}
