/** Pieces the admin forms and tables share. */

import { type Child, h } from '../../../shared/dom.js';
import { api, messageOf } from '../api.js';
import { t } from '../strings.js';
import { toast } from '../toast.js';

/** A panel of the admin area; `refresh` re-renders the area after a change. */
export type AdminPanel = (refresh: () => void) => Promise<HTMLElement>;

const field = (label: string, input: HTMLElement) => h('label', {}, label, input);

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

/**
 * A create form: labelled fields and a submit button; submitting posts `body()` to `path`, says
 * "saved" and refreshes, or shows why the server refused.
 */
export function createForm(
  fields: readonly [label: string, input: HTMLElement][],
  submit: string,
  path: string,
  body: () => Record<string, unknown>,
  refresh: () => void,
): HTMLFormElement {
  const create = async (e: Event) => {
    e.preventDefault();
    try {
      await api('POST', path, body());
      toast(t('saved'));
      refresh();
    } catch (err) {
      toast(messageOf(err));
    }
  };
  return h(
    'form',
    { onsubmit: create },
    fields.map(([label, input]) => field(label, input)),
    h('button', { class: 'primary', type: 'submit' }, submit),
  );
}
