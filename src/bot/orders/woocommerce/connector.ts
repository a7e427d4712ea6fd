import { nationalNumber, normalEmail, phoneDigits, wantedBuyer } from '../buyer.js';
import type { OrderConnector, OrderRecord } from '../types.js';
import { createWooClient } from './client.js';
import { orderNumber, parseOrders, toOrderRecord, type WooOrder } from './normalize.js';

/** Options of {@link createWooCommerceOrderConnector}. */
export interface WooCommerceOrderConnectorOptions {
  /** The shop's address, e.g. `https://shop.example`. https only (http for localhost). */
  baseUrl: string;
  consumerKey: string;
  consumerSecret: string;
  /** Send the key as query parameters instead of HTTP Basic auth (servers that drop the Authorization header). */
  authInQuery?: boolean;
  /** Per request. Default 5000. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** Orders listed for a buyer at most. */
const LIST_LIMIT = 5;
// A search also matches addresses and product names; fetch a page and keep the exact matches.
const SEARCH_PAGE = '20';

const bare = (number: string) => number.trim().replace(/^#/, '').replace(/\s+/g, '').toUpperCase();

/**
 * Orders from a WooCommerce shop through its REST API (wc/v3), read with a Read-only API key.
 * `get` takes the order number the shopper sees: a plain number is read by id, and any number a
 * sequential-numbering plugin gives (`PS-1042`) is found by search (docs/orders.md#woocommerce).
 *
 * @example
 * ```ts
 * const orders = createWooCommerceOrderConnector({ baseUrl: 'https://shop.example', consumerKey, consumerSecret });
 * (await orders.get('727'))?.status; // 'processing'
 * ```
 */
export function createWooCommerceOrderConnector(options: WooCommerceOrderConnectorOptions): OrderConnector {
  const client = createWooClient({ ...options, fetch: options.fetch ?? fetch, timeoutMs: options.timeoutMs ?? 5000 });
  const search = async (text: string): Promise<WooOrder[]> =>
    parseOrders((await client.get('/orders', { search: text, per_page: SEARCH_PAGE, orderby: 'date', order: 'desc' })) ?? []);

  return {
    async get(orderId: string): Promise<OrderRecord | undefined> {
      const wanted = bare(orderId);
      if (!wanted) return undefined;
      if (/^\d+$/.test(wanted)) {
        const body = await client.get(`/orders/${wanted}`);
        // With a numbering plugin, order id 1042 may carry another number: then search.
        const [order] = body === undefined ? [] : parseOrders(body);
        if (order && bare(orderNumber(order)) === wanted) return toOrderRecord(order);
      }
      const order = (await search(wanted)).find((o) => bare(orderNumber(o)) === wanted);
      return order && toOrderRecord(order);
    },

    async listByBuyer(buyer): Promise<OrderRecord[]> {
      const wanted = wantedBuyer(buyer);
      if (!wanted) return [];
      const none: WooOrder[] = [];
      const found = (await Promise.all([wanted.email ? search(wanted.email) : none, wanted.phone ? search(nationalNumber(wanted.phone)) : none])).flat();
      const mine = (o: WooOrder) =>
        (wanted.email !== undefined && normalEmail(o.billing?.email) === wanted.email) ||
        (wanted.phone !== undefined && phoneDigits(o.billing?.phone, o.billing?.country) === wanted.phone);
      const byId = new Map(found.filter(mine).map((o) => [o.id, o]));
      return [...byId.values()]
        .sort((a, b) => (b.date_created_gmt ?? '').localeCompare(a.date_created_gmt ?? '') || b.id - a.id)
        .slice(0, LIST_LIMIT)
        .map(toOrderRecord);
    },
  };
}
