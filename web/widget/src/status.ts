/** The status line under the header and the unread badge on the launcher. */

import { conn, state } from './state.js';
import { t } from './strings.js';
import { ui } from './ui.js';

let statusTimer: ReturnType<typeof setTimeout> | undefined;

/** Shows a status (`connecting`, `error`, ...) or hides it (null); a non-sticky one fades after 6 s. */
export function setStatus(key: string | null, sticky = true): void {
  clearTimeout(statusTimer);
  ui.status.hidden = !key;
  ui.status.dataset.i18n = key || '';
  ui.status.textContent = key ? t(key) : '';
  if (key && !sticky) statusTimer = setTimeout(() => setStatus(conn.ready || conn.http ? null : 'reconnecting'), 6000);
}

export function renderUnread(): void {
  ui.badge.hidden = state.unread === 0;
  ui.badge.textContent = state.unread > 9 ? '9+' : String(state.unread);
  ui.launcher.setAttribute('aria-label', state.unread ? t('launcherUnread', { count: state.unread }) : t('launcher'));
}
