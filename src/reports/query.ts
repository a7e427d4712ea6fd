/**
 * What every report query shares: the period and its days, the filters as SQL on a
 * conversation, and small helpers for the figures (rates, percentiles).
 */
import type { SqlReader, SqlValue } from '../store/driver.js';
import { type Day, BUCKET_MS, daysValues, localMidnight, addDays, periodDays, wallClock } from './range.js';
import type { ReportColumn, ReportFilters, ColumnType } from './types.js';

/** Prices by provider id, per million characters / tokens. */
export type Prices = Readonly<Record<string, { perMillionCharacters: number; perMillionTokens: number }>>;

/** One report run: the database's reader, the filters, the period's local days and bounds. */
export interface ReportContext {
  db: SqlReader;
  filters: ReportFilters;
  days: Day[];
  /** The period's first instant and the instant after it, `[lo, hi)`. */
  lo: number;
  hi: number;
  prices: Prices;
}

export function reportContext(db: SqlReader, filters: ReportFilters, prices: Prices): ReportContext {
  const days = periodDays(filters.from, filters.to, filters.timeZone);
  return { db, filters, days, lo: localMidnight(filters.from, filters.timeZone), hi: localMidnight(addDays(filters.to, 1), filters.timeZone), prices };
}

/** `WITH d(i, lo, hi) AS (VALUES ...)`: the period's days, joined on by time. */
export const daysCte = (ctx: ReportContext) => `d(i, lo, hi) AS (VALUES ${daysValues(ctx.days)})`;

/** The same with `blo`/`bhi`, the days' bounds in 15-minute buckets (`report_activity.bucket`), for `days` (default: the period's). */
export const bucketDaysCte = (days: readonly Day[]) =>
  `d(i, lo, hi, blo, bhi) AS (VALUES ${days.map((d, i) => `(${i}, ${d.lo}, ${d.hi}, ${d.lo / BUCKET_MS}, ${d.hi / BUCKET_MS})`).join(', ')})`;

/**
 * The filters as conditions on the conversation aliased `c`: its channel, its (the shopper's)
 * language, and a team it was handed to or resolved by.
 */
export function conversationFilter(ctx: ReportContext, c = 'c', id = `${c}.id`): { sql: string; params: SqlValue[] } {
  const { channel, language, team } = ctx.filters;
  const parts: string[] = [];
  const params: SqlValue[] = [];
  const where = (sql: string, value: string | undefined) => {
    if (value === undefined) return;
    parts.push(sql);
    params.push(value);
  };
  where(`${c}.channel_id = ?`, channel);
  where(`${c}.language = ?`, language);
  // A set built once and probed per row. The cast keeps SQLite from driving the query from the
  // set (a lookup per conversation, then every day for each row) instead of the time index.
  where(`CAST(${id} AS TEXT) IN (SELECT te.conversation_id FROM report_events te WHERE te.kind IN ('handoff', 'resolved') AND te.team_id = ?)`, team);
  return { sql: parts.map((p) => ` AND ${p}`).join(''), params };
}

/**
 * SQL for the index into `ctx.days` of the local day holding the 15-minute bucket `column`, for
 * buckets in the period: the bucket moved by the zone's offset (in buckets, changing only at the
 * period's DST transitions, found here), divided into days. Integer arithmetic on both databases.
 */
export function dayOf(ctx: ReportContext, column: string): string {
  const offsetAt = (bucket: number) => {
    const { date, hour, minute } = wallClock(bucket * BUCKET_MS, ctx.filters.timeZone);
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    return Date.UTC(y, m - 1, d, hour, minute) / BUCKET_MS - bucket;
  };
  const steps: [number, number][] = [];
  let current = offsetAt(ctx.lo / BUCKET_MS);
  for (const day of ctx.days) {
    for (let b = day.lo / BUCKET_MS; b < day.hi / BUCKET_MS && offsetAt(day.hi / BUCKET_MS - 1) !== current; b++) {
      const offset = offsetAt(b);
      if (offset !== current) steps.unshift([b, (current = offset)]);
    }
  }
  const first = offsetAt(ctx.lo / BUCKET_MS);
  const offset = steps.length ? `CASE ${steps.map(([b, o]) => `WHEN ${column} >= ${b} THEN ${o}`).join(' ')} ELSE ${first} END` : String(first);
  const day0 = Date.parse(`${ctx.filters.from}T00:00:00Z`) / 86_400_000;
  return `((${column} + ${offset}) / ${86_400_000 / BUCKET_MS} - ${day0})`;
}

export const num = (v: unknown): number => Number(v ?? 0);

/** `part / whole` as 0..1 (4 decimals), or null when there is no whole. */
export const rate = (part: number, whole: number): number | null => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);

/** Nearest-rank percentile of sorted values (`p` 0..100), or null for none. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (!sorted.length) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? null;
}

/** The rounded mean, or null for none. */
export const mean = (values: readonly number[]): number | null => (values.length ? Math.round(values.reduce((s, v) => s + v, 0) / values.length) : null);

/** Columns from `[key, type]` pairs; the label is the key (`reports.columns.<key>`). */
export const columns = (...defs: [string, ColumnType][]): ReportColumn[] => defs.map(([key, type]) => ({ key, type, label: key }));

/** Adds `values` to the counters kept under `key`. */
export function tally<K>(map: Map<K, number[]>, key: K, values: readonly number[]): void {
  const sums = map.get(key) ?? values.map(() => 0);
  values.forEach((v, i) => (sums[i] = (sums[i] ?? 0) + v));
  map.set(key, sums);
}
