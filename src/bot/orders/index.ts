export { createOrderConnector, type OrderConnectorDeps } from './connect.js';
export { createFileOrderConnector, createMemoryOrderConnector } from './file.js';
export { createHttpOrderConnector, type HttpOrderConnectorOptions } from './http.js';
export { createShopifyOrderConnector, SHOPIFY_DEFAULT_API_VERSION, type ShopifyCredentials, type ShopifyOrderConnectorOptions } from './shopify/index.js';
export { normalizeOrderId, type OrderConnector, OrderLookupError, type OrderRecord, orderSchema, ORDER_STATUSES, type OrderStatus } from './types.js';
export { createOrderHelp, type OrderHelpDeps } from './help.js';
export { findCode, findOrderNumbers, normalizeDigits, withoutCode } from './numbers.js';
export { describeOrder, type OrderIntent } from './replies.js';
export {
  type AccessState,
  type CodeCheck,
  createLogOtpSender,
  memoryAccessState,
  createOrderAccess,
  maskEmail,
  type OrderAccess,
  type OrderAccessControl,
  type OrderAccessOptions,
  type OtpSender,
} from './verification.js';
export { createWooCommerceOrderConnector, type WooCommerceOrderConnectorOptions } from './woocommerce/index.js';
