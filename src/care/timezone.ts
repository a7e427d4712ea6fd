import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { safeZone } from './format.js';

// Why a table: a phone's country gives a time zone only where the country has one (or one
// that almost everybody lives in). Countries spanning several zones (US, CA, RU east of the
// Urals, AU, BR outside the south-east) fall back to the shop's zone unless listed.
const COUNTRY_ZONES: Record<string, string> = {
  ES: 'Europe/Madrid',
  MX: 'America/Mexico_City',
  AR: 'America/Argentina/Buenos_Aires',
  CO: 'America/Bogota',
  CL: 'America/Santiago',
  PE: 'America/Lima',
  DE: 'Europe/Berlin',
  AT: 'Europe/Vienna',
  CH: 'Europe/Zurich',
  FR: 'Europe/Paris',
  BE: 'Europe/Brussels',
  NL: 'Europe/Amsterdam',
  IT: 'Europe/Rome',
  PT: 'Europe/Lisbon',
  GB: 'Europe/London',
  IE: 'Europe/Dublin',
  PL: 'Europe/Warsaw',
  JP: 'Asia/Tokyo',
  CN: 'Asia/Shanghai',
  TW: 'Asia/Taipei',
  HK: 'Asia/Hong_Kong',
  MO: 'Asia/Macau',
  SG: 'Asia/Singapore',
  KR: 'Asia/Seoul',
  RU: 'Europe/Moscow',
  UA: 'Europe/Kyiv',
  SA: 'Asia/Riyadh',
  AE: 'Asia/Dubai',
  EG: 'Africa/Cairo',
  MA: 'Africa/Casablanca',
  QA: 'Asia/Qatar',
  KW: 'Asia/Kuwait',
  JO: 'Asia/Amman',
  ID: 'Asia/Jakarta',
  MY: 'Asia/Kuala_Lumpur',
  TH: 'Asia/Bangkok',
  VN: 'Asia/Ho_Chi_Minh',
  PH: 'Asia/Manila',
  TR: 'Europe/Istanbul',
  BR: 'America/Sao_Paulo',
  IN: 'Asia/Kolkata',
};

/** The digits of a phone number in international form, or undefined when it is not one. */
export function phoneDigits(phone: string | undefined): string | undefined {
  if (!phone) return undefined;
  const parsed = parsePhoneNumberFromString(phone.startsWith('+') ? phone : `+${phone.replace(/^00/, '')}`);
  return parsed?.isPossible() ? parsed.number.slice(1) : undefined;
}

/** The time zone a phone number's country implies, when it implies one. */
export function zoneOfPhone(phone: string | undefined): string | undefined {
  if (!phone) return undefined;
  const parsed = parsePhoneNumberFromString(phone.startsWith('+') ? phone : `+${phone}`);
  const country = parsed?.country;
  return country ? COUNTRY_ZONES[country] : undefined;
}

/** The wall-clock parts of an instant in a zone. */
function wallClock(at: number, timeZone: string): { y: number; mo: number; d: number; h: number; mi: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: safeZone(timeZone),
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  }).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { y: get('year'), mo: get('month'), d: get('day'), h: get('hour'), mi: get('minute') };
}

/** The instant a wall-clock time in a zone happens (the first one, around DST changes). */
function zonedTime(y: number, mo: number, d: number, minutes: number, timeZone: string): number {
  const guess = Date.UTC(y, mo - 1, d, 0, minutes);
  let at = guess;
  for (let i = 0; i < 3; i++) {
    const w = wallClock(at, timeZone);
    const seen = Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi);
    at += guess - seen;
  }
  return at;
}

const toMinutes = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/**
 * When quiet hours are on at `now` in `timeZone`, the instant they end; else undefined.
 * Quiet hours may wrap midnight (`21:00`–`08:00`).
 *
 * @example
 * ```ts
 * quietUntil(at2330Madrid, { start: '21:00', end: '08:00' }, 'Europe/Madrid'); // next day 08:00 Madrid
 * ```
 */
export function quietUntil(now: number, quiet: { start: string; end: string }, timeZone: string): number | undefined {
  const w = wallClock(now, timeZone);
  const minute = w.h * 60 + w.mi;
  const start = toMinutes(quiet.start);
  const end = toMinutes(quiet.end);
  if (start === end) return undefined;
  const inQuiet = start < end ? minute >= start && minute < end : minute >= start || minute < end;
  if (!inQuiet) return undefined;
  // The end is today when we are past midnight (or the span does not wrap), else tomorrow.
  const endsToday = start < end || minute < end;
  const day = new Date(Date.UTC(w.y, w.mo - 1, w.d + (endsToday ? 0 : 1)));
  return zonedTime(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), end, timeZone);
}

/** Today's `MM-DD` in a zone. */
export function localMonthDay(now: number, timeZone: string): string {
  const w = wallClock(now, timeZone);
  return `${String(w.mo).padStart(2, '0')}-${String(w.d).padStart(2, '0')}`;
}

/**
 * The next time a yearly date (`MM-DD` taken from `YYYY-MM-DD` or `MM-DD`) comes round at
 * `hhmm` in a zone; today when that time is still ahead.
 */
export function nextYearly(date: string, hhmm: string, now: number, timeZone: string): number | undefined {
  const m = /(?:^\d{4}-)?(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  const [mo, d] = [Number(m[1]), Number(m[2])];
  const year = wallClock(now, timeZone).y;
  for (const y of [year, year + 1]) {
    const at = zonedTime(y, mo, d, toMinutes(hhmm), timeZone);
    if (at > now) return at;
  }
  return undefined;
}
