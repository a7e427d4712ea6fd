import type { Writable } from 'node:stream';
import pg from 'pg';
import { type SqlDriver, type SqlExecutor, type SqlReader, type SqlValue, storableParams } from './driver.js';

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

/**
 * Statements as node-postgres sends them: numbered once, and named so that each connection
 * parses and plans a statement once (a named prepared statement) instead of on every call. The
 * names are per process and stable; past {@link MAX_PREPARED} distinct statements (lists of
 * `?` of every length) the rest go unnamed.
 */
const MAX_PREPARED = 500;
const statements = new Map<string, { text: string; name?: string }>();
function statement(sql: string): { text: string; name?: string } {
  let s = statements.get(sql);
  if (!s) {
    s = statements.size < MAX_PREPARED ? { text: numbered(sql), name: `parley_${statements.size}` } : { text: numbered(sql) };
    statements.set(sql, s);
  }
  return s;
}

type Query = (s: { text: string; name?: string; values: SqlValue[] }) => Promise<pg.QueryResult>;

function executor(query: Query): SqlExecutor {
  const send = (sql: string, params: readonly SqlValue[]) => query({ ...statement(sql), values: storableParams(params) });
  return {
    all: async <T>(sql: string, params: readonly SqlValue[] = []) => (await send(sql, params)).rows as T[],
    get: async <T>(sql: string, params: readonly SqlValue[] = []) => (await send(sql, params)).rows[0] as T | undefined,
    run: async (sql: string, params: readonly SqlValue[] = []) => (await send(sql, params)).rowCount ?? 0,
  };
}

/**
 * A pooled connection's queries, written to the socket together: the first statement issued in a
 * tick corks the socket and the tick's end uncorks it, so statements issued together (a turn's
 * commit, BEGIN with the first statements) leave in one write instead of one system call each —
 * on loopback each write also runs the receiving side's TCP work, and one write per statement was
 * a fifth of a Postgres turn's CPU. node-postgres corks around each statement itself; corks nest.
 */
function writesTogether(client: pg.PoolClient): Query {
  const stream = (client as unknown as { connection?: { stream?: Writable } }).connection?.stream;
  if (!stream || typeof stream.cork !== 'function') return (q) => client.query(q);
  const uncork = () => stream.uncork();
  return (q) => {
    if (stream.writableCorked === 0) {
      stream.cork();
      process.nextTick(uncork);
    }
    return client.query(q);
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
      // Statements a transaction issues without waiting for each other's results go out
      // together: one round trip for several (see {@link transaction}).
      pipeline: true,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    this.direct = executor((q) => this.pool.query(q));
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

  /** Reads run on the pool: each query takes a connection of its own. */
  reader(): SqlReader {
    return this;
  }

  async run(sql: string, params?: readonly SqlValue[]): Promise<number> {
    return this.direct.run(sql, params);
  }

  /**
   * BEGIN goes out with the transaction's first statements, not on its own round trip, and
   * statements issued together (`Promise.all`) are pipelined on the connection. A statement that
   * fails aborts the transaction: the ones behind it fail too and COMMIT answers ROLLBACK, which
   * is reported as an error rather than taken for a commit.
   */
  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>, options: { atOnce?: boolean } = {}): Promise<T> {
    const client = await this.pool.connect();
    const query = writesTogether(client);
    const begin = query({ text: 'BEGIN', values: [] });
    begin.catch(() => undefined);
    try {
      const running = fn(executor(query));
      const early = options.atOnce ? query({ text: 'COMMIT', values: [] }) : undefined;
      early?.catch(() => undefined);
      const result = await running;
      await begin;
      const commit = await (early ?? query({ text: 'COMMIT', values: [] }));
      if (commit.command !== 'COMMIT') throw new Error(`The transaction was rolled back (COMMIT answered ${commit.command}).`);
      client.release();
      return result;
    } catch (err) {
      // A connection whose rollback fails, or whose prepared statements no longer match the
      // tables (another instance migrated them), is closed rather than handed out again.
      const broken = await client.query('ROLLBACK').then(
        () => (err as { code?: string }).code === '0A000',
        () => true,
      );
      client.release(broken ? (err as Error) : undefined);
      throw err;
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
