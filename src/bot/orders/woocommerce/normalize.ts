/**
 * A WooCommerce order (REST API v3) as Parley's {@link OrderRecord}, with the parcel from the
 * WooCommerce Shipment Tracking extension's order meta when there is one.
 * https://woocommerce.github.io/woocommerce-rest-api-docs/#order-properties
 * https://woocommerce.com/document/shipment-tracking/
 */
import { z } from 'zod';
import { OrderLookupError, type OrderRecord, type OrderStatus } from '../types.js';

// Amounts arrive as strings ("29.35"); line-item `price` as a number.
const amount = z.coerce.number().catch(0);

/** The fields of an order Parley reads. */
const wooOrderSchema = z.object({
  id: z.number(),
  number: z.union([z.string(), z.number()]).nullish(),
  status: z.string(),
  currency: z.string(),
  date_created_gmt: z.string().nullish(),
  total: amount,
  shipping_total: amount,
  billing: z.object({ email: z.string().nullish(), phone: z.string().nullish(), country: z.string().nullish() }).nullish(),
  line_items: z
    .array(z.object({ name: z.string(), quantity: z.number(), sku: z.string().nullish(), price: amount.nullish(), subtotal: amount.nullish() }))
    .default([]),
  meta_data: z.array(z.object({ key: z.string(), value: z.unknown() })).default([]),
});

/** One WooCommerce order as the REST API returns it. */
export type WooOrder = z.infer<typeof wooOrderSchema>;

/** Parses one order or a list, or says which field Parley could not read. */
export function parseOrders(body: unknown): WooOrder[] {
  const parsed = z.array(wooOrderSchema).safeParse(Array.isArray(body) ? body : [body]);
  if (parsed.success) return parsed.data;
  const where = parsed.error.issues[0]?.path.join('.') || 'body';
  throw new OrderLookupError(`WooCommerce answered with an order Parley cannot read (${where}). Check orders.woocommerce.baseUrl points at the shop.`, 200, {
    retryable: false,
  });
}

/** The order number shoppers see: `number` (sequential-number plugins change it), else the id. */
export function orderNumber(order: WooOrder): string {
  return String(order.number || order.id);
}

/** One parcel recorded by the Shipment Tracking extension (`_wc_shipment_tracking_items`). */
interface Parcel {
  carrier: string | null;
  trackingNumber: string | null;
  trackingUrl: string | null;
  shippedAt: string | null;
}

const trackingItem = z.object({
  tracking_provider: z.string().nullish(),
  custom_tracking_provider: z.string().nullish(),
  custom_tracking_link: z.string().nullish(),
  tracking_number: z.union([z.string(), z.number()]).nullish(),
  date_shipped: z.union([z.string(), z.number()]).nullish(),
  // Advanced Shipment Tracking (zorem) writes the same meta and may add these.
  formatted_tracking_provider: z.string().nullish(),
  formatted_tracking_link: z.string().nullish(),
});

const CARRIER_NAMES: Record<string, string> = {
  usps: 'USPS',
  ups: 'UPS',
  fedex: 'FedEx',
  dhl: 'DHL',
  dpd: 'DPD',
  gls: 'GLS',
  tnt: 'TNT',
  postnl: 'PostNL',
  'royal-mail': 'Royal Mail',
  'australia-post': 'Australia Post',
  'canada-post': 'Canada Post',
};

// Predefined providers are stored as slugs ("dhl-us"); the extension builds their links from its
// own provider list, which is not in the order, so only custom providers come with a link.
function carrierName(slug: string): string {
  return (
    CARRIER_NAMES[slug] ??
    slug
      .split('-')
      .map((w) => (w.length <= 3 ? w.toUpperCase() : (w[0] ?? '').toUpperCase() + w.slice(1)))
      .join(' ')
  );
}

