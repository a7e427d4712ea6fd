import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { type Answer, PlatformServer, type Received, scriptedServer } from '../../../../test/support/platform-server.js';
import { manualClock } from '../../../../test/support/llm-fixtures.js';
import { OrderLookupError } from '../types.js';
import { createShopifyOrderConnector } from './index.js';
import { shopifyOrderSchema, shopifyStatus } from './normalize.js';

const fixture = (name: string): any => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const GRAPHQL = '/admin/api/2026-07/graphql.json';

const servers: PlatformServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

/** A local Admin API: answers each GraphQL request by its `variables.query` search string. */
async function adminApi(answer: (search: string, req: Received) => Answer): Promise<PlatformServer> {
  const server = await new PlatformServer((req) =>
    req.path === GRAPHQL ? answer(String((req.json as any)?.variables?.query ?? ''), req) : { status: 404, text: 'Not Found' },
  ).start();
  servers.push(server);
  return server;
}

const connectorFor = (server: PlatformServer, extra: { timeoutMs?: number } = {}) =>
  createShopifyOrderConnector({ shop: server.url, accessToken: 'shpat_test_token', ...extra });

describe('Shopify order connector: get', () => {
  it('looks an order up by its name with the access token, and maps status, items, money, tracking and buyer', async () => {
    const server = await adminApi((search) => ({ json: search.includes('1042') ? fixture('order-1042-in-transit.json') : fixture('orders-empty.json') }));
    const order = await connectorFor(server).get('#1042');

    const [req] = server.received;
    expect(req?.method).toBe('POST');
    expect(req?.headers['x-shopify-access-token']).toBe('shpat_test_token');
    expect(req?.headers['content-type']).toBe('application/json');
    expect((req?.json as any).variables.query).toBe('name:"1042" OR name:"#1042"');
    expect((req?.json as any).query).toMatch(/orders\(first: 3, query: \$query\)/);
    expect(order).toEqual({
      id: '#1042',
      status: 'shipped',
      items: [
        { sku: 'DOG-BED-ORTHO-L', name: 'Orthopaedic memory-foam dog bed - Large', qty: 1, price: 74.95 },
        { sku: 'TOY-RUBBER-BONE-M', name: 'Rubber chew bone - Medium', qty: 2, price: 7.5 },
      ],
      // The buyer paid in GBP (presentment money), not in the shop's EUR.
      amounts: { subtotal: 89.95, shipping: 4.99, total: 94.94, currency: 'GBP' },
      carrier: 'DHL Express',
      trackingNumber: '1234567890',
      trackingUrl: 'https://www.dhl.com/en/express/tracking.html?AWB=1234567890&brand=DHL',
      eta: '2026-12-09',
      placedAt: '2026-11-30T09:14:02Z',
      shippedAt: '2026-12-01T15:02:11Z',
      buyer: { email: 'emma.jansen@example.com', phone: '+31612345678' },
    });
  });

  it('finds prefixed names (PS-1043) and falls back to the customer record for the contact', async () => {
    const server = await adminApi(() => ({ json: fixture('order-ps-1043-unfulfilled.json') }));
    const order = await connectorFor(server).get('ps-1043');
    expect((server.received[0]?.json as any).variables.query).toBe('name:"PS-1043"');
    expect(order).toMatchObject({
      id: 'PS-1043',
      status: 'paid',
      carrier: null,
      trackingNumber: null,
      eta: null,
      buyer: { email: 'lucas.meyer@example.de', phone: '+4915123456789' },
    });
    expect(order?.amounts).toEqual({ subtotal: 55.47, shipping: 0, total: 55.47, currency: 'EUR' });
  });

  it('answers undefined for an unknown order, and never returns a near miss the search matched', async () => {
    const server = await adminApi((search) => ({ json: search.includes('1042') ? fixture('orders-near-miss.json') : fixture('orders-empty.json') }));
    const orders = connectorFor(server);
    expect(await orders.get('1042')).toBeUndefined();
    expect(await orders.get('PS-999999')).toBeUndefined();
    expect(await orders.get('  ')).toBeUndefined();
    expect(server.received).toHaveLength(2);
  });
});

