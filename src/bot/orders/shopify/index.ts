export { createShopifyOrderConnector, SHOPIFY_DEFAULT_API_VERSION } from './connector.js';