/** The newest parcel the extension recorded on the order, if any. */
function latestParcel(order: WooOrder): Parcel | undefined {
  const meta = order.meta_data.find((m) => m.key === '_wc_shipment_tracking_items');
  const items = z.array(trackingItem).safeParse(meta?.value);
  if (!items.success || !items.data.length) return undefined;
  const last = items.data.at(-1);
  if (!last) return undefined;
  const shipped = Number(last.date_shipped);
  const slug = last.tracking_provider?.trim();
  return {
    carrier: last.custom_tracking_provider?.trim() || last.formatted_tracking_provider?.trim() || (slug ? carrierName(slug) : null),
    trackingNumber: last.tracking_number ? String(last.tracking_number) : null,
    trackingUrl: last.custom_tracking_link?.trim() || last.formatted_tracking_link?.trim() || null,
    // A Unix timestamp (seconds).
    shippedAt: Number.isFinite(shipped) && shipped > 0 ? new Date(shipped * 1000).toISOString() : null,
  };
}

const STATUSES: Record<string, OrderStatus> = {
  pending: 'pending',
  'on-hold': 'pending',
  failed: 'pending',
  'checkout-draft': 'pending',
  processing: 'processing',
  completed: 'shipped',
  cancelled: 'cancelled',
  trash: 'cancelled',
  refunded: 'refunded',
  // Custom statuses added by the widely used tracking plugins.
  shipped: 'shipped',
  'partial-shipped': 'shipped',
  delivered: 'delivered',
};

/** Parley's status for a WooCommerce order (the mapping table is in docs/orders.md). */
function wooStatus(order: WooOrder, parcel: Parcel | undefined): OrderStatus {
  const status = STATUSES[order.status] ?? 'processing';
  // Shops often add tracking before they mark the order completed.
  return status === 'processing' && parcel?.trackingNumber ? 'shipped' : status;
}

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '–',
  mdash: '—',
  times: '×',
  hellip: '…',
  rsquo: '’',
  lsquo: '‘',
  ldquo: '“',
  rdquo: '”',
};

/** WooCommerce returns product names HTML-escaped ("Ship Your Idea &ndash; Color: Black"). */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, code: string) => {
    if (code[0] !== '#') return NAMED[code.toLowerCase()] ?? whole;
    const point = code[1]?.toLowerCase() === 'x' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10);
    return Number.isFinite(point) && point > 0 && point <= 0x10ffff ? String.fromCodePoint(point) : whole;
  });
}

/** The order as Parley's record; the subtotal is the line items before discounts, as the receipt shows it. */
export function toOrderRecord(order: WooOrder): OrderRecord {
  const parcel = latestParcel(order);
  // `price` is the line total after coupons divided by the quantity (18.3233...); the unit price
  // before coupons is what the shopper saw in the shop.
  const unit = (i: WooOrder['line_items'][number]) =>
    i.subtotal != null && i.quantity > 0 ? Math.round((i.subtotal / i.quantity) * 100) / 100 : (i.price ?? 0);
  const items = order.line_items.map((i) => ({ sku: i.sku ?? '', name: decodeEntities(i.name), qty: i.quantity, price: unit(i) }));
  return {
    id: orderNumber(order),
    status: wooStatus(order, parcel),
    items,
    amounts: {
      subtotal: Math.round(order.line_items.reduce((sum, i) => sum + (i.subtotal ?? 0), 0) * 100) / 100,
      shipping: order.shipping_total,
      total: order.total,
      currency: order.currency,
    },
    carrier: parcel?.carrier ?? null,
    trackingNumber: parcel?.trackingNumber ?? null,
    trackingUrl: parcel?.trackingUrl ?? null,
    eta: null,
    // `date_created_gmt` is UTC without a zone designator.
    placedAt: order.date_created_gmt ? `${order.date_created_gmt.replace(/Z$/, '')}Z` : null,
    shippedAt: parcel?.shippedAt ?? null,
    buyer: { email: order.billing?.email || null, phone: order.billing?.phone || null },
  };
}
