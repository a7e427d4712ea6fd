import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { type Answer, PlatformServer, type Received } from '../../../../test/support/platform-server.js';
import { OrderLookupError } from '../types.js';
import { createWooCommerceOrderConnector } from './index.js';
import { decodeEntities } from './normalize.js';

const fixture = (name: string): any => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const API = '/wp-json/wc/v3';
const BASIC = `Basic ${Buffer.from('ck_test:cs_test').toString('base64')}`;

const servers: PlatformServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

/** A local WooCommerce REST API: `orders` by id, and `search` over them the way the shop's index would match. */
async function shop(orders: any[], override?: (req: Received) => Answer | undefined): Promise<PlatformServer> {
  const server = await new PlatformServer((req) => {
    const answer = override?.(req);
    if (answer) return answer;
    const one = new RegExp(`^${API}/orders/(\\d+)$`).exec(req.path);
    if (one) {
      const order = orders.find((o) => String(o.id) === one[1]);
      return order ? { json: order } : { status: 404, json: fixture('error-invalid-id.json') };
    }
    if (req.path === `${API}/orders`) {
      const text = (req.query.get('search') ?? '').toLowerCase();
      return { json: orders.filter((o) => JSON.stringify(o).toLowerCase().includes(text)), headers: { 'x-wp-total': '0', 'x-wp-totalpages': '1' } };
    }
    return { status: 404, json: fixture('error-no-route.json') };
  }).start();
  servers.push(server);
  return server;
}

const connectorFor = (server: PlatformServer, extra: { authInQuery?: boolean; timeoutMs?: number } = {}) =>
  createWooCommerceOrderConnector({ baseUrl: server.url, consumerKey: 'ck_test', consumerSecret: 'cs_test', ...extra });

