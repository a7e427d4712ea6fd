/** Admin: the agents, enabling and disabling them, and adding one. */

import { h } from '../../../shared/dom.js';
import { api } from '../api.js';
import { me, state } from '../state.js';
import { t } from '../strings.js';
import type { Agent } from '../types.js';
import { type AdminPanel, createForm, list, table } from './form.js';

function agentRow(a: Agent, refresh: () => void): HTMLTableRowElement {
  const toggle = async () => {
    await api('PATCH', `/agents/${a.id}`, { disabled: !a.disabled });
    refresh();
  };
  return h(
    'tr',
    {},
    h('td', {}, a.name, h('br'), h('small', { class: 'muted' }, a.email)),
    h('td', {}, a.role),
    h('td', {}, a.language),
    h('td', {}, a.languages.join(', ')),
    h('td', {}, a.skills.join(', ')),
    h('td', {}, a.teamId || '—'),
    h('td', {}, String(a.capacity)),
    h('td', {}, a.online ? t('status_online') : '—'),
    h('td', {}, a.id === me().id ? '' : h('button', { type: 'button', onclick: toggle }, a.disabled ? t('enable') : t('disable'))),
  );
}

function agentFields() {
  return {
    email: h('input', { type: 'email', required: true }),
    name: h('input', { required: true }),
    password: h('input', { type: 'password', required: true, minlength: 10 }),
    role: h('select', {}, h('option', { value: 'agent' }, t('role_agent')), h('option', { value: 'admin' }, t('role_admin'))),
    language: h('input', { value: 'en', size: 6 }),
    languages: h('input', { placeholder: 'en, es', size: 10 }),
    skills: h('input', { size: 10 }),
    team: h(
      'select',
      {},
      h('option', { value: '' }, '—'),
      state.teams.map((x) => h('option', { value: x.id }, x.name)),
    ),
    capacity: h('input', { type: 'number', value: '5', min: 0, max: 50, style: 'width:5em' }),
  };
}

function agentForm(refresh: () => void): HTMLFormElement {
  const f = agentFields();
  const body = () => ({
    email: f.email.value,
    name: f.name.value,
    password: f.password.value,
    role: f.role.value,
    language: f.language.value,
    languages: list(f.languages.value).length ? list(f.languages.value) : undefined,
    skills: list(f.skills.value),
    teamId: f.team.value || null,
    capacity: Number(f.capacity.value),
  });
  const fields: [string, HTMLElement][] = [
    [t('email'), f.email],
    [t('name'), f.name],
    [t('password'), f.password],
    [t('role_label'), f.role],
    [t('language'), f.language],
    [t('languages'), f.languages],
    [t('skills'), f.skills],
    [t('team'), f.team],
    [t('capacity'), f.capacity],
  ];
  return createForm(fields, t('create_agent'), '/agents', body, refresh);
}

export const agentsPanel: AdminPanel = async (refresh) => {
  const { agents } = await api<{ agents: Agent[] }>('GET', '/agents');
  state.agents = agents;
  const headings = [t('name'), t('role_label'), t('language'), t('languages'), t('skills'), t('team'), t('capacity'), t('status'), ''];
  return h(
    'div',
    {},
    table(
      headings,
      agents.map((a) => agentRow(a, refresh)),
    ),
    agentForm(refresh),
  );
};
