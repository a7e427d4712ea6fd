/**
 * What the reports are asked for: the report, the period (last 7 or 30 days, or two dates),
 * channel, language and team, and the browser's time zone for day and hour buckets.
 */

import type { ReportName } from '../../../../src/reports/types.js';
import { h } from '../../../shared/dom.js';
import { languageName, t } from './host.js';

/** `GET /console/api/reports`: what the filters offer. */
export interface ReportOptions {
  reports: ReportName[];
  channels: string[];
  languages: string[];
  teams: { id: string; name: string }[];
}

type Preset = '7' | '30' | 'custom';

interface Selection {
  report: ReportName;
  preset: Preset;
  from: string;
  to: string;
  channel: string;
  language: string;
  team: string;
}

/** The agent's choices, kept while the console is open. */
export const selection: Selection = { report: 'volume', preset: '7', from: '', to: '', channel: '', language: '', team: '' };

/** The browser's IANA zone: a day in the report is a day where the agent is. */
export const timeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

const pad = (n: number) => String(n).padStart(2, '0');
const isoDay = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/** The last `days` days up to today, in the browser's calendar. */
function lastDays(days: number, today = new Date()): { from: string; to: string } {
  const from = new Date(today.getFullYear(), today.getMonth(), today.getDate() - (days - 1));
  return { from: isoDay(from), to: isoDay(today) };
}

/** The query string of the current selection, as the report and CSV endpoints take it. */
export function query(): string {
  const range = selection.preset === 'custom' ? { from: selection.from, to: selection.to } : lastDays(Number(selection.preset));
  const params = new URLSearchParams({ ...range, tz: timeZone() });
  for (const key of ['channel', 'language', 'team'] as const) if (selection[key]) params.set(key, selection[key]);
  return params.toString();
}

function select(label: string, key: 'channel' | 'language' | 'team', choices: [value: string, text: string][], changed: () => void): HTMLLabelElement {
  const el: HTMLSelectElement = h(
    'select',
    { 'data-testid': `filter-${key}`, onchange: () => ((selection[key] = el.value), changed()) },
    h('option', { value: '' }, t('reports.all')),
    choices.map(([value, text]) => h('option', { value, selected: value === selection[key] }, text)),
  );
  return h('label', {}, label, el);
}

/** Two dates of a custom period; the report reloads only when both are set and in order. */
function customDates(changed: () => void): { from: HTMLInputElement; to: HTMLInputElement; fields: HTMLElement } {
  if (!selection.from) Object.assign(selection, lastDays(7));
  const from = h('input', { type: 'date', value: selection.from, required: true, 'data-testid': 'filter-from' });
  const to = h('input', { type: 'date', value: selection.to, required: true, 'data-testid': 'filter-to' });
  const check = () => {
    from.setCustomValidity(from.value && to.value && from.value > to.value ? t('reports.bad_range') : '');
    if (!from.reportValidity() || !to.reportValidity()) return;
    Object.assign(selection, { from: from.value, to: to.value });
    changed();
  };
  from.addEventListener('change', check);
  to.addEventListener('change', check);
  const fields = h(
    'span',
    { class: 'dates', hidden: selection.preset !== 'custom' },
    h('label', {}, t('reports.from'), from),
    h('label', {}, t('reports.to'), to),
  );
  return { from, to, fields };
}

function period(changed: () => void): HTMLElement[] {
  const dates = customDates(changed);
  const presets: [Preset, string][] = [
    ['7', t('reports.last_7_days')],
    ['30', t('reports.last_30_days')],
    ['custom', t('reports.custom')],
  ];
  const pick = h(
    'select',
    { 'data-testid': 'filter-period' },
    presets.map(([value, text]) => h('option', { value, selected: value === selection.preset }, text)),
  );
  pick.addEventListener('change', () => {
    selection.preset = pick.value as Preset;
    dates.fields.hidden = selection.preset !== 'custom';
    if (selection.preset === 'custom') dates.from.focus();
    changed();
  });
  return [h('label', {}, t('reports.period'), pick), dates.fields];
}

/** The filter bar; `changed` runs after every change that makes a new query. */
export function filterBar(options: ReportOptions, changed: () => void): HTMLFormElement {
  return h(
    'form',
    { class: 'report-filters', 'aria-label': t('reports.filters'), onsubmit: (e: Event) => e.preventDefault() },
    period(changed),
    select(
      t('reports.channel'),
      'channel',
      options.channels.map((c) => [c, c]),
      changed,
    ),
    select(
      t('reports.language'),
      'language',
      options.languages.map((l) => [l, languageName(l)]),
      changed,
    ),
    select(
      t('reports.team'),
      'team',
      options.teams.map((x) => [x.id, x.name]),
      changed,
    ),
    h('span', { class: 'muted', 'data-testid': 'report-zone' }, t('reports.time_zone', { zone: timeZone() })),
  );
}
