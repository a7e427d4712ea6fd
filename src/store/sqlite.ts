import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { type SqlDriver, type SqlExecutor, type SqlReader, type SqlValue, storableParams } from './driver.js';
import { PriorityLock } from './priority-lock.js';
import { endWorker, SqliteReader } from './sqlite-reader.js';

/** Options of the embedded SQLite database. */
export interface SqliteOptions {
  /** File path, or `:memory:`. */
  path: string;
  /**
   * `normal` (default) survives a killed process: WAL commits are durable against application
   * crashes, not against power loss. `full` fsyncs every commit and survives power loss too.
   */
  synchronous?: 'normal' | 'full';
}

const CHECKPOINT_EVERY_MS = 1000;
// Transactions queued together share one commit, up to this many (a batch holds the lock).
const MAX_BATCH = 32;

/** A transaction waiting for its batch. */
interface QueuedTransaction {
  fn: (tx: SqlExecutor) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

// The checkpointer's own connection, in a thread of its own. A checkpoint copies the WAL into
// the database file and fsyncs it: tens of milliseconds under load, during which the main
// thread's connection would stall every acknowledgement and turn behind it. PASSIVE never
// waits for (or blocks) the writer; SQLite coordinates the two connections through the WAL.
const CHECKPOINTER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
const timer = setInterval(() => db.pragma('wal_checkpoint(PASSIVE)'), workerData.everyMs);
parentPort.once('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

/**
 * SQLite through better-sqlite3. better-sqlite3 is synchronous and has one connection, so a
 * transaction that awaits must not let other statements interleave: every operation queues
 * behind one lock, where urgent transactions (accepting webhooks) go first.
 *
 * Transactions that queue up while the lock is busy share one commit (group commit), each in
 * a savepoint of its own: one that fails rolls back alone, and every caller resolves only after
 * the commit that holds its work. A commit writes each changed page to the WAL, and concurrent
 * turns change the same few pages (the ends of the same indexes), so a shared commit writes a
 * fraction of what their separate commits would.
 */
export class SqliteDriver implements SqlDriver {
  readonly dialect = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly lock = new PriorityLock();
  private readonly direct: SqlExecutor;
  private readonly cache = new Map<string, Database.Statement>();
  private checkpointTimer: NodeJS.Timeout | undefined;
  private checkpointer: Worker | undefined;
  private readonly readOnly: SqliteReader | undefined;
  private readonly begin: Database.Statement;
  private readonly commit: Database.Statement;
  private readonly rollback: Database.Statement;
  private readonly savepoint: Database.Statement;
  private readonly release: Database.Statement;
  private readonly rollbackTo: Database.Statement;
  private readonly lanes = { urgent: [] as QueuedTransaction[], background: [] as QueuedTransaction[] };

  constructor(options: SqliteOptions) {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    this.db = new Database(options.path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    // Checkpoints fsync the database file. Left to SQLite they run inside whichever commit
    // crosses 1000 WAL pages, so a webhook's acknowledgement pays for them; here another
    // thread runs them (see CHECKPOINTER), and the automatic one stays only as a ceiling.
    this.db.pragma('wal_autocheckpoint = 20000');
    if (options.path !== ':memory:') {
      this.readOnly = new SqliteReader(options.path);
      // The thread starts with the first tick: short-lived databases (tests, tools) never need it.
      this.checkpointTimer = setInterval(() => this.checkpoint(options.path), CHECKPOINT_EVERY_MS);
      this.checkpointTimer.unref();
    }
    // Prepared once: parsing BEGIN/COMMIT on every transaction shows up in profiles.
    this.begin = this.db.prepare('BEGIN IMMEDIATE');
    this.commit = this.db.prepare('COMMIT');
    this.rollback = this.db.prepare('ROLLBACK');
    this.savepoint = this.db.prepare('SAVEPOINT tx');
    this.release = this.db.prepare('RELEASE tx');
    this.rollbackTo = this.db.prepare('ROLLBACK TO tx');
    this.direct = {
      all: async <T>(sql: string, params: readonly SqlValue[] = []) => this.stmt(sql).all(...storableParams(params)) as T[],
      get: async <T>(sql: string, params: readonly SqlValue[] = []) => this.stmt(sql).get(...storableParams(params)) as T | undefined,
      run: async (sql: string, params: readonly SqlValue[] = []) => this.stmt(sql).run(...storableParams(params)).changes,
    };
  }

  private checkpoint(path: string): void {
    if (this.checkpointer) return;
    try {
      const module = createRequire(import.meta.url).resolve('better-sqlite3');
      const worker = new Worker(CHECKPOINTER, { eval: true, workerData: { path, module, everyMs: CHECKPOINT_EVERY_MS } });
      worker.unref();
      // Without the thread (it failed to start or died), checkpoints run here, between jobs.
      worker.once('error', () => (this.checkpointer = undefined));
      this.checkpointer = worker;
      clearInterval(this.checkpointTimer);
      this.checkpointTimer = setInterval(() => {
        if (!this.checkpointer) void this.locked(async () => this.db.pragma('wal_checkpoint(PASSIVE)'));
      }, CHECKPOINT_EVERY_MS);
      this.checkpointTimer.unref();
    } catch {
      void this.locked(async () => this.db.pragma('wal_checkpoint(PASSIVE)'));
    }
  }

  private stmt(sql: string): Database.Statement {
    let stmt = this.cache.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.cache.set(sql, stmt);
    }
    return stmt;
  }

  private locked<T>(fn: () => Promise<T>, urgent = false): Promise<T> {
    return this.lock.run(fn, urgent);
  }

  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return this.locked(() => this.direct.all<T>(sql, params));
  }

  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return this.locked(() => this.direct.get<T>(sql, params));
  }

