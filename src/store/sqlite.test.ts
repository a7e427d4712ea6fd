import { afterEach, describe, expect, it } from 'vitest';
import { SqliteDriver } from './sqlite.js';

describe('SqliteDriver group commit', () => {
  let db: SqliteDriver | undefined;
  afterEach(async () => db?.close());

  it('commits transactions queued together, each rolled back alone when it fails', async () => {
    db = new SqliteDriver({ path: ':memory:' });
    await db.exec('CREATE TABLE t (k TEXT PRIMARY KEY)');
    const insert = (k: string, fail = false) =>
      db?.transaction(async (tx) => {
        await tx.run('INSERT INTO t (k) VALUES (?)', [k]);
        if (fail) throw new Error(`no ${k}`);
        return k;
      });
    // Queued in one go while the lock is busy: they share a batch.
    const results = await Promise.allSettled([insert('a'), insert('b', true), insert('c'), insert('a')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toContain('no b');
    expect(String((results[3] as PromiseRejectedResult).reason)).toContain('UNIQUE');
    expect(await db.all<{ k: string }>('SELECT k FROM t ORDER BY k')).toEqual([{ k: 'a' }, { k: 'c' }]);
  });

  it('resolves a batched transaction only once its work is committed', async () => {
    db = new SqliteDriver({ path: ':memory:' });
    await db.exec('CREATE TABLE t (k TEXT PRIMARY KEY)');
    const seen: number[] = [];
    await Promise.all(
      ['x', 'y', 'z'].map((k) =>
        db
          ?.transaction((tx) => tx.run('INSERT INTO t (k) VALUES (?)', [k]))
          .then(async () => {
            // Another statement outside the batch sees every row of it.
            seen.push((await db?.get<{ n: number }>('SELECT COUNT(*) AS n FROM t'))?.n ?? -1);
          }),
      ),
    );
    expect(seen).toEqual([3, 3, 3]);
  });
});