describe('Shopify order connector: failures', () => {
  async function failure(answer: Answer, extra: { timeoutMs?: number } = {}): Promise<OrderLookupError> {
    const server = await adminApi(() => answer);
    const error = await connectorFor(server, extra)
      .get('1042')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OrderLookupError);
    return error as OrderLookupError;
  }

  it('401 names the env var and the YAML path to check', async () => {
    const error = await failure({ status: 401, json: fixture('unauthorized.json') });
    expect(error.status).toBe(401);
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/SHOPIFY_ACCESS_TOKEN \(orders\.shopify\.accessToken\)/);
  });

  it('403 and ACCESS_DENIED name the access scopes to grant', async () => {
    expect((await failure({ status: 403, json: { errors: '[API] This action requires merchant approval for read_orders scope.' } })).message).toMatch(
      /read_orders, read_customers and read_fulfillments/,
    );
    const denied = await failure({ json: fixture('access-denied.json') });
    expect(denied.message).toMatch(/Access denied for orders field.*read_orders, read_customers and read_fulfillments/);
    expect(denied.retryable).toBe(false);
  });

  it('THROTTLED is retryable after the time the cost bucket needs to refill', async () => {
    const error = await failure({ json: fixture('throttled.json') });
    expect(error.retryable).toBe(true);
    // (677 requested - 377 available) / 100 points per second = 3 s.
    expect(error.retryAfterMs).toBe(3000);
    expect(error.message).toMatch(/throttled.*Try again in 3 s/);
  });

  it('429 is retryable after Retry-After; 5xx is retryable; other GraphQL errors are not', async () => {
    const throttled = await failure({ status: 429, json: fixture('too-many-requests.json'), headers: { 'retry-after': '2.0' } });
    expect(throttled).toMatchObject({ status: 429, retryable: true, retryAfterMs: 2000 });
    expect(await failure({ status: 503, text: 'Service Unavailable' })).toMatchObject({ status: 503, retryable: true });
    const bad = await failure({ json: { errors: [{ message: "Field 'colour' doesn't exist on type 'Order'", extensions: { code: 'undefinedField' } }] } });
    expect(bad.retryable).toBe(false);
    expect(bad.message).toMatch(/orders\.shopify\.apiVersion \(2026-07\)/);
  });

  it('a store that does not answer in time is a retryable timeout', async () => {
    const error = await failure({ json: fixture('orders-empty.json'), delayMs: 300 }, { timeoutMs: 50 });
    expect(error.message).toMatch(/timed out after 50 ms.*orders\.timeoutMs/);
    expect(error.retryable).toBe(true);
  });

  it('a wrong shop or API version is a 404 that names both settings', async () => {
    const server = await adminApi(() => ({ json: fixture('orders-empty.json') }));
    const error = await createShopifyOrderConnector({ shop: server.url, accessToken: 't', apiVersion: '2019-04' })
      .get('1042')
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/orders\.shopify\.shop .* orders\.shopify\.apiVersion/);
  });
});

describe('Shopify order connector: listByBuyer', () => {
  it("lists a buyer's newest orders by email, keeping only exact matches", async () => {
    const server = await adminApi(() => ({ json: fixture('orders-by-email.json') }));
    const orders = await connectorFor(server).listByBuyer?.({ email: ' EMMA.Jansen@example.com' });
    const body = server.received[0]?.json as any;
    expect(body.variables).toEqual({ query: 'email:"emma.jansen@example.com"', first: 5 });
    expect(body.query).toMatch(/sortKey: CREATED_AT, reverse: true/);
    expect(orders?.map((o) => [o.id, o.status])).toEqual([
      ['#1057', 'processing'],
      ['#1031', 'delivered'],
    ]);
    expect(orders?.[1]?.eta).toBe('2026-11-15');
  });

  it('finds a buyer by phone through their customer record', async () => {
    const server = await adminApi((search) => ({
      json: search.startsWith('phone:') ? fixture('customers-by-phone.json') : fixture('orders-of-customer.json'),
    }));
    const orders = await connectorFor(server).listByBuyer?.({ phone: '4915123456789' });
    expect(server.received.map((r) => (r.json as any).variables.query)).toEqual(['phone:"+4915123456789"', 'customer_id:7208120942853']);
    expect(orders?.map((o) => o.id)).toEqual(['#1019']);
  });

  it('asks nothing for a buyer without contact', async () => {
    const server = await adminApi(() => ({ json: fixture('orders-empty.json') }));
    expect(await connectorFor(server).listByBuyer?.({})).toEqual([]);
    expect(server.received).toHaveLength(0);
  });
});