  /** A write on its own joins the queued transactions' shared commit rather than paying for one. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number> {
    return this.transaction((tx) => tx.run(sql, params));
  }

  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>, options: { urgent?: boolean } = {}): Promise<T> {
    const urgent = options.urgent === true;
    const lane = urgent ? this.lanes.urgent : this.lanes.background;
    return new Promise<T>((resolve, reject) => {
      lane.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      // The first one queued asks for the lock; whoever queues before it is granted joins the batch.
      if (lane.length === 1) void this.locked(() => this.runBatch(lane, urgent), urgent);
    });
  }

  private async runBatch(lane: QueuedTransaction[], urgent: boolean): Promise<void> {
    const batch = lane.splice(0, MAX_BATCH);
    if (lane.length > 0) void this.locked(() => this.runBatch(lane, urgent), urgent);
    const [only] = batch;
    if (batch.length === 1 && only) return this.runAlone(only);
    const done: [QueuedTransaction, unknown][] = [];
    for (const tx of batch) {
      try {
        if (!this.db.inTransaction) this.begin.run();
        this.savepoint.run();
        const result = await tx.fn(this.direct);
        this.release.run();
        done.push([tx, result]);
      } catch (err) {
        if (!this.undo()) {
          // The whole transaction is gone (SQLite rolls it back on I/O errors or a full disk):
          // the work of the ones before went with it, so they fail too.
          for (const [earlier] of done.splice(0)) earlier.reject(err);
        }
        tx.reject(err);
      }
    }
    try {
      if (this.db.inTransaction) this.commit.run();
    } catch (err) {
      if (this.db.inTransaction) this.rollback.run();
      for (const [tx] of done) tx.reject(err);
      return;
    }
    for (const [tx, result] of done) tx.resolve(result);
  }

  /** Rolls back to the savepoint; false when the whole transaction had to go. */
  private undo(): boolean {
    if (!this.db.inTransaction) return false;
    try {
      this.rollbackTo.run();
      this.release.run();
      return true;
    } catch {
      if (this.db.inTransaction) this.rollback.run();
      return false;
    }
  }

  private async runAlone(tx: QueuedTransaction): Promise<void> {
    try {
      this.begin.run();
      const result = await tx.fn(this.direct);
      this.commit.run();
      tx.resolve(result);
    } catch (err) {
      if (this.db.inTransaction) this.rollback.run();
      tx.reject(err);
    }
  }

  /** A read-only connection in a worker thread (src/store/sqlite-reader.ts); `:memory:` has only this one. */
  reader(): SqlReader {
    return this.readOnly ?? this;
  }

  /** One connection writes at a time (`BEGIN IMMEDIATE`): transactions are serialised already. */
  async lockKeys(): Promise<void> {}

  exec(sql: string): Promise<void> {
    return this.locked(async () => {
      this.db.exec(sql);
    });
  }

  async close(): Promise<void> {
    clearInterval(this.checkpointTimer);
    await this.readOnly?.close();
    const worker = this.checkpointer;
    this.checkpointer = undefined;
    if (worker) await endWorker(worker);
    await this.lock.drain();
    this.db.close();
  }
}
