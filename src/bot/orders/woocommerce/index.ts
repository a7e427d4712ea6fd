export { createWooCommerceOrderConnector } from './connector.js';
