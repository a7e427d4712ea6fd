import pg from 'pg';
import { type SqlDriver, type SqlExecutor, type SqlValue, storableParams } from './driver.js';

/** Options of the Postgres store. */
export interface PostgresOptions {
  /** Connection string, e.g. `postgres://127.0.0.1:5432/test`. */
  url: string;
  /** Schema to use (created if missing); lets tests and tenants share one database. */
  schema?: string;
  maxConnections?: number;
}

/** Numbers `?` placeholders as `$1, $2, ...` (statements never put `?` in literals). */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

function executor(query: (sql: string, params: readonly SqlValue[]) => Promise<pg.QueryResult>): SqlExecutor {
  return {
    all: async <T>(sql: string, params: readonly SqlValue[] = []) => (await query(numbered(sql), storableParams(params))).rows as T[],
    get: async <T>(sql: string, params: readonly SqlValue[] = []) => (await query(numbered(sql), storableParams(params))).rows[0] as T | undefined,
    run: async (sql: string, params: readonly SqlValue[] = []) => (await query(numbered(sql), storableParams(params))).rowCount ?? 0,
  };
}

// BIGINT columns hold millisecond timestamps and counters: read them as numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/** Postgres through node-postgres, for several gateway instances sharing one database. */
export class PostgresDriver implements SqlDriver {
  readonly dialect = 'postgres' as const;
  private readonly pool: pg.Pool;
  private readonly direct: SqlExecutor;

  constructor(options: PostgresOptions) {
    const schema = options.schema;
    if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`Invalid Postgres schema name "${schema}".`);
    this.pool = new pg.Pool({
      connectionString: options.url,
      max: options.maxConnections ?? 10,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    this.direct = executor((sql, params) => this.pool.query(sql, params as SqlValue[]));
    // Instances starting together race to create the schema; IF NOT EXISTS is not atomic, and the
    // loser sees a duplicate (unique_violation 23505 or duplicate_schema 42P06): the schema is there.
    if (schema) {
      this.schemaReady = this.pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`).then(
        () => undefined,
        (err: { code?: string }) => {
          if (err.code !== '23505' && err.code !== '42P06') throw err;
        },
      );
      // Reported by the first `exec` (migrations), not as an unhandled rejection meanwhile.
      this.schemaReady.catch(() => undefined);
    }
  }

  private schemaReady: Promise<void> = Promise.resolve();

  async all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return this.direct.all<T>(sql, params);
  }

  async get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return this.direct.get<T>(sql, params);
  }

  async run(sql: string, params?: readonly SqlValue[]): Promise<number> {
    return this.direct.run(sql, params);
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(executor((sql, params) => client.query(sql, params as SqlValue[])));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async lockKeys(tx: SqlExecutor, keys: readonly string[]): Promise<void> {
    const sorted = [...new Set(keys)].sort();
    if (sorted.length === 0) return;
    if (sorted.length === 1) {
      await tx.run('SELECT pg_advisory_xact_lock(hashtext(?))', sorted);
      return;
    }
    // A batch's keys in one round trip, taken in sorted order (the fenced subquery keeps it):
    // instances locking overlapping sets never wait on each other in a circle.
    await tx.all('SELECT pg_advisory_xact_lock(hashtext(k)) FROM (SELECT k FROM jsonb_array_elements_text(CAST(? AS jsonb)) AS k ORDER BY k OFFSET 0) s', [
      JSON.stringify(sorted),
    ]);
  }

  async exec(sql: string): Promise<void> {
    await this.schemaReady;
    await this.pool.query(sql);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
