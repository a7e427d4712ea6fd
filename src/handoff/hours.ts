/**
 * Business hours per team, pure: is the team open at an instant, and when does it open next.
 * Hours are wall-clock times in the team's IANA time zone (`Europe/Amsterdam`), so daylight
 * saving time is the time zone's business, not ours.
 */

/** The days of a week as they appear in the config. */
export const weekdays = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
type Weekday = (typeof weekdays)[number];

/** When a team works. Days without an entry are closed; a team with no hours at all is always open. */
export interface BusinessHours {
  timezone: string;
  /** `mon: '09:00-18:00'`; several ranges with commas: `'09:00-12:00,13:00-18:00'`. */
  hours?: Partial<Record<Weekday, string>>;
  /** Closed dates in the team's time zone, `YYYY-MM-DD`. */
  holidays?: readonly string[];
}

interface LocalTime {
  date: string;
  weekday: Weekday;
  minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock date, weekday and minute of the day at `at` in `timezone`. */
function localTime(at: number, timezone: string): LocalTime {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timezone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(new Date(at)).map((p) => [p.type, p.value]));
  const weekday = String(parts.weekday).slice(0, 3).toLowerCase() as Weekday;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, weekday, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

/** Parses `'09:00-12:00,13:00-18:00'` into minute ranges; throws on a malformed range. */
export function parseRanges(spec: string | undefined): [number, number][] {
  if (!spec || /^\s*(closed|-)?\s*$/i.test(spec)) return [];
  return spec.split(',').map((range) => {
    const m = /^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$/.exec(range);
    if (!m) throw new Error(`Business hours "${range.trim()}" are not HH:MM-HH:MM (e.g. 09:00-18:00).`);
    const from = Number(m[1]) * 60 + Number(m[2]);
    const to = Number(m[3]) * 60 + Number(m[4]);
    return [from, to === 0 ? 24 * 60 : to];
  });
}

function alwaysOpen(team: BusinessHours): boolean {
  return !team.hours || Object.keys(team.hours).length === 0;
}

/**
 * Whether the team works at `at`.
 *
 * @example
 * ```ts
 * isOpen({ timezone: 'Europe/Amsterdam', hours: { mon: '09:00-18:00' } }, Date.parse('2026-11-23T10:00:00Z')); // true (11:00 local)
 * ```
 */
export function isOpen(team: BusinessHours, at: number): boolean {
  if (alwaysOpen(team)) return true;
  const local = localTime(at, team.timezone);
  if (team.holidays?.includes(local.date)) return false;
  return parseRanges(team.hours?.[local.weekday]).some(([from, to]) => local.minutes >= from && local.minutes < to);
}

/**
 * The next instant the team opens after `at` (ms since epoch), or `at` itself when it is
 * open; undefined when it never opens in the next 60 days. Walks forward minute-exactly
 * through each local day's ranges, so time-zone offsets and DST shifts need no table.
 */
export function nextOpening(team: BusinessHours, at: number): number | undefined {
  if (isOpen(team, at)) return at;
  // Step to the next whole minute, then jump range starts day by day.
  let t = Math.floor(at / 60_000) * 60_000 + 60_000;
  const limit = at + 60 * 86_400_000;
  while (t < limit) {
    const local = localTime(t, team.timezone);
    const ranges = team.holidays?.includes(local.date) ? [] : parseRanges(team.hours?.[local.weekday]);
    const start = ranges
      .map(([from]) => from)
      .filter((from) => from > local.minutes)
      .sort((a, b) => a - b)[0];
    if (start !== undefined) {
      const candidate = t + (start - local.minutes) * 60_000;
      // A DST jump can move the wall clock: confirm, else keep walking from there.
      if (isOpen(team, candidate)) return candidate;
      t = candidate + 60_000;
      continue;
    }
    // Nothing later today: the next local midnight (wall clock), found from the minutes left.
    t += (24 * 60 - local.minutes) * 60_000;
  }
  return undefined;
}

/**
 * "Monday 09:00 CET" in the shopper's locale and the team's time zone.
 *
 * @example
 * ```ts
 * formatOpening(Date.parse('2026-11-23T08:00:00Z'), 'es', 'Europe/Madrid'); // 'lunes, 09:00 CET'
 * ```
 */
export function formatOpening(at: number, locale: string, timezone: string): string {
  const options: Intl.DateTimeFormatOptions = {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: timezone,
    timeZoneName: 'short',
  };
  try {
    return new Intl.DateTimeFormat(locale, options).format(new Date(at));
  } catch {
    return new Intl.DateTimeFormat('en', options).format(new Date(at));
  }
}
