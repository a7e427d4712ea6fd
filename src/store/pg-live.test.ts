import { afterAll, describe, expect, it } from 'vitest';
import type { LiveRelay } from '../core/live.js';
import { silentLogger } from '../core/ports.js';
import { liveChannel, openPostgresRelay, payloads } from './pg-live.js';
import { PostgresDriver } from './postgres.js';

const POSTGRES_URL = process.env.PARLEY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('Postgres live relay', () => {
  const schema = `parley_relay_t_${process.pid}`;
  const driver = new PostgresDriver({ url: POSTGRES_URL });
  const open: LiveRelay[] = [];
  const relay = async () => {
    const r = await openPostgresRelay({ url: POSTGRES_URL, schema, driver, log: silentLogger });
    open.push(r);
    return r;
  };
  afterAll(async () => {
    for (const r of open) await r.close();
    await driver.close();
  });

  it('carries a body larger than a NOTIFY payload to the other instances, not back to its publisher', async () => {
    const [one, two] = [await relay(), await relay()];
    const got: { one: unknown[]; two: unknown[] } = { one: [], two: [] };
    one.on('webchat', (b) => got.one.push(b));
    two.on('webchat', (b) => got.two.push(b));
    const big = { text: 'é漢'.repeat(6000), n: 1 };
    one.publish('webchat', { n: 0 });
    one.publish('webchat', big);
    one.publish('console', { n: 2 });
    await expect.poll(() => got.two.length, { timeout: 2000 }).toBe(2);
    expect(got.two).toEqual([{ n: 0 }, big]);
    expect(got.one).toEqual([]);
  });

  it('splits only what does not fit, into pieces that each fit', () => {
    expect(payloads('o', 'small')).toEqual(['small']);
    const pieces = payloads('o', 'x'.repeat(50_000));
    expect(pieces.length).toBe(10);
    for (const p of pieces) expect(Buffer.byteLength(p)).toBeLessThan(8000);
    expect(liveChannel('s'.repeat(80)).length).toBeLessThanOrEqual(63);
  });
});
