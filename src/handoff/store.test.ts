import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlDriver } from '../store/driver.js';
import { PostgresDriver } from '../store/postgres.js';
import { SqlStore } from '../store/sql-store.js';
import { SqliteDriver } from '../store/sqlite.js';
import { HandoffStore, normalizeEmail } from './store.js';

const POSTGRES_URL = process.env.PARLEY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const backends = [
  {
    name: 'sqlite',
    open() {
      const dir = mkdtempSync(join(tmpdir(), 'parley-handoff-'));
      return { driver: new SqliteDriver({ path: join(dir, 'parley.db') }) as SqlDriver, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'postgres',
    open() {
      const schema = `parley_handoff_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
      return {
        driver: new PostgresDriver({ url: POSTGRES_URL, schema }) as SqlDriver,
        cleanup: async () => {
          const admin = new PostgresDriver({ url: POSTGRES_URL });
          await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
          await admin.close();
        },
      };
    },
  },
];

it('spells an e-mail one way whatever the case, spaces or compatibility forms', () => {
  expect(normalizeEmail('  Lead@Shop.Test ')).toBe('lead@shop.test');
  expect(normalizeEmail('ｌｅａｄ＠ｓｈｏｐ.ｔｅｓｔ')).toBe('lead@shop.test');
});

describe.each(backends)('HandoffStore on $name', (backend) => {
  let driver: SqlDriver;
  let handoffs: HandoffStore;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ driver, cleanup } = backend.open());
    await new SqlStore(driver).migrate();
    handoffs = new HandoffStore(driver);
  });
  afterAll(async () => {
    await driver?.close();
    await cleanup?.();
  });

  it('counts parallel sign-in attempts one by one, never from a stale read', async () => {
    const now = 1_000_000;
    const counts = await Promise.all(Array.from({ length: 40 }, () => handoffs.countLoginAttempt('email:a@shop.test', 60_000, now)));
    expect(counts.map((c) => c.attempts).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(new Set(counts.map((c) => c.resetAt))).toEqual(new Set([now + 60_000]));
    // The window does not move while attempts keep coming; after it, counting starts again.
    expect(await handoffs.countLoginAttempt('email:a@shop.test', 60_000, now + 59_999)).toEqual({ attempts: 41, resetAt: now + 60_000 });
    expect(await handoffs.countLoginAttempt('email:a@shop.test', 60_000, now + 60_000)).toEqual({ attempts: 1, resetAt: now + 120_000 });
    await handoffs.clearLoginAttempts('email:a@shop.test');
    expect((await handoffs.countLoginAttempt('email:a@shop.test', 60_000, now + 60_001)).attempts).toBe(1);
  });

  it('finds agents by their normalised e-mail and ends idle sessions', async () => {
    const agent = await handoffs.createAgent(
      { id: 'a1', email: ' Li@Shop.Test', name: 'Li', role: 'agent', language: 'en', languages: ['en'], skills: [], capacity: 5, passwordHash: 'x' },
      1,
    );
    expect(agent.email).toBe('li@shop.test');
    expect((await handoffs.credentials('ＬＩ@shop.test '))?.agent.id).toBe('a1');

    await handoffs.createSession('s1', 'a1', 'csrf', 10_000, 1_000);
    expect(await handoffs.getSession('s1', 2_000, 500)).toEqual({ agentId: 'a1', csrf: 'csrf', expiresAt: 10_000, lastSeenAt: 1_000 });
    expect(await handoffs.getSession('s1', 2_000, 1_000)).toBeUndefined();
    await handoffs.touchSession('s1', 3_000);
    expect((await handoffs.getSession('s1', 4_000, 2_000))?.lastSeenAt).toBe(3_000);
    expect(await handoffs.getSession('s1', 10_000, 0)).toBeUndefined();
  });
});
