/** Small shared pieces of the console's screens. */

import { h } from '../../shared/dom.js';

/** A notice at the bottom of the screen for 3 s, read out by screen readers. */
export function toast(text: string): void {
  const el = h('div', { class: 'toast', role: 'status' }, text);
  document.body.append(el);
  setTimeout(() => el.remove(), 3000);
}

/** A modal dialog that removes itself when closed. */
export function showDialog(dialog: HTMLDialogElement): void {
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
}
