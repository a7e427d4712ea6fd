/**
 * Downloading an inbound media part's bytes over HTTP with a size cap: shared by the adapters'
 * `fetchMedia` (each adds its platform's auth) and media intake's public-URL fetch.
 */
import type { FetchedMedia, FetchMediaOptions } from './adapter.js';
import { DeliveryError } from './errors.js';
import { reasonForStatus } from './http.js';

/** What {@link fetchMediaBytes} needs besides the URL. */
export interface MediaRequest extends FetchMediaOptions {
  /** For error messages: "Slack file download". */
  label: string;
  /** What to check on 401/403, e.g. "Check SLACK_BOT_TOKEN." */
  authHint?: string;
  headers?: Record<string, string>;
  /** Used when the response has no content type. */
  mimeType?: string;
  name?: string;
}

/**
 * GETs `url` and reads at most `maxBytes` (a longer body, or a longer `content-length`, throws
 * `DeliveryError('invalid')` before more is read). Network errors, timeouts and 5xx are
 * `transient`; 401/403 `auth`; other 4xx `invalid`. The URL is never put in the error: it may
 * carry a token (Telegram's file URLs do).
 *
 * @example
 * ```ts
 * const media = await fetchMediaBytes(ctx.fetch, file.url_private, {
 *   label: 'Slack file download', authHint: 'Check SLACK_BOT_TOKEN.',
 *   headers: { authorization: `Bearer ${token}` }, maxBytes: 10_000_000, signal,
 * });
 * ```
 */
export async function fetchMediaBytes(fetchFn: typeof fetch, url: string, request: MediaRequest): Promise<FetchedMedia> {
  const { label } = request;
  let res: Response;
  try {
    res = await fetchFn(url, { headers: request.headers ?? {}, redirect: 'follow', signal: request.signal ?? AbortSignal.timeout(60_000) });
  } catch (cause) {
    throw new DeliveryError('transient', `${label} did not answer (${cause instanceof Error ? cause.name : 'error'}).`, { cause });
  }
  return mediaFromResponse(res, request);
}

/**
 * The bytes of a media download's response, checked as {@link fetchMediaBytes} does: for
 * adapters that make the request themselves (a platform with a status of its own to read first).
 *
 * @example
 * ```ts
 * if (res.status === 202) throw new DeliveryError('transient', 'LINE is still converting the video.');
 * return mediaFromResponse(res, { label: 'LINE get content', maxBytes });
 * ```
 */
export async function mediaFromResponse(res: Response, request: MediaRequest): Promise<FetchedMedia> {
  const { label } = request;
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    const reason = reasonForStatus(res.status);
    const hint = reason === 'auth' && request.authHint ? ` ${request.authHint}` : '';
    throw new DeliveryError(reason, `${label} failed (HTTP ${res.status}).${hint}`, { details: { status: res.status } });
  }
  const data = await readCapped(res, request.maxBytes, label);
  const type = res.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  const mimeType = type && type !== 'application/octet-stream' ? type : (request.mimeType ?? type ?? 'application/octet-stream');
  const name = request.name ?? fileName(res.headers.get('content-disposition'));
  return { data, mimeType, ...(name ? { name } : {}) };
}

/** The body, refused once it passes `maxBytes`. */
async function readCapped(res: Response, maxBytes: number | undefined, label: string): Promise<Buffer> {
  const max = maxBytes ?? Number.POSITIVE_INFINITY;
  const tooBig = () => new DeliveryError('invalid', `${label} refused: larger than ${max} bytes.`, { details: { maxBytes: max } });
  if (Number(res.headers.get('content-length') ?? 0) > max) {
    await res.body?.cancel().catch(() => undefined);
    throw tooBig();
  }
  if (!res.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = res.body.getReader();
  try {
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      size += r.value.byteLength;
      if (size > max) throw tooBig();
      chunks.push(Buffer.from(r.value));
    }
  } catch (err) {
    await reader.cancel().catch(() => undefined);
    if (err instanceof DeliveryError) throw err;
    throw new DeliveryError('transient', `${label} broke off.`, { cause: err });
  }
  return Buffer.concat(chunks, size);
}

/** `filename="a.jpg"` or `filename*=UTF-8''a%20b.jpg` of a content-disposition header. */
function fileName(disposition: string | null): string | undefined {
  if (!disposition) return undefined;
  const star = /filename\*=(?:UTF-8'')?([^;]+)/i.exec(disposition)?.[1];
  if (star) {
    try {
      return decodeURIComponent(star.trim().replace(/^"|"$/g, ''));
    } catch {
      return undefined;
    }
  }
  return /filename="?([^";]+)"?/i.exec(disposition)?.[1]?.trim();
}

/**
 * Whether a size-cap refusal: intake records `too_large` rather than `fetch_failed` for it.
 *
 * @example
 * ```ts
 * if (isTooLarge(err)) part.intakeError = { code: 'too_large' };
 * ```
 */
export function isTooLarge(err: unknown): boolean {
  return err instanceof DeliveryError && typeof err.details.maxBytes === 'number';
}
