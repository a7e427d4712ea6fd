/**
 * Where the Admin API access token comes from: a custom app created in the Shopify admin has a
 * permanent `shpat_` token; a Dev Dashboard app installed on the merchant's own store trades its
 * client ID and secret for a token that lasts 24 hours (client credentials grant).
 * https://shopify.dev/docs/apps/build/authentication-authorization/client-credentials-grant
 */
import type { Clock } from '../../../core/ports.js';
import { OrderLookupError } from '../types.js';

/** How the connector authenticates: one of the two. */
export type ShopifyCredentials = { accessToken: string } | { clientId: string; clientSecret: string };

/** Hands out the current access token. */
export interface TokenSource {
  token(): Promise<string>;
  /** Drops a token Shopify refused, so the next call fetches a new one (client credentials only). */
  invalidate(): boolean;
  /** What to check when Shopify refuses the token: names the env vars and YAML paths. */
  readonly hint: string;
}

const STATIC_HINT =
  'Check SHOPIFY_ACCESS_TOKEN (orders.shopify.accessToken): it must be the Admin API access token (shpat_...) of the custom app installed on this store.';
const CLIENT_HINT =
  'Check SHOPIFY_CLIENT_ID and SHOPIFY_CLIENT_SECRET (orders.shopify.clientId, orders.shopify.clientSecret) and that the app is installed on this store.';
// Renew this long before Shopify's `expires_in` runs out, so a lookup never carries a dying token.
const RENEW_EARLY_MS = 5 * 60_000;

/** The token source for `credentials`; `baseUrl` is `https://{shop}` (or a test server). */
export function createTokenSource(
  credentials: ShopifyCredentials,
  deps: { baseUrl: string; fetch: typeof fetch; timeoutMs: number; clock: Clock },
): TokenSource {
  if ('accessToken' in credentials) {
    const token = Promise.resolve(credentials.accessToken);
    return { token: () => token, invalidate: () => false, hint: STATIC_HINT };
  }
  let current: { value: Promise<string>; expiresAt: number } | undefined;
  return {
    hint: CLIENT_HINT,
    token() {
      if (current && current.expiresAt > deps.clock.now()) return current.value;
      // Concurrent lookups share one request; a failed request is not kept.
      const entry: { value: Promise<string>; expiresAt: number } = {
        expiresAt: Number.POSITIVE_INFINITY,
        value: requestToken(credentials, deps).then(
          (t) => {
            entry.expiresAt = t.expiresAt;
            return t.value;
          },
          (err: unknown) => {
            if (current === entry) current = undefined;
            throw err;
          },
        ),
      };
      current = entry;
      return entry.value;
    },
    invalidate() {
      current = undefined;
      return true;
    },
  };
}

async function requestToken(
  credentials: { clientId: string; clientSecret: string },
  deps: { baseUrl: string; fetch: typeof fetch; timeoutMs: number; clock: Clock },
): Promise<{ value: string; expiresAt: number }> {
  const url = `${deps.baseUrl}/admin/oauth/access_token`;
  const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: credentials.clientId, client_secret: credentials.clientSecret });
  let res: Response;
  try {
    res = await deps.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: body.toString(),
      signal: AbortSignal.timeout(deps.timeoutMs),
    });
  } catch (cause) {
    throw new OrderLookupError(
      `Shopify access token request to ${deps.baseUrl} failed (${(cause as Error).name}). Check orders.shopify.shop and that the store is reachable.`,
      undefined,
      { cause },
    );
  }
  const json = (await res.json().catch(() => undefined)) as
    { access_token?: unknown; expires_in?: unknown; error?: unknown; error_description?: unknown } | undefined;
  if (!res.ok || typeof json?.access_token !== 'string') {
    const reason = [json?.error, json?.error_description].filter((v) => typeof v === 'string').join(': ');
    throw new OrderLookupError(`Shopify refused the client credentials (${res.status}${reason ? ` ${reason}` : ''}). ${CLIENT_HINT}`, res.status, {
      retryable: res.status === 429 || res.status >= 500,
    });
  }
  const lifetimeMs = (typeof json.expires_in === 'number' ? json.expires_in : 86_399) * 1000;
  return { value: json.access_token, expiresAt: deps.clock.now() + Math.max(lifetimeMs - RENEW_EARLY_MS, lifetimeMs / 2) };
}
