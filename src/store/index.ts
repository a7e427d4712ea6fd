export type { SqlDriver } from './driver.js';
export { PostgresDriver } from './postgres.js';
export { SqlStore } from './sql-store.js';
export { SqliteDriver } from './sqlite.js';
export type * from '../core/store.js';
