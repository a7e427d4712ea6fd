/** Admin: knowledge-base proposals agents made from wrong bot answers, to apply or reject. */

import { h } from '../../../shared/dom.js';
import { api, messageOf } from '../api.js';
import { t } from '../strings.js';
import { toast } from '../toast.js';
import { type AdminPanel, table } from './form.js';

interface Proposal {
  id: string;
  question: string;
  wrongAnswer?: string;
  section?: string;
  title: string;
  body: string;
  status: string;
}

function proposalButtons(p: Proposal, refresh: () => void): (HTMLElement | string)[] {
  const apply = async () => {
    const res = await api('POST', `/kb/proposals/${p.id}/apply`, {}).catch((err: unknown) => toast(messageOf(err)));
    if (res) toast(t('applied'));
    refresh();
  };
  const reject = async () => {
    await api('POST', `/kb/proposals/${p.id}/reject`, {});
    refresh();
  };
  return [
    h('button', { type: 'button', class: 'primary', 'data-testid': 'apply', onclick: apply }, t('apply')),
    ' ',
    h('button', { type: 'button', onclick: reject }, t('reject')),
  ];
}

function proposalRow(p: Proposal, refresh: () => void): HTMLTableRowElement {
  return h(
    'tr',
    {},
    h('td', {}, p.question),
    h('td', {}, h('pre', {}, (p.wrongAnswer || '').slice(0, 300)), p.section ? h('small', { class: 'muted' }, `${t('section')}: ${p.section}`) : null),
    h('td', {}, h('b', {}, p.title), h('pre', {}, p.body)),
    h('td', {}, t(`proposal.${p.status}`)),
    h('td', {}, p.status === 'open' ? proposalButtons(p, refresh) : ''),
  );
}

export const kbPanel: AdminPanel = async (refresh) => {
  const { proposals } = await api<{ proposals: Proposal[] }>('GET', '/kb/proposals');
  if (!proposals.length) return h('p', { class: 'muted' }, t('proposals_empty'));
  return table(
    [t('question'), t('wrong_answer'), t('proposed_answer'), t('status'), ''],
    proposals.map((p) => proposalRow(p, refresh)),
    { 'data-testid': 'proposals' },
  );
};
