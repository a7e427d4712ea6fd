import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { type OrderConnector, type OrderRecord, orderSchema } from './types.js';

/**
 * Orders from a JSON file (`{ "orders": [ ... ] }`): the demo shop and tests. Read once.
 *
 * @example
 * ```ts
 * const orders = await createFileOrderConnector('config/orders/sample.json');
 * (await orders.get('PS-100234'))?.carrier; // 'DHL'
 * ```
 */
export async function createFileOrderConnector(path: string): Promise<OrderConnector> {
  const json: unknown = JSON.parse(await readFile(path, 'utf8'));
  const { orders } = z.object({ orders: z.array(orderSchema) }).parse(json);
  return createMemoryOrderConnector(orders);
}

/** Orders held in memory, newest last (as a file lists them). */
export function createMemoryOrderConnector(orders: readonly OrderRecord[]): OrderConnector {
  const byId = new Map(orders.map((o) => [o.id.toUpperCase(), o]));
  const email = (e: string | null | undefined) => e?.trim().toLowerCase() || undefined;
  const digits = (p: string | null | undefined) => p?.replace(/\D/g, '').replace(/^00/, '') || undefined;
  return {
    async get(orderId) {
      const exact = byId.get(orderId.toUpperCase());
      if (exact || !/^\d+$/.test(orderId)) return exact;
      // "100234" for "PS-100234": the digits alone, when they name exactly one order.
      const matching = orders.filter((o) => o.id.replace(/\D/g, '') === orderId);
      return matching.length === 1 ? matching[0] : undefined;
    },
    async listByBuyer(buyer) {
      const wanted = { email: email(buyer.email), phone: digits(buyer.phone) };
      if (!wanted.email && !wanted.phone) return [];
      const mine = (o: OrderRecord) => (wanted.email && email(o.buyer.email) === wanted.email) || (wanted.phone && digits(o.buyer.phone) === wanted.phone);
      return orders.filter(mine).reverse();
    },
  };
}