describe('Shopify order connector: client credentials', () => {
  it('trades the client ID and secret for a token, reuses it, and renews it when it expires or is refused', async () => {
    const clock = manualClock();
    const { server, answers } = await scriptedServer((req) =>
      req.path === '/admin/oauth/access_token' ? { json: fixture('client-credentials-token.json') } : { json: fixture('order-ps-1043-unfulfilled.json') },
    );
    servers.push(server);
    const orders = createShopifyOrderConnector({ shop: server.url, clientId: 'client-id', clientSecret: 'client-secret', clock });

    await Promise.all([orders.get('PS-1043'), orders.get('PS-1043')]);
    const tokenCalls = () => server.calls(/\/admin\/oauth\/access_token$/);
    expect(tokenCalls()).toHaveLength(1);
    expect(Object.fromEntries(new URLSearchParams(tokenCalls()[0]?.body))).toEqual({
      grant_type: 'client_credentials',
      client_id: 'client-id',
      client_secret: 'client-secret',
    });
    expect(server.calls(/graphql\.json$/).map((r) => r.headers['x-shopify-access-token'])).toEqual(['shpat_cc_0123456789abcdef', 'shpat_cc_0123456789abcdef']);

    clock.advance(24 * 3600_000);
    await orders.get('PS-1043');
    expect(tokenCalls()).toHaveLength(2);

    answers.push({ status: 401, body: fixture('unauthorized.json') });
    expect((await orders.get('PS-1043'))?.id).toBe('PS-1043');
    expect(tokenCalls()).toHaveLength(3);
  });

  it('a refused client secret names the env vars to check', async () => {
    const { server } = await scriptedServer(() => ({ status: 400, json: { error: 'invalid_client', error_description: 'Client authentication failed' } }));
    servers.push(server);
    const error = await createShopifyOrderConnector({ shop: server.url, clientId: 'id', clientSecret: 'wrong' })
      .get('1042')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OrderLookupError);
    expect((error as Error).message).toMatch(/400 invalid_client.*SHOPIFY_CLIENT_ID and SHOPIFY_CLIENT_SECRET/);
  });
});

describe('Shopify status mapping', () => {
  const base = shopifyOrderSchema.parse(fixture('order-ps-1043-unfulfilled.json').data.orders.nodes[0]);
  const parcel = (displayStatus: string) => ({
    createdAt: '2026-12-01T00:00:00Z',
    displayStatus,
    estimatedDeliveryAt: null,
    deliveredAt: null,
    trackingInfo: [],
  });
  it.each([
    [{ cancelledAt: '2026-12-02T00:00:00Z' }, 'cancelled'],
    [{ displayFinancialStatus: 'REFUNDED' }, 'refunded'],
    [{ displayFinancialStatus: 'PENDING' }, 'pending'],
    [{ displayFinancialStatus: 'AUTHORIZED' }, 'processing'],
    [{ displayFinancialStatus: 'PAID' }, 'paid'],
    [{ displayFulfillmentStatus: 'IN_PROGRESS' }, 'packing'],
    [{ displayFulfillmentStatus: 'PARTIALLY_FULFILLED', fulfillments: [parcel('IN_TRANSIT')] }, 'shipped'],
    [{ displayFulfillmentStatus: 'FULFILLED', fulfillments: [parcel('LABEL_PURCHASED')] }, 'shipped'],
    [{ displayFulfillmentStatus: 'FULFILLED', fulfillments: [parcel('OUT_FOR_DELIVERY'), parcel('DELIVERED')] }, 'out_for_delivery'],
    [{ displayFulfillmentStatus: 'FULFILLED', fulfillments: [parcel('DELIVERED'), parcel('CANCELED')] }, 'delivered'],
    [{ displayFulfillmentStatus: 'PARTIALLY_FULFILLED', fulfillments: [parcel('DELIVERED')] }, 'shipped'],
  ])('%j → %s', (change, status) => {
    expect(shopifyStatus({ ...base, ...change } as typeof base)).toBe(status);
  });
});
