export type { SqlDriver, SqlExecutor, SqlValue } from './driver.js';
export { PostgresDriver, type PostgresOptions } from './postgres.js';
export { SqlStore } from './sql-store.js';
export { SqliteDriver, type SqliteOptions } from './sqlite.js';
export type * from '../core/store.js';
