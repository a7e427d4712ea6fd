/** Opening and closing the chat panel. */

import { start } from './transport/connection.js';
import { poll } from './transport/http.js';
import { conn, state } from './state.js';
import { renderUnread } from './status.js';
import { ui } from './ui.js';

export function open(): void {
  state.open = true;
  state.unread = 0;
  renderUnread();
  ui.panel.hidden = false;
  ui.root.classList.add('parley-is-open');
  ui.launcher.setAttribute('aria-expanded', 'true');
  ui.scroll.scrollTop = ui.scroll.scrollHeight;
  ui.input.focus();
  start();
  if (conn.http) void poll();
}

export function close(): void {
  state.open = false;
  ui.panel.hidden = true;
  ui.root.classList.remove('parley-is-open');
  ui.launcher.setAttribute('aria-expanded', 'false');
  ui.launcher.focus();
}

export function toggle(): void {
  if (state.open) close();
  else open();
}

export function onEscape(event: KeyboardEvent): void {
  if (event.key === 'Escape' && state.open && !event.isComposing) {
    event.stopPropagation();
    close();
  }
}
