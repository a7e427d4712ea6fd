/** Both databases the store runs on, for tests that must hold on each: a fresh SQLite file, a fresh Postgres schema. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresDriver, type SqlDriver, SqliteDriver } from '../../src/store/index.js';

const POSTGRES_URL = process.env.PARLEY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  name: 'sqlite' | 'postgres';
  /** A new, empty database (not migrated yet); `storage` is its `storage:` block for a gateway config. */
  open(): { driver: SqlDriver; storage: string; cleanup(): Promise<void> };
}

export const databases: TestDatabase[] = [
  {
    name: 'sqlite',
    open() {
      const dir = mkdtempSync(join(tmpdir(), 'parley-db-'));
      const path = join(dir, 'parley.db');
      const driver = new SqliteDriver({ path });
      return {
        driver,
        storage: `{ driver: sqlite, sqlite: { path: "${path}" }, dataDir: "${dir}" }`,
        async cleanup() {
          await driver.close().catch(() => undefined);
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'postgres',
    open() {
      const schema = `parley_t_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
      const driver = new PostgresDriver({ url: POSTGRES_URL, schema });
      return {
        driver,
        storage: `{ driver: postgres, postgres: { url: "${POSTGRES_URL}", schema: ${schema} }, dataDir: "${join(tmpdir(), schema)}" }`,
        async cleanup() {
          await driver.close().catch(() => undefined);
          const admin = new PostgresDriver({ url: POSTGRES_URL });
          await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
          await admin.close();
        },
      };
    },
  },
];

/** Every row of every table (but the migrations log), as JSON text per table: "is X still anywhere?". */
export async function everyRow(driver: SqlDriver): Promise<Map<string, string>> {
  const tables =
    driver.dialect === 'sqlite'
      ? await driver.all<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
      : await driver.all<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()`);
  const out = new Map<string, string>();
  for (const { name } of tables) {
    if (name === 'schema_migrations') continue;
    out.set(name, JSON.stringify(await driver.all(`SELECT * FROM ${name}`)));
  }
  return out;
}
