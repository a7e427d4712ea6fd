import { afterAll, describe, expect, it } from 'vitest';
import { SqliteDriver } from '../store/index.js';
import { dayOf, reportContext } from './query.js';
import { BUCKET_MS, periodDays, wallClock } from './range.js';

const db = new SqliteDriver({ path: ':memory:' });
afterAll(() => db.close());

describe('local days of 15-minute buckets, in SQL', () => {
  it.each([
    ['Europe/Berlin', '2026-03-26', '2026-04-01'], // spring forward: a 23-hour day
    ['America/New_York', '2026-10-29', '2026-11-03'], // fall back: a 25-hour day
    ['Asia/Kolkata', '2026-01-01', '2026-01-03'], // +05:30
    ['America/St_Johns', '2026-03-06', '2026-03-10'], // -03:30 / -02:30
  ])('%s %s…%s: every bucket falls on its wall-clock date', async (timeZone, from, to) => {
    const ctx = reportContext(db, { from, to, timeZone }, {});
    const dates = ctx.days.map((d) => d.date);
    const buckets = Array.from({ length: (ctx.hi - ctx.lo) / BUCKET_MS }, (_, k) => ctx.lo / BUCKET_MS + k);
    const rows: { b: number; i: number }[] = [];
    for (let k = 0; k < buckets.length; k += 400) {
      const sql = buckets.slice(k, k + 400).map((b) => `SELECT ${b} AS b, ${dayOf(ctx, String(b))} AS i`);
      rows.push(...(await db.all<{ b: number; i: number }>(sql.join(' UNION ALL '))));
    }
    expect(rows.length).toBe(buckets.length);
    for (const r of rows) expect([r.b, dates[r.i]]).toEqual([r.b, wallClock(r.b * BUCKET_MS, timeZone).date]);
  });

  it('a DST day has 23 or 25 hours', () => {
    expect(periodDays('2026-03-29', '2026-03-29', 'Europe/Berlin').map((d) => (d.hi - d.lo) / 3_600_000)).toEqual([23]);
    expect(periodDays('2026-11-01', '2026-11-01', 'America/New_York').map((d) => (d.hi - d.lo) / 3_600_000)).toEqual([25]);
  });
});
