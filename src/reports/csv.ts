/**
 * A report table as CSV (RFC 4180): a header row of column keys, CRLF line ends, fields quoted
 * when they hold a comma, quote or line break. A text cell starting with = + - @ (or a tab or
 * carriage return) gets a leading apostrophe, so a spreadsheet shows it rather than running it
 * as a formula (CSV injection); numbers are written as numbers.
 */
import type { ReportTable } from './types.js';

function field(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * @example
 * ```ts
 * toCsv({ id: 't', title: 't', columns: [{ key: 'q', type: 'text', label: 'q' }], rows: [{ q: '=1+1' }] }); // "q\r\n'=1+1\r\n"
 * ```
 */
export function toCsv(table: ReportTable): string {
  const keys = table.columns.map((c) => c.key);
  const lines = [keys.map(field).join(','), ...table.rows.map((row) => keys.map((k) => field(row[k])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
