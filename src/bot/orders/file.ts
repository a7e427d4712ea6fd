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

/** Orders held in memory. */
export function createMemoryOrderConnector(orders: readonly OrderRecord[]): OrderConnector {
  const byId = new Map(orders.map((o) => [o.id.toUpperCase(), o]));
  return {
    async get(orderId) {
      return byId.get(orderId.toUpperCase());
    },
  };
}
