export { createOrderConnector } from './connect.js';
export { createFileOrderConnector } from './file.js';
export { createHttpOrderConnector } from './http.js';
export { SHOPIFY_DEFAULT_API_VERSION } from './shopify/index.js';
export { normalizeOrderId, type OrderConnector, OrderLookupError, type OrderRecord } from './types.js';
export {
  type AccessState,
  createLogOtpSender,
  memoryAccessState,
  createOrderAccess,
  maskEmail,
  type OrderAccessControl,
  type OtpSender,
} from './verification.js';
