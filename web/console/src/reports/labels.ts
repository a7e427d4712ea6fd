/**
 * The names a report gives its tables and columns are i18n keys of the console strings
 * (`reports.tables.*`, `reports.columns.*`); the full key or its last part both read. Values of
 * text columns that are codes (a handoff reason, a measure) read from `reports.values.<column>.*`
 * when the strings have them, and as sent otherwise (a team's or an agent's name).
 */

import { t } from './host.js';

function label(group: 'tables' | 'columns', key: string): string {
  const full = key.startsWith('reports.') ? key : `reports.${group}.${key}`;
  const text = t(full);
  return text === full ? key : text;
}

export const columnLabel = (key: string) => label('columns', key);
export const tableLabel = (key: string) => label('tables', key);

export function valueLabel(column: string, value: string): string {
  for (const key of [`reports.values.${column}.${value}`, `${column}.${value}`]) {
    const text = t(key);
    if (text !== key) return text;
  }
  return value;
}
