export { describeIssues, eventSchema, eventTypes, identitiesSchema, isEventType, messageSchema, profileSchema } from './events.js';
export { SqlCareStore } from './sql-store.js';
export type * from './types.js';
export { type Care, createCare } from './care.js';
