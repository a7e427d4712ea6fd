import { resolve } from 'node:path';
import type { GatewaySettings } from '../../config/schema.js';
import type { Clock } from '../../core/ports.js';
import { createFileOrderConnector } from './file.js';
import { createHttpOrderConnector } from './http.js';
import { createShopifyOrderConnector } from './shopify/index.js';
import type { OrderConnector } from './types.js';
import { createWooCommerceOrderConnector } from './woocommerce/index.js';

/** What {@link createOrderConnector} takes besides the settings. */
export interface OrderConnectorDeps {
  /** Every platform request goes through it (tests pass one that reaches local servers). */
  fetch?: typeof fetch;
  /** Expires Shopify client-credentials tokens. */
  clock?: Clock;
}

/**
 * The orders connector the `orders:` block configures (docs/orders.md); undefined for
 * `connector: none`. Built once by the composition root.
 *
 * @example
 * ```ts
 * const orders = await createOrderConnector(config.orders, { fetch });
 * await orders?.get('PS-100234');
 * ```
 */
export async function createOrderConnector(settings: GatewaySettings['orders'], deps: OrderConnectorDeps = {}): Promise<OrderConnector | undefined> {
  const io = { timeoutMs: settings.timeoutMs, ...(deps.fetch ? { fetch: deps.fetch } : {}) };
  if (settings.connector === 'file') return createFileOrderConnector(resolve(settings.file));
  if (settings.connector === 'http' && settings.baseUrl) {
    return createHttpOrderConnector({ baseUrl: settings.baseUrl, ...io, ...(settings.apiKey ? { apiKey: settings.apiKey } : {}) });
  }
  const shopify = settings.shopify;
  if (settings.connector === 'shopify' && shopify) {
    const { shop, apiVersion, accessToken, clientId, clientSecret } = shopify;
    const common = { shop, apiVersion, ...io, ...(deps.clock ? { clock: deps.clock } : {}) };
    if (accessToken) return createShopifyOrderConnector({ ...common, accessToken });
    if (clientId && clientSecret) return createShopifyOrderConnector({ ...common, clientId, clientSecret });
  }
  const woo = settings.woocommerce;
  if (settings.connector === 'woocommerce' && woo?.consumerKey && woo.consumerSecret) {
    return createWooCommerceOrderConnector({
      baseUrl: woo.baseUrl,
      consumerKey: woo.consumerKey,
      consumerSecret: woo.consumerSecret,
      authInQuery: woo.authInQuery,
      ...io,
    });
  }
  return undefined;
}
