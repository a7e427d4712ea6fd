/**
 * The shopper's recent orders in the agent console: read-only, from the orders connector.
 */
import type { OrderConnector, OrderRecord } from '../bot/orders/index.js';
import type { Logger } from '../core/ports.js';
import { orderNumbers } from './triggers.js';

/** An order as the console lists it. */
export interface ConsoleOrder {
  id: string;
  status: string;
  /** `104.95 EUR`. */
  total: string;
  carrier?: string;
  /** Only http(s) links: the console renders it as a link. */
  trackingUrl?: string;
  eta?: string;
  /**
   * Why it is listed: `contact` (the buyer's email or phone is the shopper's verified
   * contact) or `mentioned` (an order number in the conversation; the buyer is not checked).
   */
  match: 'contact' | 'mentioned';
}

/** What {@link createRecentOrders} reads. */
export interface RecentOrdersDeps {
  orders: OrderConnector;
  /** The contact data the shop verified for a shopper (care profiles). */
  contactOf(shopperId: string): Promise<{ email?: string; phone?: string }>;
  log: Logger;
  /** Orders listed at most. Default 5. */
  limit?: number;
}

const LOOKUPS = 10;

function toConsole(o: OrderRecord, match: ConsoleOrder['match']): ConsoleOrder {
  const link = o.trackingUrl && /^https?:\/\//i.test(o.trackingUrl) ? o.trackingUrl : undefined;
  return {
    id: o.id,
    status: o.status,
    total: `${o.amounts.total.toFixed(2)} ${o.amounts.currency}`,
    ...(o.carrier ? { carrier: o.carrier } : {}),
    ...(link ? { trackingUrl: link } : {}),
    ...(o.eta ? { eta: o.eta } : {}),
    match,
  };
}

/**
 * The orders the console shows beside a conversation: orders mentioned in it (newest mention
 * first), then the verified buyer's other orders (when the connector can list them).
 * A connector that fails leaves the list shorter, never the view broken.
 *
 * @example
 * ```ts
 * const recentOrders = createRecentOrders({ orders, contactOf: (id) => care.verifiedContact(id), log });
 * await recentOrders(conversation.shopperId, ['Where is PS-100234?']); // [{ id: 'PS-100234', status: 'shipped', total: '104.95 EUR', ... }]
 * ```
 */
export function createRecentOrders(deps: RecentOrdersDeps) {
  const limit = deps.limit ?? 5;
  const quietly = <T>(p: Promise<T>, fallback: T): Promise<T> =>
    p.catch((err) => {
      deps.log.warn({ err }, 'orders lookup failed');
      return fallback;
    });

  async function ofBuyer(shopperId: string): Promise<OrderRecord[]> {
    if (!deps.orders.listByBuyer) return [];
    const contact = await deps.contactOf(shopperId);
    if (!contact.email && !contact.phone) return [];
    return deps.orders.listByBuyer(contact);
  }

  return async (shopperId: string, texts: readonly string[]): Promise<ConsoleOrder[]> => {
    const mentioned = [...new Set(texts.toReversed().flatMap((t) => orderNumbers(t).toReversed()))].slice(0, LOOKUPS);
    const [own, found] = await Promise.all([quietly(ofBuyer(shopperId), []), Promise.all(mentioned.map((id) => quietly(deps.orders.get(id), undefined)))]);
    const owned = new Set(own.map((o) => o.id));
    const listed = new Map<string, ConsoleOrder>();
    for (const o of [...found, ...own]) if (o && !listed.has(o.id)) listed.set(o.id, toConsole(o, owned.has(o.id) ? 'contact' : 'mentioned'));
    return [...listed.values()].slice(0, limit);
  };
}

/** What {@link createRecentOrders} returns. */
export type RecentOrders = ReturnType<typeof createRecentOrders>;
