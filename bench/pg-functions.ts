/**
 * bench:pg-functions — what a server-side function would save a Postgres transaction, measured
 * before writing one (issue 16: "one server-side function call per step"). The same work, eight
 * writes (four updates, four inserts returning their rows) in one transaction, two ways:
 *
 * - as Parley issues a step now: BEGIN, the eight prepared statements and COMMIT pipelined on
 *   one connection and written to the socket together (src/store/postgres.ts);
 * - as one call of a PL/pgSQL function that runs the same eight statements, BEGIN and COMMIT
 *   pipelined with it.
 *
 * It prints the client's CPU (this process) and the database server's (every `postgres`
 * process, from /proc) per transaction, for each way, `--rounds` times interleaved. The last
 * line: `pg-functions: pipelined <ms> function <ms> ratio <r>` (client + server CPU per
 * transaction, the function's over the pipelined statements').
 *
 *   npm run bench:pg-functions [-- --transactions 3000 --rounds 2]
 */
import pg from 'pg';
import { numberArg, postgresCpuMs } from './parley-process.js';

const URL = process.env.PARLEY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const TRANSACTIONS = numberArg('transactions', 3000);
const ROUNDS = numberArg('rounds', 2);
const CONCURRENCY = 16;
const schema = `parley_bench_fn_${process.pid}`;

const admin = new pg.Client({ connectionString: URL });
await admin.connect();
await admin.query(`CREATE SCHEMA ${schema}`);
await admin.query(`SET search_path = ${schema}`);
await admin.query('CREATE TABLE t (id BIGSERIAL PRIMARY KEY, k TEXT NOT NULL, v TEXT NOT NULL, n BIGINT NOT NULL)');
await admin.query(`CREATE FUNCTION step(p jsonb) RETURNS SETOF t LANGUAGE plpgsql AS $$
BEGIN
  FOR i IN 1..4 LOOP
    UPDATE t SET n = n + 1 WHERE id = (p->>'id')::bigint;
    RETURN QUERY INSERT INTO t (k, v, n) VALUES (p->>'k', p->>'v', (p->>'n')::bigint) RETURNING *;
  END LOOP;
END $$`);

const pool = new pg.Pool({ connectionString: URL, max: 10, pipeline: true, options: `-c search_path=${schema}` });

/** A connection whose queries issued in this tick leave in one write, as src/store/postgres.ts does. */
async function connection(): Promise<pg.PoolClient> {
  const client = await pool.connect();
  const stream = (client as unknown as { connection: { stream: NodeJS.WritableStream & { cork(): void; uncork(): void } } }).connection.stream;
  stream.cork();
  process.nextTick(() => stream.uncork());
  return client;
}

async function pipelined(i: number): Promise<void> {
  const client = await connection();
  const queries = [client.query('BEGIN')];
  for (let j = 0; j < 4; j++) {
    queries.push(client.query({ name: 'update', text: 'UPDATE t SET n = n + 1 WHERE id = $1', values: [i] }));
    queries.push(client.query({ name: 'insert', text: 'INSERT INTO t (k, v, n) VALUES ($1, $2, $3) RETURNING *', values: [`k${i}`, 'a value', i] }));
  }
  queries.push(client.query('COMMIT'));
  await Promise.all(queries);
  client.release();
}

async function oneCall(i: number): Promise<void> {
  const client = await connection();
  const p = JSON.stringify({ id: i, k: `k${i}`, v: 'a value', n: i });
  await Promise.all([client.query('BEGIN'), client.query({ name: 'step', text: 'SELECT * FROM step($1::jsonb)', values: [p] }), client.query('COMMIT')]);
  client.release();
}

/** Client and server CPU (ms) per transaction. */
async function measure(run: (i: number) => Promise<void>): Promise<{ client: number; server: number }> {
  for (let i = 0; i < 300; i++) await run(i);
  const client0 = process.cpuUsage();
  const server0 = postgresCpuMs();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < TRANSACTIONS) await run(next++);
    }),
  );
  const client = process.cpuUsage(client0);
  return { client: (client.user + client.system) / 1000 / TRANSACTIONS, server: (postgresCpuMs() - server0) / TRANSACTIONS };
}

const totals = { pipelined: 0, function: 0 };
try {
  for (let round = 1; round <= ROUNDS; round++) {
    for (const [name, run] of [
      ['pipelined', pipelined],
      ['function', oneCall],
    ] as const) {
      const { client, server } = await measure(run);
      totals[name] += client + server;
      console.log(`round ${round} ${name.padEnd(9)}: client ${client.toFixed(3)} ms, server ${server.toFixed(3)} ms per transaction`);
    }
  }
} finally {
  await pool.end();
  await admin.query(`DROP SCHEMA ${schema} CASCADE`);
  await admin.end();
}
const perTx = (total: number) => (total / ROUNDS).toFixed(3);
console.log(`pg-functions: pipelined ${perTx(totals.pipelined)} function ${perTx(totals.function)} ratio ${(totals.function / totals.pipelined).toFixed(3)}`);
