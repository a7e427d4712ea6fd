/**
 * The GraphQL Admin API transport: one POST per query, every failure turned into an
 * {@link OrderLookupError} that says what to check.
 * https://shopify.dev/docs/api/admin-graphql (endpoint, auth header)
 * https://shopify.dev/docs/api/usage/response-codes, https://shopify.dev/docs/api/usage/limits
 */
import { askBackend, OrderLookupError } from '../types.js';
import type { TokenSource } from './auth.js';

/** Runs one GraphQL query and returns its `data`. */
export interface ShopifyClient {
  query(document: string, variables: Record<string, unknown>): Promise<unknown>;
}

/** What {@link createShopifyClient} needs. */
export interface ShopifyClientOptions {
  /** `https://{shop}.myshopify.com`, no trailing slash. */
  baseUrl: string;
  apiVersion: string;
  tokens: TokenSource;
  fetch: typeof fetch;
  timeoutMs: number;
}

interface GraphQLError {
  message?: string;
  extensions?: { code?: string };
}

interface GraphQLBody {
  data?: unknown;
  errors?: GraphQLError[] | string;
  extensions?: { cost?: { requestedQueryCost?: number; throttleStatus?: { currentlyAvailable?: number; restoreRate?: number } } };
}

const SCOPES =
  'Give the app the read_orders, read_customers and read_fulfillments Admin API scopes (and read_all_orders for orders older than 60 days) and install the new version.';

/** The transport for one store. */
export function createShopifyClient(options: ShopifyClientOptions): ShopifyClient {
  const endpoint = `${options.baseUrl}/admin/api/${options.apiVersion}/graphql.json`;
  const shop = new URL(options.baseUrl).host;

  async function post(query: string, variables: Record<string, unknown>): Promise<Response> {
    const token = await options.tokens.token();
    return askBackend(
      options.fetch,
      endpoint,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-shopify-access-token': token },
        body: JSON.stringify({ query, variables }),
        timeoutMs: options.timeoutMs,
      },
      `Shopify order lookup at ${shop}`,
      'Check orders.shopify.shop and that the store is reachable',
    );
  }

  return {
    async query(document, variables) {
      let res = await post(document, variables);
      // A client-credentials token can be revoked or rotated before it expires: fetch a new one once.
      if (res.status === 401 && options.tokens.invalidate()) {
        await res.body?.cancel();
        res = await post(document, variables);
      }
      const body = (await res.json().catch(() => undefined)) as GraphQLBody | undefined;
      if (!res.ok) throw httpFailure(res, body, { shop, endpoint, hint: options.tokens.hint });
      if (!body || typeof body !== 'object')
        throw new OrderLookupError(`Shopify at ${shop} answered with a body that is not GraphQL JSON. Check orders.shopify.shop.`, res.status);
      const errors = Array.isArray(body.errors) ? body.errors : [];
      // Field-level errors (say, no read_customers scope) still come with the rest of the data.
      if (errors.length && (body.data == null || errors.some((e) => e.extensions?.code === 'THROTTLED'))) {
        throw graphqlFailure(errors, body, { shop, apiVersion: options.apiVersion, hint: options.tokens.hint });
      }
      return body.data;
    },
  };
}

function httpFailure(res: Response, body: GraphQLBody | undefined, ctx: { shop: string; endpoint: string; hint: string }): OrderLookupError {
  const detail = typeof body?.errors === 'string' ? ` "${body.errors.slice(0, 160)}"` : '';
  const status = res.status;
  const say = (text: string, options: { retryable?: boolean; retryAfterMs?: number } = {}) => new OrderLookupError(text, status, options);
  if (status === 401) return say(`Shopify rejected the access token for ${ctx.shop} (401${detail}). ${ctx.hint}`);
  if (status === 403) return say(`Shopify refused the order lookup on ${ctx.shop} (403${detail}). ${SCOPES} ${ctx.hint}`);
  if (status === 402) return say(`The store ${ctx.shop} is frozen (402 Payment Required): Shopify blocks its API until the store's bill is paid.`);
  if (status === 423) return say(`The store ${ctx.shop} is locked (423 Locked); its owner must contact Shopify support.`);
  if (status === 404)
    return say(
      `Shopify has no Admin API at ${ctx.endpoint} (404). Check orders.shopify.shop (the store's myshopify.com domain) and orders.shopify.apiVersion.`,
    );
  if (status === 429) {
    const seconds = Number(res.headers.get('retry-after'));
    const retryAfterMs = Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds * 1000) : 1000;
    return say(`Shopify throttled the order lookup on ${ctx.shop} (429 Too Many Requests). Try again in ${Math.ceil(retryAfterMs / 1000)} s.`, {
      retryable: true,
      retryAfterMs,
    });
  }
  if (status >= 500) return say(`Shopify failed to answer the order lookup on ${ctx.shop} (${status}). Try again shortly.`, { retryable: true });
  return say(`Shopify order lookup on ${ctx.shop} failed (${status}${detail}).`);
}

function graphqlFailure(errors: GraphQLError[], body: GraphQLBody, ctx: { shop: string; apiVersion: string; hint: string }): OrderLookupError {
  const codes = errors.map((e) => e.extensions?.code);
  const message = errors.map((e) => e.message).find(Boolean) ?? 'unknown error';
  if (codes.includes('THROTTLED')) {
    const cost = body.extensions?.cost;
    const missing = (cost?.requestedQueryCost ?? 0) - (cost?.throttleStatus?.currentlyAvailable ?? 0);
    const rate = cost?.throttleStatus?.restoreRate || 50;
    const retryAfterMs = Math.max(1000, Math.ceil((missing / rate) * 1000));
    return new OrderLookupError(
      `Shopify throttled the order lookup on ${ctx.shop} (THROTTLED: the query cost bucket is empty). Try again in ${Math.ceil(retryAfterMs / 1000)} s.`,
      200,
      {
        retryable: true,
        retryAfterMs,
      },
    );
  }
  if (codes.includes('ACCESS_DENIED'))
    return new OrderLookupError(`Shopify denied the order lookup on ${ctx.shop}: ${message} ${SCOPES} ${ctx.hint}`, 200, { retryable: false });
  if (codes.includes('INTERNAL_SERVER_ERROR'))
    return new OrderLookupError(`Shopify failed to answer the order lookup on ${ctx.shop} (${message}). Try again shortly.`, 200, { retryable: true });
  return new OrderLookupError(
    `Shopify rejected the order query on ${ctx.shop}: ${message}. Check that orders.shopify.apiVersion (${ctx.apiVersion}) is a supported version.`,
    200,
    { retryable: false },
  );
}
