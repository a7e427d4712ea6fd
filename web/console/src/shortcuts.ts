/** The keyboard shortcuts dialog (`?`). */

import { h } from '../../shared/dom.js';
import { t } from './strings.js';
import { showDialog } from './toast.js';

export function showShortcuts(): void {
  const rows = [
    ['Ctrl+Enter', t('shortcut_send')],
    ['Alt+N', t('shortcut_note')],
    ['Alt+T', t('shortcut_take')],
    ['Alt+B', t('shortcut_release')],
    ['Alt+R', t('shortcut_resolve')],
    ['Alt+↓', t('shortcut_next')],
    ['Alt+↑', t('shortcut_prev')],
    ['?', t('shortcut_help')],
  ];
  const dialog: HTMLDialogElement = h(
    'dialog',
    { 'aria-label': t('shortcuts_title') },
    h('h2', {}, t('shortcuts_title')),
    h(
      'table',
      {},
      rows.map(([k, v]) => h('tr', {}, h('td', {}, h('kbd', {}, k)), h('td', {}, v))),
    ),
    h('button', { type: 'button', onclick: () => dialog.close() }, t('close')),
  );
  showDialog(dialog);
}
