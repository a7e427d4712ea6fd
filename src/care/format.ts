/**
 * Locale formatting of what care messages interpolate: amounts with their currency, and dates,
 * with Intl in the shopper's locale and time zone.
 */

/** A money amount in major units (12.9 = 12,90 €) and its ISO 4217 currency. */
export interface Money {
  amount: number;
  currency: string;
}

// Languages whose readers expect the short weekday in brackets after the date ("11月24日(火)").
const SHORT_WEEKDAY = new Set(['ja', 'zh', 'ko']);

/**
 * Formats an amount for a locale.
 *
 * @example
 * ```ts
 * formatMoney({ amount: 12.9, currency: 'EUR' }, 'es'); // "12,90 €"
 * formatMoney({ amount: 1200, currency: 'JPY' }, 'ja'); // "￥1,200"
 * ```
 */
export function formatMoney(money: Money, locale: string): string {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency.toUpperCase() }).format(money.amount);
  } catch {
    return `${money.amount} ${money.currency}`;
  }
}

/** True for `YYYY-MM-DD`: a calendar day, not an instant (an ETA the carrier gives). */
function isDateOnly(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value);
}

/**
 * Formats a day with its weekday for a locale. A calendar day (`2026-11-24`) is shown as
 * that day wherever the shopper is; an instant is shown in the shopper's time zone.
 *
 * @example
 * ```ts
 * formatDay('2026-11-24', 'es', 'Europe/Madrid'); // "martes, 24 de noviembre"
 * formatDay('2026-11-24', 'ja', 'Asia/Tokyo');    // "11月24日(火)"
 * ```
 */
export function formatDay(value: string | number, locale: string, timeZone: string): string {
  const dateOnly = typeof value === 'string' && isDateOnly(value);
  const date = dateOnly ? new Date(`${value}T12:00:00Z`) : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  const base = locale.split('-')[0]?.toLowerCase() ?? locale;
  const options: Intl.DateTimeFormatOptions = {
    weekday: SHORT_WEEKDAY.has(base) ? 'short' : 'long',
    month: 'long',
    day: 'numeric',
    timeZone: dateOnly ? 'UTC' : safeZone(timeZone),
  };
  return new Intl.DateTimeFormat(locale, options).format(date);
}

/** The zone if Intl knows it, else UTC. */
export function safeZone(timeZone: string | undefined): string {
  if (!timeZone) return 'UTC';
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}

/** Whether Intl knows a time zone name. */
export function isTimeZone(timeZone: string): boolean {
  return safeZone(timeZone) === timeZone;
}
