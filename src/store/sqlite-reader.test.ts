import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteDriver } from './sqlite.js';
import { ReaderError } from './sqlite-reader.js';

// Millions of rows counted one by one: a few hundred milliseconds of SQLite work, like a report
// over a large history.
const HEAVY = `WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 5000000) SELECT COUNT(*) AS n FROM r`;

describe('SqliteDriver reader', () => {
  let dir: string | undefined;
  let db: SqliteDriver | undefined;
  afterEach(async () => {
    await db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    db = dir = undefined;
  });

  const open = async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-reader-'));
    db = new SqliteDriver({ path: join(dir, 'parley.db') });
    await db.exec('CREATE TABLE t (k TEXT PRIMARY KEY)');
    return db;
  };

  it('runs a slow read beside the writer: a write issued during it commits before it ends', async () => {
    const driver = await open();
    const reader = driver.reader();
    expect(reader).not.toBe(driver);
    await reader.get('SELECT 1 AS one'); // the thread is up
    const ended: string[] = [];
    const report = reader.get<{ n: number }>(HEAVY).then((row) => (ended.push('report'), row));
    // Were the report on the main connection, this timer would fire only after it.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await driver.transaction((tx) => tx.run('INSERT INTO t (k) VALUES (?)', ['during'])).then(() => ended.push('write'));
    expect(ended).toEqual(['write']);
    expect((await report)?.n).toBe(5_000_000);
    expect(ended).toEqual(['write', 'report']);
    // What was committed is there for the next read.
    expect(await reader.all('SELECT k FROM t')).toEqual([{ k: 'during' }]);
  });

  it('fails a bad query or a write with a clean error and keeps serving', async () => {
    const driver = await open();
    const reader = driver.reader();
    const missing = await reader.all('SELECT * FROM nowhere').catch((err: unknown) => err);
    expect(missing).toBeInstanceOf(ReaderError);
    expect(missing).toMatchObject({ code: 'SQLITE_ERROR', message: expect.stringContaining('no such table: nowhere') });
    await driver.run('INSERT INTO t (k) VALUES (?)', ['kept']);
    const write = await reader.all('DELETE FROM t RETURNING k').catch((err: unknown) => err);
    expect(write).toMatchObject({ code: 'SQLITE_READONLY' });
    expect(await reader.all('SELECT k FROM t')).toEqual([{ k: 'kept' }]);
  });

  it('lets a query already sent finish when the driver closes, and refuses the ones after', async () => {
    const driver = await open();
    const reader = driver.reader();
    const running = reader.get<{ n: number }>(HEAVY);
    await driver.close();
    db = undefined;
    expect((await running)?.n).toBe(5_000_000);
    await expect(reader.all('SELECT 1')).rejects.toThrow(/closed/);
  });

  it('reads on the one connection of an in-memory database', async () => {
    db = new SqliteDriver({ path: ':memory:' });
    expect(db.reader()).toBe(db);
  });
});
