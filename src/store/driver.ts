/**
 * The small SQL surface both databases share. Statements are written once with `?`
 * placeholders; the Postgres driver numbers them. Dialect differences live in the drivers and
 * in the `{{...}}` tokens of the migrations, nowhere else.
 */
import { storable } from '../core/input.js';

export type SqlValue = string | number | bigint | null;

/**
 * Parameters as every database holds them: text with NUL and lone surrogates replaced by U+FFFD
 * (src/core/input.ts). Postgres refuses NUL in text ("invalid byte sequence for encoding UTF8:
 * 0x00"), and both drivers would silently alter a lone surrogate: one rule, in both drivers, so
 * any write (and any lookup) reads back the same on either.
 */
export function storableParams(params: readonly SqlValue[]): SqlValue[] {
  return params.map((p) => (typeof p === 'string' ? storable(p) : p));
}

/** Runs statements; inside a transaction, on its connection. */
export interface SqlExecutor {
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  /** Returns the number of rows changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
}

/** Runs read-only statements that may take long (reports), away from the writers' path. */
export interface SqlReader {
  readonly dialect: 'sqlite' | 'postgres';
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
}

/** A database connection (or pool) Parley's store runs on. */
export interface SqlDriver extends SqlExecutor {
  readonly dialect: 'sqlite' | 'postgres';
  /**
   * Where long reads go so they do not hold up webhooks and turns: on SQLite a read-only
   * connection of its own in a worker thread (started on first use, closed with the driver; an
   * in-memory database has only its one connection); on Postgres the pool.
   */
  reader(): SqlReader;
  /**
   * Runs `fn` in one transaction; rolls back if it throws. `urgent` transactions (accepting a
   * webhook before its acknowledgement) go ahead of background work where the driver queues.
   * `atOnce` promises that `fn` issues all its statements before its first `await` and decides
   * nothing from their results: the commit may then go out with them (one round trip on
   * Postgres); a failed statement still rolls everything back.
   */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>, options?: { urgent?: boolean; atOnce?: boolean }): Promise<T>;
  /**
   * Inside a transaction: makes other transactions that lock any of the same `keys` wait until
   * this one ends. A no-op where one writer runs at a time (SQLite); transaction-scoped advisory
   * locks on Postgres, taken in sorted order so two transactions cannot deadlock on them.
   */
  lockKeys(tx: SqlExecutor, keys: readonly string[]): Promise<void>;
  /** Runs a script of several statements (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}
