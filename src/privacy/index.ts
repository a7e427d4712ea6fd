export { createRetention, type RetentionSettings } from './retention.js';
export { createPrivacy, type Privacy } from './service.js';
