/** Admin: the shoppers' ratings of agents, averaged per agent. */

import { h } from '../../../shared/dom.js';
import { api } from '../api.js';
import { agentName, state } from '../state.js';
import { t } from '../strings.js';
import { type AdminPanel, table } from './form.js';

interface Ratings {
  ratings: { createdAt: number; agentId?: string; rating: number; comment?: string }[];
  byAgent: { name: string; count: number; average: number | null }[];
}

export const ratingsPanel: AdminPanel = async () => {
  const { ratings, byAgent } = await api<Ratings>('GET', '/ratings');
  if (!ratings.length) return h('p', { class: 'muted' }, t('ratings_empty'));
  const perAgent = byAgent.map((a) =>
    h('tr', {}, h('td', {}, a.name), h('td', {}, String(a.count)), h('td', {}, a.average === null ? '—' : a.average.toFixed(2))),
  );
  const each = ratings.map((r) =>
    h(
      'tr',
      {},
      h('td', {}, new Date(r.createdAt).toLocaleString(state.lang)),
      h('td', {}, r.agentId ? agentName(r.agentId) : '—'),
      h('td', {}, '★'.repeat(r.rating)),
      h('td', {}, r.comment || ''),
    ),
  );
  return h(
    'div',
    { 'data-testid': 'ratings' },
    table([t('agent'), t('count'), t('average')], perAgent),
    table([t('when'), t('agent'), t('rating'), t('comment')], each),
  );
};
