/**
 * A Shopify order (the `ParleyOrder` fragment) as Parley's {@link OrderRecord}.
 * https://shopify.dev/docs/api/admin-graphql/latest/objects/Order
 * https://shopify.dev/docs/api/admin-graphql/latest/enums/OrderDisplayFinancialStatus
 * https://shopify.dev/docs/api/admin-graphql/latest/enums/OrderDisplayFulfillmentStatus
 * https://shopify.dev/docs/api/admin-graphql/latest/enums/FulfillmentDisplayStatus
 */
import { z } from 'zod';
import { OrderLookupError, type OrderRecord, type OrderStatus } from '../types.js';

// `Decimal` amounts arrive as strings ("104.95").
const money = z.object({ amount: z.coerce.number(), currencyCode: z.string() });
const moneyBag = z.object({ shopMoney: money, presentmentMoney: money.nullish() });

const fulfillmentSchema = z.object({
  createdAt: z.string().nullish(),
  displayStatus: z.string().nullish(),
  estimatedDeliveryAt: z.string().nullish(),
  deliveredAt: z.string().nullish(),
  trackingInfo: z.array(z.object({ company: z.string().nullish(), number: z.string().nullish(), url: z.string().nullish() })).default([]),
});

/** The fields of an order Parley reads (the `ParleyOrder` fragment in query.ts). */
export const shopifyOrderSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string().nullish(),
  cancelledAt: z.string().nullish(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
  displayFinancialStatus: z.string().nullish(),
  displayFulfillmentStatus: z.string(),
  subtotalPriceSet: moneyBag.nullish(),
  totalShippingPriceSet: moneyBag.nullish(),
  totalPriceSet: moneyBag,
  customer: z
    .object({
      defaultEmailAddress: z.object({ emailAddress: z.string().nullish() }).nullish(),
      defaultPhoneNumber: z.object({ phoneNumber: z.string().nullish() }).nullish(),
    })
    .nullish(),
  lineItems: z.object({ nodes: z.array(z.object({ name: z.string(), quantity: z.number(), sku: z.string().nullish(), originalUnitPriceSet: moneyBag })) }),
  fulfillments: z.array(fulfillmentSchema).default([]),
});

/** One Shopify order as the Admin API returns it. */
export type ShopifyOrder = z.infer<typeof shopifyOrderSchema>;
type Fulfillment = z.infer<typeof fulfillmentSchema>;

/** `data` of the orders queries. */
export const ordersDataSchema = z.object({ orders: z.object({ nodes: z.array(shopifyOrderSchema) }) });
/** `data` of the customers-by-phone query. */
export const customersDataSchema = z.object({ customers: z.object({ nodes: z.array(z.object({ id: z.string() })) }) });

/** Parses `data` or says which field Parley could not read. */
export function parseData<T>(schema: z.ZodType<T>, data: unknown): T {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const where = parsed.error.issues[0]?.path.join('.') || 'data';
  throw new OrderLookupError(
    `Shopify answered with an order Parley cannot read (${where}). Check that orders.shopify.apiVersion is a supported version.`,
    200,
    { retryable: false },
  );
}

// A fulfillment that was cancelled or whose label was voided no longer moves the order.
const DEAD = new Set(['CANCELED', 'LABEL_VOIDED']);
const ARRIVED = new Set(['DELIVERED', 'PICKED_UP']);

/** Parley's status for a Shopify order (the mapping table is in docs/orders.md). */
export function shopifyStatus(order: ShopifyOrder): OrderStatus {
  const financial = order.displayFinancialStatus ?? '';
  if (order.cancelledAt || financial === 'VOIDED') return 'cancelled';
  if (financial === 'REFUNDED') return 'refunded';
  const parcels = order.fulfillments.filter((f) => !DEAD.has(f.displayStatus ?? ''));
  const fulfillment = order.displayFulfillmentStatus;
  if (parcels.length) {
    const states = parcels.map((f) => f.displayStatus ?? '');
    if (fulfillment === 'FULFILLED' && states.every((s) => ARRIVED.has(s))) return 'delivered';
    if (states.includes('OUT_FOR_DELIVERY')) return 'out_for_delivery';
    // SUBMITTED: the request went to a fulfillment service, nothing has left the warehouse yet.
    if (states.every((s) => s === 'SUBMITTED')) return 'packing';
    return 'shipped';
  }
  if (fulfillment === 'FULFILLED' || fulfillment === 'PARTIALLY_FULFILLED') return 'shipped';
  if (fulfillment === 'IN_PROGRESS' || fulfillment === 'PENDING_FULFILLMENT') return 'packing';
  if (fulfillment === 'RESTOCKED') return 'cancelled';
  if (financial === 'PAID' || financial === 'PARTIALLY_REFUNDED') return 'paid';
  if (financial === 'PENDING' || financial === 'PARTIALLY_PAID' || financial === 'EXPIRED') return 'pending';
  // AUTHORIZED: the payment is secured and captured when the order ships.
  return 'processing';
}

/** The parcel the shopper most likely asks about: the newest live one, preferring one with tracking. */
function latestParcel(order: ShopifyOrder): Fulfillment | undefined {
  const live = order.fulfillments.filter((f) => !DEAD.has(f.displayStatus ?? '')).sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''));
  return live.find((f) => f.trackingInfo.some((t) => t.number || t.url)) ?? live[0];
}

const date = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : null);

/**
 * The order as Parley's record. Amounts are in the currency the buyer paid in (presentment
 * money), which is what their receipt shows; for single-currency stores it is the shop's.
 */
export function toOrderRecord(order: ShopifyOrder): OrderRecord {
  const pick = (bag: z.infer<typeof moneyBag> | null | undefined) => (bag ? (bag.presentmentMoney ?? bag.shopMoney) : undefined);
  const parcel = latestParcel(order);
  const tracking = parcel?.trackingInfo.find((t) => t.number || t.url);
  const total = pick(order.totalPriceSet);
  const items = order.lineItems.nodes.map((i) => ({ sku: i.sku ?? '', name: i.name, qty: i.quantity, price: pick(i.originalUnitPriceSet)?.amount ?? 0 }));
  return {
    id: order.name,
    status: shopifyStatus(order),
    items,
    amounts: {
      subtotal: pick(order.subtotalPriceSet)?.amount ?? items.reduce((sum, i) => sum + i.qty * i.price, 0),
      shipping: pick(order.totalShippingPriceSet)?.amount ?? 0,
      total: total?.amount ?? 0,
      currency: total?.currencyCode ?? '',
    },
    carrier: tracking?.company ?? null,
    trackingNumber: tracking?.number ?? null,
    trackingUrl: tracking?.url ?? null,
    eta: date(parcel?.estimatedDeliveryAt ?? parcel?.deliveredAt),
    placedAt: order.createdAt ?? null,
    shippedAt: parcel?.createdAt ?? null,
    buyer: {
      email: order.email || order.customer?.defaultEmailAddress?.emailAddress || null,
      phone: order.phone || order.customer?.defaultPhoneNumber?.phoneNumber || null,
    },
  };
}
