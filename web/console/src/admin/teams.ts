/** Admin: the teams, with their languages, skills and working hours, and adding one. */

import { h } from '../../../shared/dom.js';
import { api, messageOf } from '../api.js';
import { state } from '../state.js';
import { t } from '../strings.js';
import { toast } from '../toast.js';
import type { Team } from '../types.js';
import { type AdminPanel, field, list, table } from './form.js';

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
  const create = async (e: Event) => {
    e.preventDefault();
    const range = f.hours.value.trim();
    const hours = range ? Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, range])) : undefined;
    try {
      await api('POST', '/teams', {
        id: f.id.value,
        name: f.name.value,
        languages: list(f.languages.value),
        skills: list(f.skills.value),
        timezone: f.timezone.value,
        ...(hours ? { hours } : {}),
      });
      toast(t('saved'));
      refresh();
    } catch (err) {
      toast(messageOf(err));
    }
  };
  return h(
    'form',
    { onsubmit: create },
    field(t('team_id'), f.id),
    field(t('name'), f.name),
    field(t('languages'), f.languages),
    field(t('skills'), f.skills),
    field(t('timezone'), f.timezone),
    field(t('hours_weekdays'), f.hours),
    h('button', { class: 'primary', type: 'submit' }, t('create_team')),
  );
}

export const teamsPanel: AdminPanel = async (refresh) => {
  const { teams } = await api<{ teams: Team[] }>('GET', '/teams');
  state.teams = teams;
  const headings = [t('team_id'), t('name'), t('languages'), t('skills'), t('timezone'), t('hours')];
  return h('div', {}, teams.length ? table(headings, teams.map(teamRow)) : h('p', { class: 'muted' }, t('no_teams')), teamForm(refresh));
};
