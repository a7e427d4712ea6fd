/** Pieces the admin forms and tables share. */

import { type Child, h } from '../../../shared/dom.js';

/** A panel of the admin area; `refresh` re-renders the area after a change. */
export type AdminPanel = (refresh: () => void) => Promise<HTMLElement>;

export const field = (label: string, input: HTMLElement) => h('label', {}, label, input);

/** "en, es" → ['en', 'es']. */
export const list = (value: string) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export function table(headings: string[], rows: Child, attrs: Record<string, string> = {}): HTMLTableElement {
  return h(
    'table',
    attrs,
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        headings.map((x) => h('th', {}, x)),
      ),
    ),
    h('tbody', {}, rows),
  );
}
