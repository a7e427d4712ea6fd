/**
 * The WooCommerce REST API (wc/v3) transport: authenticated GETs, every failure turned into an
 * {@link OrderLookupError} that says what to check.
 * https://woocommerce.github.io/woocommerce-rest-api-docs/#authentication-over-https
 * https://woocommerce.github.io/woocommerce-rest-api-docs/#errors
 */
import { ParleyError } from '../../../core/errors.js';
import { askBackend, OrderLookupError } from '../types.js';

/** Reads one resource or collection; `undefined` is WooCommerce's "no such resource" 404. */
export interface WooClient {
  get(path: string, params?: Record<string, string>): Promise<unknown>;
}

/** What {@link createWooClient} needs. */
export interface WooClientOptions {
  /** The shop's address, e.g. `https://shop.example` (no `/wp-json`). */
  baseUrl: string;
  consumerKey: string;
  consumerSecret: string;
  /** Send the key as `consumer_key`/`consumer_secret` query parameters (servers that drop the Authorization header). */
  authInQuery?: boolean;
  fetch: typeof fetch;
  timeoutMs: number;
}

const KEY_HINT =
  'Check WC_CONSUMER_KEY and WC_CONSUMER_SECRET (orders.woocommerce.consumerKey, orders.woocommerce.consumerSecret): a key with Read access from WooCommerce > Settings > Advanced > REST API.';

/**
 * The API root for a shop. Keys travel as HTTP Basic credentials, which WooCommerce accepts
 * only over HTTPS (plain HTTP needs OAuth 1.0a signatures); plain http is allowed for a
 * loopback address only, where nothing crosses a network.
 */
function wooApiRoot(baseUrl: string): string {
  const url = new URL(baseUrl);
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new ParleyError('CONFIG_INVALID', `orders.woocommerce.baseUrl must use https:// (${baseUrl}): WooCommerce takes API keys over HTTPS only.`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}/wp-json/wc/v3`;
}

/** The transport for one shop. */
export function createWooClient(options: WooClientOptions): WooClient {
  const root = wooApiRoot(options.baseUrl);
  const host = new URL(root).host;
  const basic = `Basic ${Buffer.from(`${options.consumerKey}:${options.consumerSecret}`).toString('base64')}`;

  return {
    async get(path, params = {}) {
      const query = new URLSearchParams(params);
      if (options.authInQuery) {
        query.set('consumer_key', options.consumerKey);
        query.set('consumer_secret', options.consumerSecret);
      }
      const url = `${root}${path}${query.size ? `?${query}` : ''}`;
      const res = await askBackend(
        options.fetch,
        url,
        { headers: { accept: 'application/json', ...(options.authInQuery ? {} : { authorization: basic }) }, timeoutMs: options.timeoutMs },
        `WooCommerce order lookup at ${host}`,
        'Check orders.woocommerce.baseUrl and that the shop is up',
      );
      const text = await res.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw failure(res, undefined, host, root, 'answered with something that is not JSON (a login page, a cache or a security plugin?)');
      }
      if (res.ok) return body;
      const error = body as { code?: unknown; message?: unknown };
      if (res.status === 404 && error?.code !== 'rest_no_route') return undefined;
      throw failure(res, error, host, root);
    },
  };
}

function failure(res: Response, error: { code?: unknown; message?: unknown } | undefined, host: string, root: string, what?: string): OrderLookupError {
  const status = res.status;
  const said = [error?.code, error?.message].filter((v) => typeof v === 'string').join(': ');
  const detail = `${status}${said ? ` ${said}` : ''}`;
  if (what) return new OrderLookupError(`WooCommerce at ${host} ${what} (${status}). Check orders.woocommerce.baseUrl.`, status, { retryable: status >= 500 });
  if (status === 401 || status === 403) {
    // `woocommerce_rest_cannot_view` also answers requests that arrived without credentials: some
    // servers (Apache with CGI/FastCGI PHP) drop the Authorization header before WordPress sees it.
    const stripped =
      error?.code === 'woocommerce_rest_cannot_view' && !/consumer_key=/.test(res.url)
        ? ' If the key is right, the web server may drop the Authorization header: set orders.woocommerce.authInQuery: true.'
        : '';
    return new OrderLookupError(`WooCommerce rejected the order lookup on ${host} (${detail}). ${KEY_HINT}${stripped}`, status);
  }
  if (status === 404)
    return new OrderLookupError(
      `WooCommerce has no REST API at ${root} (${detail}). Check orders.woocommerce.baseUrl (the shop's address, without /wp-json), that WooCommerce is active and that WordPress permalinks are not "Plain".`,
      status,
    );
  if (status === 429) {
    const seconds = Number(res.headers.get('retry-after'));
    const retryAfterMs = Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds * 1000) : 1000;
    return new OrderLookupError(`WooCommerce at ${host} throttled the order lookup (${detail}). Try again in ${Math.ceil(retryAfterMs / 1000)} s.`, status, {
      retryable: true,
      retryAfterMs,
    });
  }
  if (status >= 500) return new OrderLookupError(`WooCommerce at ${host} failed to answer the order lookup (${detail}). Try again shortly.`, status);
  return new OrderLookupError(`WooCommerce order lookup on ${host} failed (${detail}).`, status);
}
