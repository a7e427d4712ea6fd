/** The console's frame: the top bar, the queue pane, and either the conversation, the admin area or the reports. */

import { h } from '../../shared/dom.js';
import { appRoot, me, state, ui } from './state.js';
import { languageName, t } from './strings.js';
import type { Agent } from './types.js';

const LANGUAGES = ['en', 'zh-CN', 'zh-TW', 'es', 'de', 'fr', 'pt-BR', 'ja', 'ko', 'ru', 'ar', 'id', 'th', 'vi', 'tr'];

export interface ShellActions {
  toggleAdmin(): void;
  toggleReports(): void;
  toggleAway(): void;
  changeLanguage(language: string): void;
  showShortcuts(): void;
  signOut(): void;
}

/** Reports are for admins: Parley's team leads (the server answers 403 to anyone else). */
function canSeeReports(a: Agent): boolean {
  return a.role === 'admin';
}

function topBar(actions: ShellActions): HTMLElement {
  const a = me();
  ui.status = h('button', { type: 'button', 'aria-pressed': 'true', 'data-testid': 'status', onclick: actions.toggleAway }, t('status_online'));
  const langSelect = h(
    'select',
    { 'aria-label': t('language'), onchange: (e: Event) => actions.changeLanguage((e.target as HTMLSelectElement).value) },
    LANGUAGES.map((code) => h('option', { value: code, selected: code === a.language }, languageName(code))),
  );
  const adminToggle =
    a.role === 'admin'
      ? h(
          'button',
          { type: 'button', 'data-testid': 'admin-toggle', 'aria-pressed': String(state.view === 'admin'), onclick: actions.toggleAdmin },
          state.view === 'admin' ? t('console_view') : t('admin'),
        )
      : null;
  const reportsToggle = canSeeReports(a)
    ? h(
        'button',
        { type: 'button', 'data-testid': 'reports-toggle', 'aria-pressed': String(state.view === 'reports'), onclick: actions.toggleReports },
        state.view === 'reports' ? t('console_view') : t('reports.title'),
      )
    : null;
  return h(
    'header',
    { class: 'top' },
    h('h1', {}, t('app_title')),
    adminToggle,
    reportsToggle,
    h('span', { class: 'spacer' }),
    h('span', { 'data-testid': 'agent-name' }, a.name),
    ui.status,
    langSelect,
    h('button', { type: 'button', title: t('shortcuts'), onclick: actions.showShortcuts }, '?'),
    h('button', { type: 'button', onclick: actions.signOut }, t('sign_out')),
  );
}

/** Builds the frame and the empty panes the queue, conversation and admin views render into. */
export function renderShell(actions: ShellActions): void {
  const top = topBar(actions);
  ui.queuePane = h('nav', { class: 'pane', 'aria-label': t('queue_waiting') });
  ui.center = h('section', { class: 'conv', 'aria-label': t('conversation') });
  ui.side = h('aside', { class: 'pane side', 'aria-label': t('shopper') });
  ui.admin = h('section', { class: 'admin' });
  ui.reports = h('section', { class: 'admin reports', 'aria-label': t('reports.title'), 'data-testid': 'reports' });
  const main = { work: [ui.center, ui.side], admin: [ui.admin], reports: [ui.reports] }[state.view];
  const work = h('div', { class: 'work' }, ui.queuePane, ...main);
  appRoot().replaceChildren(h('div', { class: 'shell' }, top, work));
}
