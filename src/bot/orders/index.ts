export { createOrderConnector } from './connect.js';
export { createFileOrderConnector, createMemoryOrderConnector } from './file.js';
export { createHttpOrderConnector, type HttpOrderConnectorOptions } from './http.js';
export { normalizeOrderId, type OrderConnector, OrderLookupError, type OrderRecord, orderSchema } from './types.js';
export {
  type CodeCheck,
  createLogOtpSender,
  createOrderAccess,
  maskEmail,
  type OrderAccess,
  type OrderAccessControl,
  type OrderAccessOptions,
  type OtpSender,
} from './verification.js';
