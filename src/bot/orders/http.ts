import { OrderLookupError, type OrderConnector, type OrderRecord, orderSchema } from './types.js';

/** Options of {@link createHttpOrderConnector}. */
export interface HttpOrderConnectorOptions {
  /** e.g. `https://shop.example/api/parley`; orders are read from `{baseUrl}/orders/{id}`. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * The shop backend's order API over HTTP (contract in docs/orders.md): 200 with the order,
 * 404 for an unknown id; anything else is an {@link OrderLookupError}.
 *
 * @example
 * ```ts
 * const orders = createHttpOrderConnector({ baseUrl: 'https://shop.example/api/parley', apiKey });
 * await orders.get('PS-100234');
 * ```
 */
export function createHttpOrderConnector(options: HttpOrderConnectorOptions): OrderConnector {
  const doFetch = options.fetch ?? fetch;
  const base = options.baseUrl.replace(/\/+$/, '');
  return {
    async get(orderId: string): Promise<OrderRecord | undefined> {
      const url = `${base}/orders/${encodeURIComponent(orderId)}`;
      let res: Response;
      try {
        res = await doFetch(url, {
          headers: { accept: 'application/json', ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}) },
          signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
        });
      } catch (cause) {
        throw new OrderLookupError(
          `Order lookup at ${base} failed (${(cause as Error).name}). Check orders.baseUrl and that the shop backend is up.`,
          undefined,
          { cause },
        );
      }
      if (res.status === 404) return undefined;
      if (!res.ok) {
        const hint = res.status === 401 || res.status === 403 ? ' Check ORDERS_API_KEY.' : '';
        throw new OrderLookupError(`Order lookup at ${base} failed (${res.status}).${hint}`, res.status);
      }
      const parsed = orderSchema.safeParse(await res.json().catch(() => undefined));
      if (!parsed.success) throw new OrderLookupError(`Order lookup at ${base} returned a body that is not an order (see docs/orders.md).`, res.status);
      return parsed.data;
    },
  };
}
