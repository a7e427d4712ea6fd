/** The queue pane: waiting, mine, and others' conversations. */

import { h } from '../../shared/dom.js';
import { agentName, me, state, ui } from './state.js';
import { languageName, t, waited } from './strings.js';
import type { QueueEntry } from './types.js';

const HOT_REASONS = new Set(['emotion', 'repeated_complaint', 'vip']);

function queueItem(entry: QueueEntry, open: (id: string) => void): HTMLLIElement {
  const hot = HOT_REASONS.has(entry.reason ?? '');
  return h(
    'li',
    {},
    h(
      'button',
      {
        type: 'button',
        'aria-current': String(entry.conversationId === state.currentId),
        'data-testid': 'queue-item',
        'data-conversation': entry.conversationId,
        onclick: () => open(entry.conversationId),
      },
      h(
        'span',
        { class: 'row' },
        h('span', { class: 'badge' }, entry.channelId),
        h('span', { class: 'badge', title: languageName(entry.language || '') }, entry.language || '?'),
        entry.reason ? h('span', { class: `badge${hot ? ' hot' : ''}` }, t(`reason.${entry.reason.split(':')[0]}`)) : null,
        h('span', {}, t('waiting_for', { time: waited(entry.waitingMs) })),
        entry.unread ? h('span', { class: 'dot', 'aria-label': t('new_messages') }) : null,
      ),
      h('span', { class: 'preview' }, entry.preview || '…'),
      entry.agentId ? h('span', { class: 'row' }, t('assigned_to', { name: agentName(entry.agentId) })) : null,
    ),
  );
}

/** Re-renders the queue pane; `open` is what a click on an entry does. */
export function renderQueue(open: (id: string) => void): void {
  if (!ui.queuePane) return;
  const myId = me().id;
  const waiting = state.queue.filter((q) => q.state === 'awaiting_agent');
  const mine = state.queue.filter((q) => q.state === 'assigned' && q.agentId === myId);
  const others = state.queue.filter((q) => q.state === 'assigned' && q.agentId !== myId);
  const list = (items: QueueEntry[]) =>
    items.length
      ? h(
          'ul',
          { class: 'queue' },
          items.map((entry) => queueItem(entry, open)),
        )
      : h('p', { class: 'muted', style: 'margin:0 12px' }, t('queue_empty'));
  ui.queuePane.replaceChildren(
    h('h2', { id: 'q-waiting' }, `${t('queue_waiting')} (${waiting.length})`),
    h('div', { 'data-testid': 'queue-waiting' }, list(waiting)),
    h('h2', {}, `${t('queue_mine')} (${mine.length})`),
    h('div', { 'data-testid': 'queue-mine' }, list(mine)),
    ...(others.length ? [h('h2', {}, `${t('queue_others')} (${others.length})`), list(others)] : []),
  );
}
