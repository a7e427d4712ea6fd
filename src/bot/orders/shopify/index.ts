export type { ShopifyCredentials } from './auth.js';
export { createShopifyOrderConnector, SHOPIFY_DEFAULT_API_VERSION, type ShopifyOrderConnectorOptions } from './connector.js';
