/** Admin: the teams, with their languages, skills and working hours, and adding one. */

import { h } from '../../../shared/dom.js';
import { api } from '../api.js';
import { state } from '../state.js';
import { t } from '../strings.js';
import type { Team } from '../types.js';
import { type AdminPanel, createForm, list, table } from './form.js';

function teamRow(x: Team): HTMLTableRowElement {
  const hours =
    Object.entries(x.hours || {})
      .map(([d, r]) => `${d} ${r}`)
      .join('\n') || '24/7';
  return h(
    'tr',
    {},
    h('td', {}, x.id),
    h('td', {}, x.name),
    h('td', {}, (x.languages || []).join(', ')),
    h('td', {}, (x.skills || []).join(', ')),
    h('td', {}, x.timezone),
    h('td', {}, h('pre', {}, hours)),
  );
}

function teamForm(refresh: () => void): HTMLFormElement {
  const f = {
    id: h('input', { required: true, size: 8 }),
    name: h('input', { required: true }),
    languages: h('input', { size: 10 }),
    skills: h('input', { size: 10 }),
    timezone: h('input', { value: 'UTC', size: 14 }),
    hours: h('input', { placeholder: '09:00-18:00', size: 11 }),
  };
  const body = () => {
    const range = f.hours.value.trim();
    const hours = range ? Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, range])) : undefined;
    return {
      id: f.id.value,
      name: f.name.value,
      languages: list(f.languages.value),
      skills: list(f.skills.value),
      timezone: f.timezone.value,
      ...(hours ? { hours } : {}),
    };
  };
  const fields: [string, HTMLElement][] = [
    [t('team_id'), f.id],
    [t('name'), f.name],
    [t('languages'), f.languages],
    [t('skills'), f.skills],
    [t('timezone'), f.timezone],
    [t('hours_weekdays'), f.hours],
  ];
  return createForm(fields, t('create_team'), '/teams', body, refresh);
}

export const teamsPanel: AdminPanel = async (refresh) => {
  const { teams } = await api<{ teams: Team[] }>('GET', '/teams');
  state.teams = teams;
  const headings = [t('team_id'), t('name'), t('languages'), t('skills'), t('timezone'), t('hours')];
  return h('div', {}, teams.length ? table(headings, teams.map(teamRow)) : h('p', { class: 'muted' }, t('no_teams')), teamForm(refresh));
};
