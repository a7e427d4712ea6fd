/** Keyboard shortcuts: Alt+N/T/B/R on the open conversation, Alt+↓/↑ through the queue, `?` for help. */

import { action, step, toggleMode } from './app.js';
import { showShortcuts } from './shortcuts.js';
import { state } from './state.js';

const KEYS: Record<string, () => void> = {
  n: toggleMode,
  t: () => void action('take'),
  b: () => void action('release'),
  r: () => void action('resolve'),
  ArrowDown: () => step(1),
  ArrowUp: () => step(-1),
};

export function onKeydown(e: KeyboardEvent): void {
  if (!state.agent) return;
  const typingInField = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement?.tagName || '');
  if (e.key === '?' && !typingInField) return showShortcuts();
  if (!e.altKey) return;
  const fn = KEYS[e.key.length === 1 ? e.key.toLowerCase() : e.key];
  if (fn && (state.currentId || e.key.startsWith('Arrow'))) {
    e.preventDefault();
    fn();
  }
}
