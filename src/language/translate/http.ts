import { ParleyError } from '../../core/errors.js';

/** A provider request: JSON in, JSON out, with a deadline. */
export interface JsonRequest {
  fetch: typeof fetch;
  /** Provider name for messages ("DeepL", "Google Translate"...). */
  provider: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  timeoutMs: number;
  /** What to check when the provider refuses the credentials. */
  keyHint: string;
}

/**
 * POSTs JSON and returns the parsed answer. Errors are `TRANSLATION_FAILED`, `retryable` for a
 * timeout, a network error, 429 and 5xx (the translator then moves to the next provider).
 */
export async function postJson<T>(req: JsonRequest): Promise<T> {
  let res: Response;
  try {
    res = await req.fetch(req.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...req.headers },
      body: JSON.stringify(req.body),
      signal: AbortSignal.timeout(req.timeoutMs),
    });
  } catch (cause) {
    const timedOut = cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError');
    const what = timedOut ? `timed out after ${req.timeoutMs} ms` : 'could not be reached';
    throw new ParleyError('TRANSLATION_FAILED', `${req.provider} ${what}. Check its baseUrl and network, or raise timeoutMs.`, {
      cause,
      retryable: true,
      details: { provider: req.provider, timeout: timedOut },
    });
  }
  const text = await res.text().catch(() => '');
  if (!res.ok) throw httpError(req, res.status, res.statusText, text);
  try {
    return JSON.parse(text) as T;
  } catch (cause) {
    throw new ParleyError('TRANSLATION_FAILED', `${req.provider} answered ${res.status} with a body that is not JSON. Check its baseUrl.`, {
      cause,
      retryable: false,
      details: { provider: req.provider, status: res.status },
    });
  }
}

/** The error for an HTTP status; the body is kept short and out of the message (it may echo text). */
export function httpError(req: Pick<JsonRequest, 'provider' | 'keyHint'>, status: number, statusText: string, body = ''): ParleyError {
  const retryable = status === 429 || status >= 500;
  const advice =
    status === 401 || status === 403
      ? `Check ${req.keyHint}.`
      : status === 429
        ? 'The provider is rate limiting or the quota is used up; the next provider is tried.'
        : status === 456
          ? 'The character quota is used up.'
          : retryable
            ? 'The provider is having trouble; the next provider is tried.'
            : 'Check the language pair and the provider settings.';
  return new ParleyError('TRANSLATION_FAILED', `${req.provider} translate failed (${status} ${statusText}). ${advice}`, {
    retryable,
    details: { provider: req.provider, status, body: body.slice(0, 200) },
  });
}

/** The error for an answer that has no translation where the API puts it. */
export function shapeError(provider: string): ParleyError {
  return new ParleyError('TRANSLATION_FAILED', `${provider} answered without a translation. Check its baseUrl points at the real API.`, {
    retryable: false,
    details: { provider },
  });
}

/** A base URL without trailing slashes. */
export function trimUrl(url: string): string {
  return url.replace(/\/+$/, '');
}
