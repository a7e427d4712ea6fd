/**
 * The GraphQL documents Parley sends, and the search strings they filter by.
 * https://shopify.dev/docs/api/admin-graphql/latest/queries/orders (filters `name`, `email`, `customer_id`)
 * https://shopify.dev/docs/api/usage/search-syntax (quoting)
 */

/** Money in the shop's currency and in the currency the buyer paid in. */
const MONEY = 'shopMoney { amount currencyCode } presentmentMoney { amount currencyCode }';

// Requested cost (https://shopify.dev/docs/api/usage/limits#cost-calculation): every object is a
// point and a connection multiplies its node by `first`, so one order here is about 135 points
// (25 lines x 4 + 5 parcels x 4 + money and customer). Shopify refuses a query over 1,000, so the
// caps keep the 5-order buyer list near 680, while 25 lines and 5 parcels cover real orders.
const ORDER_FIELDS = `
fragment ParleyOrder on Order {
  id
  name
  createdAt
  cancelledAt
  email
  phone
  displayFinancialStatus
  displayFulfillmentStatus
  subtotalPriceSet { ${MONEY} }
  totalShippingPriceSet { ${MONEY} }
  totalPriceSet { ${MONEY} }
  customer { defaultEmailAddress { emailAddress } defaultPhoneNumber { phoneNumber } }
  lineItems(first: 25) { nodes { name quantity sku originalUnitPriceSet { ${MONEY} } } }
  fulfillments(first: 5) { createdAt displayStatus estimatedDeliveryAt deliveredAt trackingInfo(first: 3) { company number url } }
}`;

/**
 * Orders whose name matches. A name search can match more than the exact name, so a few are
 * fetched and the exact one is picked by the connector.
 */
export const ORDERS_BY_NAME = `query ParleyOrderByName($query: String!) {
  orders(first: 3, query: $query) { nodes { ...ParleyOrder } }
}
${ORDER_FIELDS}`;

/** A buyer's newest orders. */
export const ORDERS_OF_BUYER = `query ParleyOrdersOfBuyer($query: String!, $first: Int!) {
  orders(first: $first, query: $query, sortKey: CREATED_AT, reverse: true) { nodes { ...ParleyOrder } }
}
${ORDER_FIELDS}`;

/** Customers with a phone number (orders cannot be searched by phone). */
export const CUSTOMERS_BY_PHONE = `query ParleyCustomersByPhone($query: String!) {
  customers(first: 3, query: $query) { nodes { id } }
}`;

/** `field:"value"` with the value quoted, so `-`, `:`, `@` and spaces are taken literally. */
export function term(field: string, value: string): string {
  return `${field}:"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/**
 * The search for an order name as a shopper types it: `PS-1042` as is; a bare `1042` also as
 * `#1042`, the default name format.
 */
export function nameQuery(name: string): string {
  const names = /^\d+$/.test(name) ? [name, `#${name}`] : [name];
  return names.map((n) => term('name', n)).join(' OR ');
}