describe('WooCommerce order connector: get', () => {
  it('reads an order by number with HTTP Basic auth and maps the documented example', async () => {
    const server = await shop([fixture('order-727.json')]);
    const order = await connectorFor(server).get('#727');
    expect(server.received.map((r) => [r.method, r.path, r.headers.authorization])).toEqual([['GET', `${API}/orders/727`, BASIC]]);
    expect(order).toEqual({
      id: '727',
      status: 'processing',
      items: [
        { sku: '', name: 'Woo Single #1', qty: 2, price: 3 },
        { sku: 'Bar3', name: 'Ship Your Idea – Color: Black, Size: M Test', qty: 1, price: 12 },
      ],
      amounts: { subtotal: 18, shipping: 10, total: 29.35, currency: 'USD' },
      carrier: null,
      trackingNumber: null,
      trackingUrl: null,
      eta: null,
      placedAt: '2017-03-22T19:28:02Z',
      shippedAt: null,
      buyer: { email: 'john.doe@example.com', phone: '(555) 555-5555' },
    });
  });

  it('reads the Shipment Tracking parcel: a predefined provider by name, a custom one with its link', async () => {
    const server = await shop([fixture('order-723-tracked.json'), fixture('order-5310-sequential.json')]);
    const orders = connectorFor(server);
    expect(await orders.get('723')).toMatchObject({
      status: 'shipped',
      carrier: 'USPS',
      trackingNumber: '9400111899223197428490',
      trackingUrl: null,
      shippedAt: '2017-03-22T00:00:00.000Z',
      buyer: { email: 'joao.silva@example.com' },
    });
    // `processing` with a tracking number: the parcel left before the order was completed.
    expect(await orders.get('1042')).toMatchObject({
      id: '1042',
      status: 'shipped',
      carrier: 'PostNL',
      trackingNumber: '3SABCD0123456789',
      trackingUrl: 'https://jouw.postnl.nl/track-and-trace/3SABCD0123456789-NL-1016GV',
      shippedAt: '2026-12-02T00:00:00.000Z',
      items: [{ sku: 'CAT-FOOD-SALMON-2KG', name: 'Grain-free dry cat food – salmon, 2 kg', qty: 3, price: 18.49 }],
      amounts: { subtotal: 55.47, shipping: 4.95, total: 59.92, currency: 'EUR' },
    });
  });

  it('finds numbers given by a sequential-numbering plugin by search, never the order whose id merely equals them', async () => {
    const numbered = fixture('order-5310-sequential.json');
    const prefixed = { ...numbered, id: 5311, number: 'PS-1043' };
    const server = await shop([fixture('order-1042-numbered-1007.json'), numbered, prefixed]);
    const orders = connectorFor(server);

    expect((await orders.get('1042'))?.buyer.email).toBe('Emma.Jansen@example.com');
    expect(server.received.map((r) => `${r.path}?${r.query}`)).toEqual([
      `${API}/orders/1042?`,
      `${API}/orders?search=1042&per_page=20&orderby=date&order=desc`,
    ]);

    expect((await orders.get('ps-1043'))?.id).toBe('PS-1043');
    expect(server.received.at(-1)?.query.get('search')).toBe('PS-1043');
  });

  it('answers undefined for an unknown order', async () => {
    const server = await shop([fixture('order-727.json')]);
    expect(await connectorFor(server).get('99999')).toBeUndefined();
    expect(await connectorFor(server).get('PS-404')).toBeUndefined();
  });

  it('can send the key as query parameters for servers that drop the Authorization header', async () => {
    const server = await shop([fixture('order-727.json')]);
    await connectorFor(server, { authInQuery: true }).get('727');
    const [req] = server.received;
    expect(req?.headers.authorization).toBeUndefined();
    expect([req?.query.get('consumer_key'), req?.query.get('consumer_secret')]).toEqual(['ck_test', 'cs_test']);
  });

  it('refuses to send keys over plain http to anything but localhost', () => {
    expect(() => createWooCommerceOrderConnector({ baseUrl: 'http://shop.example', consumerKey: 'ck', consumerSecret: 'cs' })).toThrow(/https:\/\//);
    expect(() => createWooCommerceOrderConnector({ baseUrl: 'http://localhost:8080', consumerKey: 'ck', consumerSecret: 'cs' })).not.toThrow();
  });
});

describe('WooCommerce order connector: failures', () => {
  async function failure(answer: Answer, extra: { timeoutMs?: number } = {}): Promise<OrderLookupError> {
    const server = await shop([], () => answer);
    const error = await connectorFor(server, extra)
      .get('727')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OrderLookupError);
    return error as OrderLookupError;
  }

  it('401 names the env vars to check, and the header workaround when WooCommerce saw no key', async () => {
    const invalid = await failure({ status: 401, json: fixture('error-authentication.json') });
    expect(invalid).toMatchObject({ status: 401, retryable: false });
    expect(invalid.message).toMatch(/Consumer secret is invalid.*WC_CONSUMER_KEY and WC_CONSUMER_SECRET/);
    expect(invalid.message).not.toMatch(/authInQuery/);
    expect((await failure({ status: 401, json: fixture('error-cannot-view.json') })).message).toMatch(/WC_CONSUMER_KEY.*authInQuery: true/);
  });

  it('no REST API at the address (rest_no_route, or an HTML page) says to check baseUrl', async () => {
    expect((await failure({ status: 404, json: fixture('error-no-route.json') })).message).toMatch(/rest_no_route.*orders\.woocommerce\.baseUrl.*permalinks/);
    expect((await failure({ text: '<!doctype html><title>Log in</title>' })).message).toMatch(/not JSON.*orders\.woocommerce\.baseUrl/);
  });

  it('429 and 5xx are retryable; a slow shop times out', async () => {
    expect(await failure({ status: 429, json: { code: 'too_many_requests', message: 'Slow down' }, headers: { 'retry-after': '5' } })).toMatchObject({
      retryable: true,
      retryAfterMs: 5000,
    });
    expect(await failure({ status: 502, text: 'Bad Gateway' })).toMatchObject({ retryable: true });
    const slow = await failure({ json: [], delayMs: 300 }, { timeoutMs: 50 });
    expect(slow.message).toMatch(/timed out after 50 ms/);
    expect(slow.retryable).toBe(true);
  });
});

describe('WooCommerce order connector: listByBuyer', () => {
  it("lists a buyer's orders by email, newest first, exact matches only", async () => {
    const server = await shop([
      ...fixture('orders-list.json'),
      fixture('order-5310-sequential.json'),
      { ...fixture('order-727.json'), id: 700, number: '700', billing: { email: 'joao.silva@example.com.br' } },
    ]);
    const orders = await connectorFor(server).listByBuyer?.({ email: 'emma.jansen@EXAMPLE.com' });
    expect(server.received[0]?.query.get('search')).toBe('emma.jansen@example.com');
    expect(server.received[0]?.query.get('orderby')).toBe('date');
    expect(orders?.map((o) => o.id)).toEqual(['1042']);
    expect((await connectorFor(server).listByBuyer?.({ email: 'joao.silva@example.com' }))?.map((o) => o.id)).toEqual(['723']);
  });

  it('matches phones written the local way, read in the billing country', async () => {
    const server = await shop([fixture('order-5310-sequential.json'), fixture('order-727.json')]);
    const orders = await connectorFor(server).listByBuyer?.({ phone: '31612345678' });
    expect(server.received[0]?.query.get('search')).toBe('612345678');
    expect(orders?.map((o) => o.id)).toEqual(['1042']);
  });
});

it('decodes the HTML entities WooCommerce puts in product names', () => {
  expect(decodeEntities('Ship Your Idea &ndash; Color: Black &amp; White &#8220;XL&#8221; &#x2013; &bogus;')).toBe(
    'Ship Your Idea – Color: Black & White “XL” – &bogus;',
  );
});
