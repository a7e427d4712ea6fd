import { DeliveryError, type DeliveryReason, retriesOn } from '../../src/core/errors.js';
import { callApi } from '../../src/core/http.js';

/** How to reach a Graph API host for one channel instance. */
export interface GraphApi {
  fetch: typeof fetch;
  /** `https://graph.facebook.com` (or `https://graph.instagram.com`), or a local server in tests. */
  baseUrl: string;
  /** `v21.0`. */
  version: string;
  accessToken: string | undefined;
  /** Channel instance id, for error messages. */
  channelId: string;
  /** What to set when the token is missing or refused: "Set WHATSAPP_ACCESS_TOKEN." */
  authHint: string;
  /** The product's name in error messages: "WhatsApp", "Messenger". */
  product: string;
}

/** What one Graph error code means for the outbox. */
interface GraphRule {
  reason: DeliveryReason;
  advice: string;
  /** Wait before the retry when the platform gave no Retry-After. */
  waitMs?: number;
}

/** Graph error codes → rules; a `code:subcode` key wins over the bare code. */
export type GraphRules = Readonly<Record<string, GraphRule>>;

/** `{base}/{version}/{path}`. */
export function graphUrl(api: GraphApi, path: string): string {
  return `${api.baseUrl}/${api.version}/${path}`;
}

/** The `Authorization` header, or a non-retryable `auth` failure naming the env var. */
export function bearer(api: GraphApi): string {
  if (!api.accessToken) {
    throw new DeliveryError('auth', `${api.product} channel "${api.channelId}" has no access token. ${api.authHint}`);
  }
  return `Bearer ${api.accessToken}`;
}

/** Graph's error object: `{ error: { code, error_subcode, message, type, fbtrace_id } }`. */
function graphError(err: DeliveryError): { code: number; subcode: number | undefined } | undefined {
  const graph = (err.details.body as { error?: { code?: unknown; error_subcode?: unknown } } | undefined)?.error;
  if (typeof graph?.code !== 'number') return undefined;
  return { code: graph.code, subcode: typeof graph.error_subcode === 'number' ? graph.error_subcode : undefined };
}

/**
 * Reads Graph's `{ error: { code, error_subcode } }` from a failed call and says what it means:
 * the rule for `code:subcode`, else for `code`, else the HTTP status's reason.
 * https://developers.facebook.com/docs/graph-api/guides/error-handling
 *
 * @example
 * ```ts
 * try {
 *   await callApi(api.fetch, graphUrl(api, 'me/messages'), init, { label: 'Messenger send', authHint: api.authHint });
 * } catch (err) {
 *   throw withGraphCode(err, 'Messenger send', rules);
 * }
 * ```
 */
export function withGraphCode(err: unknown, label: string, rules: GraphRules): unknown {
  if (!(err instanceof DeliveryError)) return err;
  const graph = graphError(err);
  if (!graph) return err;
  const { code, subcode } = graph;
  const rule = (subcode !== undefined ? rules[`${code}:${subcode}`] : undefined) ?? rules[String(code)];
  const status = err.details.status;
  const reason = rule?.reason ?? err.reason;
  const advice = rule?.advice ?? (err.retryable ? 'Retrying.' : 'See the Graph error code list.');
  const retryAfterMs = err.retryAfterMs ?? (retriesOn(reason) ? rule?.waitMs : undefined);
  const codeText = subcode !== undefined && rules[`${code}:${subcode}`] ? `${code}/${subcode}` : String(code);
  return new DeliveryError(reason, `${label} failed (HTTP ${String(status)}, Graph error ${codeText}). ${advice}`, {
    cause: err,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    details: { ...err.details, graphCode: code, ...(subcode !== undefined ? { graphSubcode: subcode } : {}) },
  });
}

/**
 * POSTs a JSON body to `{base}/{version}/{path}` with the bearer token; Graph errors are
 * mapped by `rules` into {@link DeliveryError}s.
 *
 * @example
 * ```ts
 * const body = await postGraph<{ message_id?: string }>(api, `${pageId}/messages`, payload, 'Messenger send', rules);
 * ```
 */
export async function postGraph<T>(api: GraphApi, path: string, body: unknown, label: string, rules: GraphRules): Promise<T> {
  const init: RequestInit = {
    method: 'POST',
    headers: { authorization: bearer(api), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  };
  try {
    return (await callApi<T>(api.fetch, graphUrl(api, path), init, { label, authHint: api.authHint })).body;
  } catch (err) {
    throw withGraphCode(err, label, rules);
  }
}
