export { createWooCommerceOrderConnector, type WooCommerceOrderConnectorOptions } from './connector.js';
