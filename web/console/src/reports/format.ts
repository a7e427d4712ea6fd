/**
 * A report's values as the agent reads them: numbers, percents, durations, money, dates and
 * hours formatted with Intl for the console's language; channels and languages by name.
 */

import type { ColumnType, ReportColumn } from '../../../../src/reports/types.js';
import { consoleLang, languageName } from './host.js';
import { valueLabel } from './labels.js';

export type Cell = string | number | null | undefined;

/**
 * The agent's language, in their browser's region when the browser names one for that language
 * (agent `en`, browser `en-GB`: "5 Dec 2026"); never another language's or script's.
 */
export function formatLocale(): string {
  const own = consoleLang();
  return navigator.languages.find((l) => l.toLowerCase().startsWith(`${own.toLowerCase()}-`)) ?? own;
}

// Dates come as `YYYY-MM-DD` days of the report's time zone: shown as that day, never shifted.
const dayOf = (value: string) => {
  const [y = 1970, m = 1, d = 1] = value.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
};

/** 95 000 ms → "1.6 min" in the agent's language: the largest unit that keeps the figure readable. */
function duration(ms: number): string {
  const [unit, size] = ms < 60_000 ? ['second', 1000] : ms < 3_600_000 ? ['minute', 60_000] : ['hour', 3_600_000];
  const digits = unit === 'second' ? 0 : 1;
  return new Intl.NumberFormat(formatLocale(), { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: digits }).format(ms / (size as number));
}

/** Formats one value of a column of `type`; an empty cell reads "—". `short` drops the year of a date (chart axes). */
export function formatValue(type: ColumnType, value: Cell, currency = 'USD', short = false): string {
  if (value === null || value === undefined || value === '') return '—';
  const lang = formatLocale();
  switch (type) {
    case 'count':
    case 'number':
      return new Intl.NumberFormat(lang, { maximumFractionDigits: 2 }).format(Number(value));
    case 'percent':
      return new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 }).format(Number(value));
    case 'duration_ms':
      return duration(Number(value));
    case 'money':
      return new Intl.NumberFormat(lang, { style: 'currency', currency }).format(Number(value));
    case 'date':
      return new Intl.DateTimeFormat(lang, short ? { month: 'short', day: 'numeric', timeZone: 'UTC' } : { dateStyle: 'medium', timeZone: 'UTC' }).format(
        dayOf(String(value)),
      );
    case 'hour':
      return new Intl.DateTimeFormat(lang, { hour: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, 0, 1, Number(value))));
    case 'language':
      return languageName(String(value));
    default:
      return String(value);
  }
}

/** A cell of `column`: its figure formatted, or its text with the label the strings give that code. */
export function cellText(column: ReportColumn, value: Cell, currency: string, short = false): string {
  if (column.type === 'text' && value !== null && value !== undefined && value !== '') return valueLabel(column.key, String(value));
  return formatValue(column.type, value, currency, short);
}

/** Whether a column holds figures (right-aligned, charted) rather than labels. */
export const isFigure = (type: ColumnType) => ['count', 'number', 'percent', 'duration_ms', 'money'].includes(type);

/** A date range's two ends, `YYYY-MM-DD`, as the agent reads them. */
export function formatRange(from: string, to: string): string {
  const f = new Intl.DateTimeFormat(formatLocale(), { dateStyle: 'medium', timeZone: 'UTC' });
  return f.formatRange(dayOf(from), dayOf(to));
}
