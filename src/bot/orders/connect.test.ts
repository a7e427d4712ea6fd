import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { PlatformServer } from '../../../test/support/platform-server.js';
import { isParleyError } from '../../core/errors.js';
import { parseConfigText } from '../../config/load.js';
import { createOrderConnector, OrderLookupError, SHOPIFY_DEFAULT_API_VERSION } from './index.js';

const shopifyFixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`./shopify/fixtures/${name}`, import.meta.url), 'utf8'));
const wooFixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`./woocommerce/fixtures/${name}`, import.meta.url), 'utf8'));

// No channels: these tests are about the `orders:` block alone.
const parse = (yaml: string, env: Record<string, string> = {}) => parseConfigText(`${yaml}\nchannels: {}\n`, 'test.yaml', env, new Map());

function problems(yaml: string, env: Record<string, string> = {}): string {
  try {
    parse(yaml, env);
  } catch (err) {
    if (isParleyError(err, 'CONFIG_INVALID')) return err.message;
    throw err;
  }
  throw new Error('expected the configuration to be invalid');
}

const servers: PlatformServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

/** The injected fetch, counting the requests that go through it. */
function countingFetch() {
  const urls: string[] = [];
  const wrapped: typeof fetch = (input, init) => {
    urls.push(String(input));
    return fetch(input, init);
  };
  return { fetch: wrapped, urls };
}

describe('orders connectors from the configuration', () => {
  it('builds the Shopify connector from its block, through the injected fetch, with the configured timeout', async () => {
    const server = await new PlatformServer((req) => ({
      json: shopifyFixture('order-1042-in-transit.json'),
      delayMs: req.headers['x-slow'] ? 300 : 0,
    })).start();
    servers.push(server);
    const config = parse('orders:\n  connector: shopify\n  timeoutMs: 100\n  shopify:\n    shop: ${SHOP_URL}\n    accessToken: ${SHOPIFY_ACCESS_TOKEN}', {
      SHOP_URL: server.url,
      SHOPIFY_ACCESS_TOKEN: 'shpat_from_env',
    });
    expect(config.orders.shopify?.apiVersion).toBe(SHOPIFY_DEFAULT_API_VERSION);
    const io = countingFetch();
    const orders = await createOrderConnector(config.orders, { fetch: io.fetch });
    expect((await orders?.get('1042'))?.carrier).toBe('DHL Express');
    expect(io.urls).toEqual([`${server.url}/admin/api/${SHOPIFY_DEFAULT_API_VERSION}/graphql.json`]);
    expect(server.received[0]?.headers['x-shopify-access-token']).toBe('shpat_from_env');

    const slow: typeof fetch = (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), 'x-slow': '1' } });
    const timedOut = await (await createOrderConnector(config.orders, { fetch: slow }))?.get('1042').catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(OrderLookupError);
    expect((timedOut as Error).message).toMatch(/timed out after 100 ms/);
  });

  it('builds the WooCommerce connector from its block', async () => {
    const server = await new PlatformServer(() => ({ json: wooFixture('order-727.json') })).start();
    servers.push(server);
    const config = parse(
      'orders:\n  connector: woocommerce\n  woocommerce:\n    baseUrl: ${WC_URL}\n    consumerKey: ${WC_CONSUMER_KEY}\n    consumerSecret: ${WC_CONSUMER_SECRET}',
      {
        WC_URL: server.url,
        WC_CONSUMER_KEY: 'ck_env',
        WC_CONSUMER_SECRET: 'cs_env',
      },
    );
    const io = countingFetch();
    const orders = await createOrderConnector(config.orders, { fetch: io.fetch });
    expect((await orders?.get('727'))?.status).toBe('processing');
    expect(io.urls).toEqual([`${server.url}/wp-json/wc/v3/orders/727`]);
    expect(server.received[0]?.headers.authorization).toBe(`Basic ${Buffer.from('ck_env:cs_env').toString('base64')}`);
  });

  it('reports a missing token or key with its YAML path and env var', () => {
    const shopify = problems('orders:\n  connector: shopify\n  shopify:\n    shop: pawsome.myshopify.com\n    accessToken: ${SHOPIFY_ACCESS_TOKEN}');
    expect(shopify).toMatch(/orders\.shopify\.accessToken \(env SHOPIFY_ACCESS_TOKEN\): the Admin API access token is required/);

    const woo = problems(
      'orders:\n  connector: woocommerce\n  woocommerce:\n    baseUrl: https://shop.example\n    consumerKey: ${WC_CONSUMER_KEY}\n    consumerSecret: ${WC_CONSUMER_SECRET}',
      { WC_CONSUMER_KEY: 'ck_x' },
    );
    expect(woo).toMatch(/orders\.woocommerce\.consumerSecret \(env WC_CONSUMER_SECRET\): the key's consumer secret is required/);
    expect(woo).not.toMatch(/consumerKey/);

    expect(problems('orders:\n  connector: shopify')).toMatch(/orders\.shopify: orders\.shopify \{ shop, accessToken \} is required/);
    const both = problems('orders:\n  connector: shopify\n  shopify: { shop: "${SHOPIFY_SHOP}", clientId: id }');
    expect(both).toMatch(/orders\.shopify\.shop \(env SHOPIFY_SHOP\): the store's myshopify\.com domain is required/);
    expect(both).toMatch(/orders\.shopify\.clientSecret: the app's client secret is required with clientId/);
  });

  it('rejects a non-myshopify shop, a plain-http WooCommerce address and a made-up API version', () => {
    expect(problems('orders:\n  connector: shopify\n  shopify: { shop: pawsome-supplies.com, accessToken: t }')).toMatch(
      /orders\.shopify\.shop: use the store's myshopify\.com domain/,
    );
    expect(problems('orders:\n  connector: shopify\n  shopify: { shop: pawsome.myshopify.com, accessToken: t, apiVersion: "2026-05" }')).toMatch(
      /orders\.shopify\.apiVersion/,
    );
    expect(problems('orders:\n  connector: woocommerce\n  woocommerce: { baseUrl: "http://shop.example", consumerKey: ck, consumerSecret: cs }')).toMatch(
      /orders\.woocommerce\.baseUrl: use https:\/\//,
    );
    expect(parse('orders:\n  connector: shopify\n  shopify: { shop: pawsome.myshopify.com, clientId: id, clientSecret: secret }').orders.connector).toBe(
      'shopify',
    );
  });
});
