import { type Clock, systemClock } from '../../../core/ports.js';
import { normalEmail, phoneDigits, wantedBuyer } from '../buyer.js';
import type { OrderConnector, OrderRecord } from '../types.js';
import { createTokenSource, type ShopifyCredentials } from './auth.js';
import { createShopifyClient } from './client.js';
import { customersDataSchema, ordersDataSchema, parseData, type ShopifyOrder, toOrderRecord } from './normalize.js';
import { CUSTOMERS_BY_PHONE, nameQuery, ORDERS_BY_NAME, ORDERS_OF_BUYER, term } from './query.js';

/** The Admin API version used when `apiVersion` is not set: a stable version with a year of support left. */
export const SHOPIFY_DEFAULT_API_VERSION = '2026-07';

/** Options of {@link createShopifyOrderConnector}. */
export type ShopifyOrderConnectorOptions = ShopifyCredentials & {
  /** `pawsome.myshopify.com`, or a base URL such as `http://127.0.0.1:4010` (tests, a proxy). */
  shop: string;
  /** Admin API version, e.g. `2026-07`. Default {@link SHOPIFY_DEFAULT_API_VERSION}. */
  apiVersion?: string;
  /** Per request. Default 5000. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Expires client-credentials tokens. */
  clock?: Clock;
};

/** Orders listed for a buyer at most. */
const LIST_LIMIT = 5;

/** `pawsome.myshopify.com` → `https://pawsome.myshopify.com`; a URL stays as it is. */
function shopifyBaseUrl(shop: string): string {
  const trimmed = shop.trim().replace(/\/+$/, '');
  return /^https?:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
}

// Shoppers see `#1042` or, with a prefix/suffix set in the store, `PS-1042`; the `#` is optional.
const bareName = (name: string) => name.trim().replace(/^#/, '').replace(/\s+/g, '').toUpperCase();

/**
 * Orders from a Shopify store through the GraphQL Admin API: one order by its name (what the
 * shopper sees: `#1042`, `1042`, `PS-1042`), a buyer's newest orders by email or phone.
 * Needs the `read_orders` and `read_customers` scopes (docs/orders.md#shopify).
 *
 * @example
 * ```ts
 * const orders = createShopifyOrderConnector({ shop: 'pawsome.myshopify.com', accessToken: config.orders.shopify.accessToken });
 * (await orders.get('#1042'))?.status; // 'shipped'
 * ```
 */
export function createShopifyOrderConnector(options: ShopifyOrderConnectorOptions): OrderConnector {
  const baseUrl = shopifyBaseUrl(options.shop);
  const deps = { baseUrl, fetch: options.fetch ?? fetch, timeoutMs: options.timeoutMs ?? 5000, clock: options.clock ?? systemClock };
  const credentials: ShopifyCredentials =
    'accessToken' in options ? { accessToken: options.accessToken } : { clientId: options.clientId, clientSecret: options.clientSecret };
  const tokens = createTokenSource(credentials, deps);
  const client = createShopifyClient({ ...deps, apiVersion: options.apiVersion ?? SHOPIFY_DEFAULT_API_VERSION, tokens });

  const orders = async (document: string, variables: Record<string, unknown>): Promise<ShopifyOrder[]> =>
    parseData(ordersDataSchema, await client.query(document, variables)).orders.nodes;

  const newestOf = (query: string) => orders(ORDERS_OF_BUYER, { query, first: LIST_LIMIT });

  async function ofPhone(phone: string): Promise<ShopifyOrder[]> {
    // Orders cannot be searched by phone: find the customer, then their orders.
    const data = parseData(customersDataSchema, await client.query(CUSTOMERS_BY_PHONE, { query: term('phone', `+${phone}`) }));
    const ids = data.customers.nodes.map((c) => c.id.split('/').pop()).filter((id): id is string => Boolean(id && /^\d+$/.test(id)));
    return ids.length ? newestOf(ids.map((id) => `customer_id:${id}`).join(' OR ')) : [];
  }

  return {
    async get(orderId: string): Promise<OrderRecord | undefined> {
      const wanted = bareName(orderId);
      if (!wanted) return undefined;
      const found = await orders(ORDERS_BY_NAME, { query: nameQuery(wanted) });
      // The name filter can match more than one order; only the exact name is this order.
      const order = found.find((o) => bareName(o.name) === wanted);
      return order && toOrderRecord(order);
    },

    async listByBuyer(buyer): Promise<OrderRecord[]> {
      const wanted = wantedBuyer(buyer);
      if (!wanted) return [];
      const none: ShopifyOrder[] = [];
      const [byEmail, byPhone] = await Promise.all([wanted.email ? newestOf(term('email', wanted.email)) : none, wanted.phone ? ofPhone(wanted.phone) : none]);
      // Orders of a customer found by phone are theirs even when the order itself has no phone.
      const phoneCustomers = new Set(byPhone);
      const records = new Map<string, { createdAt: string; record: OrderRecord }>();
      for (const order of [...byEmail, ...byPhone]) {
        const record = toOrderRecord(order);
        const emailMatches = wanted.email !== undefined && normalEmail(record.buyer.email) === wanted.email;
        const phoneMatches = wanted.phone !== undefined && (phoneCustomers.has(order) || phoneDigits(record.buyer.phone) === wanted.phone);
        if (emailMatches || phoneMatches) records.set(order.id, { createdAt: order.createdAt ?? '', record });
      }
      return [...records.values()]
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
        .slice(0, LIST_LIMIT)
        .map((r) => r.record);
    },
  };
}
