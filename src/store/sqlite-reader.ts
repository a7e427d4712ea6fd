import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { type SqlReader, type SqlValue, storableParams } from './driver.js';

// A read-only connection in a thread of its own. better-sqlite3 is synchronous: a 250 ms report
// on the gateway's connection would hold every webhook's acknowledgement and every turn for
// 250 ms. In WAL mode readers and the writer run side by side, each reader on its snapshot.
// Statements are cached, but reports inline their period's days, so the cache is bounded.
const READER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.path, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
const cache = new Map();
parentPort.on('message', (m) => {
  if (m === 'close') { db.close(); parentPort.close(); return; }
  try {
    let stmt = cache.get(m.sql);
    if (!stmt) {
      if (cache.size >= 256) cache.clear();
      stmt = db.prepare(m.sql);
      cache.set(m.sql, stmt);
    }
    parentPort.postMessage({ id: m.id, rows: m.one ? stmt.get(...m.params) : stmt.all(...m.params) });
  } catch (err) {
    parentPort.postMessage({ id: m.id, error: { message: String((err && err.message) || err), code: err && err.code } });
  }
});
`;

interface Reply {
  id: number;
  rows?: unknown;
  error?: { message: string; code?: string };
}

/** A query failed on the reader: SQLite's message and code (`SQLITE_ERROR`, `SQLITE_READONLY`…). */
export class ReaderError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'ReaderError';
  }
}

/**
 * Reads on a read-only connection in a worker thread, queued there in order. The thread starts
 * with the first query and is held open (ref'd) only while queries wait, so an idle reader never
 * keeps a process alive; one that dies fails its waiting queries and the next query starts another.
 */
export class SqliteReader implements SqlReader {
  readonly dialect = 'sqlite' as const;
  private worker: Worker | undefined;
  private readonly waiting = new Map<number, { resolve(rows: unknown): void; reject(err: Error): void }>();
  private lastId = 0;
  private closed = false;

  constructor(private readonly path: string) {}

  all<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.query(sql, params, false) as Promise<T[]>;
  }

  get<T>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    return this.query(sql, params, true) as Promise<T | undefined>;
  }

  private query(sql: string, params: readonly SqlValue[], one: boolean): Promise<unknown> {
    if (this.closed) return Promise.reject(new ReaderError('The database is closed; the query was not run.', undefined));
    return new Promise((resolve, reject) => {
      const worker = this.worker ?? this.start();
      const id = ++this.lastId;
      this.waiting.set(id, { resolve, reject });
      if (this.waiting.size === 1) worker.ref();
      worker.postMessage({ id, sql, params: storableParams(params), one });
    });
  }

  private start(): Worker {
    const module = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(READER, { eval: true, workerData: { path: this.path, module } });
    worker.unref();
    worker.on('message', (reply: Reply) => {
      const waiter = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) worker.unref();
      if (reply.error) waiter?.reject(new ReaderError(reply.error.message, reply.error.code));
      else waiter?.resolve(reply.rows);
    });
    // The connection could not open, or the thread died: its waiting queries fail, the next starts anew.
    worker.once('error', (err) => this.fail(worker, new ReaderError(`The report reader failed: ${err.message}`, undefined)));
    worker.once('exit', (code) => this.fail(worker, new ReaderError(`The report reader stopped (exit code ${code}).`, undefined)));
    this.worker = worker;
    return worker;
  }

  private fail(worker: Worker, err: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    for (const waiter of this.waiting.values()) waiter.reject(err);
    this.waiting.clear();
  }

  /** Lets queries already sent finish (for up to 2 s), then ends the thread. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    if (!worker) return;
    await endWorker(worker);
    this.fail(worker, new ReaderError('The database is closed; the query was not run.', undefined));
  }
}

/**
 * Asks a database thread (the reader, the checkpointer) to close its connection, waits up to 2 s
 * for it to exit, then ends it. The threads are unref'd, so while closing this one holds the event
 * loop open, or a process with nothing else left to do ends mid-close (exit code 13 on SIGTERM).
 */
export async function endWorker(worker: Worker): Promise<void> {
  worker.ref();
  let timer: NodeJS.Timeout | undefined;
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  worker.postMessage('close');
  await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 2000)))]);
  clearTimeout(timer);
  await worker.terminate();
}
