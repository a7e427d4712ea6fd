import { resolve } from 'node:path';
import type { GatewaySettings } from '../../config/schema.js';
import { createFileOrderConnector } from './file.js';
import { createHttpOrderConnector } from './http.js';
import type { OrderConnector } from './types.js';

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
export async function createOrderConnector(settings: GatewaySettings['orders'], deps: { fetch?: typeof fetch } = {}): Promise<OrderConnector | undefined> {
  if (settings.connector === 'file') return createFileOrderConnector(resolve(settings.file));
  if (settings.connector === 'http' && settings.baseUrl) {
    return createHttpOrderConnector({ baseUrl: settings.baseUrl, timeoutMs: settings.timeoutMs, ...(settings.apiKey ? { apiKey: settings.apiKey } : {}), ...(deps.fetch ? { fetch: deps.fetch } : {}) });
  }
  return undefined;
}
