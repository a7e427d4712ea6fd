/**
 * The commerce connector contract: how the bot reads an order from the shop's backend.
 * See docs/orders.md for the REST shape (`GET {baseUrl}/orders/{id}`) and the Shopify and
 * WooCommerce connectors.
 */
import { z } from 'zod';
import { ParleyError } from '../../core/errors.js';

/**
 * Parley's order statuses, in the order an order moves through them (`cancelled` and `refunded`
 * end it early). The `shopify` and `woocommerce` connectors map the platform's states onto these
 * (docs/orders.md); the `http` contract and the `file` connector may send other words.
 */
export type OrderStatus = 'pending' | 'paid' | 'processing' | 'packing' | 'shipped' | 'out_for_delivery' | 'delivered' | 'cancelled' | 'refunded';

/** One order as the shop's backend returns it. */
export const orderSchema = z.object({
  id: z.string().min(1),
  status: z.string().min(1),
  items: z.array(z.object({ sku: z.string(), name: z.string(), qty: z.number(), price: z.number() })).default([]),
  amounts: z.object({ subtotal: z.number(), shipping: z.number(), total: z.number(), currency: z.string() }),
  carrier: z.string().nullish(),
  trackingUrl: z.string().nullish(),
  /** The carrier's tracking number, when the shop recorded one. */
  trackingNumber: z.string().nullish(),
  /** Expected delivery date (ISO 8601 date), when the carrier gave one. */
  eta: z.string().nullish(),
  /** When the order was placed (ISO 8601 date-time, UTC). */
  placedAt: z.string().nullish(),
  /** When the (latest) parcel was handed to the carrier (ISO 8601 date-time, UTC). */
  shippedAt: z.string().nullish(),
  buyer: z.object({ email: z.string().nullish(), phone: z.string().nullish() }),
});

/** One order as the shop's backend returns it. */
export type OrderRecord = z.infer<typeof orderSchema>;

/**
 * Reads orders from the shop's backend. `undefined` means there is no such order.
 *
 * @example
 * ```ts
 * const order = await connector.get('PS-100234');
 * order?.status; // 'shipped'
 * ```
 */
export interface OrderConnector {
  get(orderId: string): Promise<OrderRecord | undefined>;
  /**
   * Optional: the orders of a buyer, newest first. `email` matches case-insensitively, `phone`
   * is digits with the country code (`31612345678`). Connectors that cannot search leave it
   * out (the HTTP contract reads one order by id only).
   *
   * @example
   * ```ts
   * await connector.listByBuyer?.({ email: 'emma.jansen@example.com' }); // [{ id: 'PS-100234', ... }]
   * ```
   */
  listByBuyer?(buyer: { email?: string; phone?: string }): Promise<OrderRecord[]>;
}

/**
 * `ORDER_LOOKUP_FAILED`: the backend could not be asked (network, timeout, 5xx, throttling, a
 * rejected key, a body that is not an order). The message says what failed and what to check;
 * `retryable` says whether asking again later may help, `retryAfterMs` how long the platform
 * asked to wait.
 *
 * @example
 * ```ts
 * throw new OrderLookupError('Shopify throttled the order lookup (THROTTLED). Try again in 2 s.', 200, { retryable: true, retryAfterMs: 2000 });
 * ```
 */
export class OrderLookupError extends ParleyError<'ORDER_LOOKUP_FAILED'> {
  constructor(
    message: string,
    /** The backend's HTTP status (200 for a GraphQL error), none when it did not answer. */
    readonly status?: number,
    options: { cause?: unknown; retryable?: boolean; retryAfterMs?: number } = {},
  ) {
    super('ORDER_LOOKUP_FAILED', message, { ...options, retryable: options.retryable ?? (status === undefined || status === 429 || status >= 500) });
    this.name = 'OrderLookupError';
  }
}

/**
 * A request to an order backend; a network failure or timeout becomes an
 * {@link OrderLookupError} that names the backend and what to check (`advice`).
 */
export async function askBackend(
  fetch: typeof globalThis.fetch,
  url: string,
  init: RequestInit & { timeoutMs: number },
  backend: string,
  advice: string,
): Promise<Response> {
  const { timeoutMs, ...rest } = init;
  try {
    return await fetch(url, { ...rest, signal: AbortSignal.timeout(timeoutMs) });
  } catch (cause) {
    const what = (cause as Error).name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : `failed (${(cause as Error).name})`;
    throw new OrderLookupError(`${backend} ${what}. ${advice}; orders.timeoutMs sets the wait.`, undefined, { cause });
  }
}

/** Order numbers as shoppers type them ("ps 100234", "#PS-100234") in the shop's form. */
export function normalizeOrderId(raw: string): string | undefined {
  const compact = raw.trim().replace(/^#/, '').replace(/\s+/g, '').toUpperCase();
  const m = /^([A-Z]{1,4})-?(\d{4,12})$/.exec(compact);
  return m ? `${m[1]}-${m[2]}` : undefined;
}
