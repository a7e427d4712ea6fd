/**
 * The names a report gives its tables and columns are i18n keys of the console strings
 * (`reports.tables.*`, `reports.columns.*`); the full key or its last part both read.
 */

import { t } from '../strings.js';

function label(group: 'tables' | 'columns', key: string): string {
  const full = key.startsWith('reports.') ? key : `reports.${group}.${key}`;
  const text = t(full);
  return text === full ? key : text;
}

export const columnLabel = (key: string) => label('columns', key);
export const tableLabel = (key: string) => label('tables', key);
