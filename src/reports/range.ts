/**
 * Report periods in the reader's time zone: a period is whole local days, `from` to `to`
 * inclusive. Days are bounded by local midnights (a DST day has 23 or 25 hours); hours of the
 * day are read from 15-minute buckets, which every zone's offset is a multiple of, so bucketing
 * in SQL stays plain integer arithmetic on both databases and exact in every zone.
 */

/** The width of the buckets hour-of-day figures are counted in: the store's. */
export { BUCKET_MS } from '../store/report-aggregates.js';

/** One local day of a period: its date and the instants it spans, `[lo, hi)`. */
export interface Day {
  date: string;
  lo: number;
  hi: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall clock at `at` in `timeZone`: date `YYYY-MM-DD` and hour 0–23. */
export function wallClock(at: number, timeZone: string): { date: string; hour: number; minute: number } {
  const parts = formatter(timeZone).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const date = `${String(get('year')).padStart(4, '0')}-${String(get('month')).padStart(2, '0')}-${String(get('day')).padStart(2, '0')}`;
  return { date, hour: get('hour'), minute: get('minute') };
}

/** The zone's offset from UTC at `at`, in ms. */
function offsetAt(at: number, timeZone: string): number {
  const { date, hour, minute } = wallClock(at, timeZone);
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d, hour, minute) - Math.floor(at / 60_000) * 60_000;
}

/** The instant local midnight starts `date` (`YYYY-MM-DD`) in `timeZone`. */
export function localMidnight(date: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const utc = Date.UTC(y, m - 1, d);
  const guess = utc - offsetAt(utc, timeZone);
  return utc - offsetAt(guess, timeZone);
}

/** `date` plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The calendar days from `from` to `to`, inclusive. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/**
 * Every local day of the period with its bounds.
 *
 * @example
 * ```ts
 * periodDays('2024-03-31', '2024-03-31', 'Europe/Berlin'); // one 23-hour day: hi - lo === 23 * 3_600_000
 * ```
 */
export function periodDays(from: string, to: string, timeZone: string): Day[] {
  const days: Day[] = [];
  let lo = localMidnight(from, timeZone);
  for (let i = 0, n = daysBetween(from, to); i < n; i++) {
    const date = addDays(from, i);
    const hi = localMidnight(addDays(date, 1), timeZone);
    days.push({ date, lo, hi });
    lo = hi;
  }
  return days;
}

/** The days as a SQL `VALUES` list `(i, lo, hi)`: integers computed here, never input text. */
export function daysValues(days: readonly Day[]): string {
  return days.map((d, i) => `(${i}, ${d.lo}, ${d.hi})`).join(', ');
}
