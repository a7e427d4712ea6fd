/** Admin: messages no channel could deliver, with why, and re-sending one once the cause is fixed. */

import { h } from '../../../shared/dom.js';
import { api, messageOf } from '../api.js';
import { state } from '../state.js';
import { t } from '../strings.js';
import { toast } from '../toast.js';
import { type AdminPanel, table } from './form.js';

interface DeadLetter {
  id: number;
  conversationId: string;
  channelId: string;
  attempts: number;
  lastReason: string;
  lastError: string;
  createdAt: number;
}

function deadRow(d: DeadLetter, refresh: () => void): HTMLTableRowElement {
  const resend = async () => {
    try {
      await api('POST', `/dead-letters/${d.id}/resend`);
      toast(t('resent'));
      refresh();
    } catch (err) {
      toast(messageOf(err));
    }
  };
  return h(
    'tr',
    { 'data-testid': 'dead-letter' },
    h('td', {}, new Date(d.createdAt).toLocaleString(state.lang)),
    h('td', {}, d.channelId),
    h('td', { title: d.lastError }, t(`delivery_reason.${d.lastReason}`)),
    h('td', {}, String(d.attempts)),
    h('td', {}, h('button', { type: 'button', onclick: resend, 'data-testid': 'resend' }, t('resend'))),
  );
}

export const deadPanel: AdminPanel = async (refresh) => {
  const { dead } = await api<{ dead: DeadLetter[] }>('GET', '/dead-letters');
  if (!dead.length) return h('p', { class: 'muted' }, t('dead_empty'));
  return h(
    'div',
    { 'data-testid': 'dead-letters' },
    table(
      [t('when'), t('channel'), t('reason'), t('attempts'), ''],
      dead.map((d) => deadRow(d, refresh)),
    ),
  );
};
