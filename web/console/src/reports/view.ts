/**
 * Reports (admins and team leads): a picker over the reports the server offers, the filters,
 * and the chosen report drawn from what it returns — a section per table, with its charts,
 * its accessible table and its CSV download.
 */

import type { Report, ReportName, ReportTable } from '../../../../src/reports/types.js';
import { h } from '../../../shared/dom.js';
import { destroyCharts } from './chart.js';
import { filterBar, query, type ReportOptions, selection, timeZone } from './filters.js';
import { formatRange, isFigure } from './format.js';
import { api, apiBase, messageOf, t } from './host.js';
import { tableSection } from './table.js';

/** Each load's number: an answer that arrives after a newer request was made is dropped. */
let loads = 0;

const csvHref = (name: ReportName, table: string) => `${apiBase()}/reports/${encodeURIComponent(name)}/${encodeURIComponent(table)}.csv?${query()}`;

/** Whether a table has any figure other than 0 or none: a period with no activity still lists its days. */
const hasFigures = (table: ReportTable) => table.rows.some((row) => table.columns.some((c) => isFigure(c.type) && Number(row[c.key] ?? 0) !== 0));

function show(results: HTMLElement, report: Report & { currency?: string }): void {
  const currency = report.currency || 'USD';
  // Announced on its own: the period a new report covers, not every figure of it.
  const range = h(
    'p',
    { class: 'muted', role: 'status', 'data-testid': 'report-range' },
    t('reports.range', { range: formatRange(report.from, report.to), zone: timeZone() }),
  );
  if (!report.tables.some(hasFigures)) {
    results.replaceChildren(range, h('p', { class: 'empty', 'data-testid': 'report-empty' }, t('reports.empty')));
    return;
  }
  const sections = report.tables.map((x) =>
    tableSection(
      x,
      report.charts.filter((c) => c.table === x.id),
      csvHref(report.name, x.id),
      currency,
    ),
  );
  results.replaceChildren(range, ...sections.map((s) => s.section));
  sections.forEach((s) => s.draw());
}

async function load(results: HTMLElement): Promise<void> {
  const mine = ++loads;
  destroyCharts();
  results.setAttribute('aria-busy', 'true');
  results.replaceChildren(h('p', { class: 'muted', role: 'status', 'data-testid': 'report-loading' }, t('reports.loading')));
  try {
    const report = await api<Report>('GET', `/reports/${encodeURIComponent(selection.report)}?${query()}`);
    if (mine === loads) show(results, report);
  } catch (err) {
    if (mine !== loads) return;
    const retry = h('button', { type: 'button', onclick: () => void load(results) }, t('reports.retry'));
    results.replaceChildren(
      h('div', { class: 'error', role: 'alert', 'data-testid': 'report-error' }, t('reports.error', { reason: messageOf(err) }), ' ', retry),
    );
  } finally {
    if (mine === loads) results.removeAttribute('aria-busy');
  }
}

// Tabs as the WAI-ARIA pattern has them: one tab stop, arrows (mirrored right to left), Home and End.
function onTabKey(e: KeyboardEvent, tabs: HTMLButtonElement[]): void {
  const rtl = document.documentElement.dir === 'rtl';
  const i = tabs.indexOf(e.target as HTMLButtonElement);
  const step: Record<string, number> = { ArrowRight: rtl ? -1 : 1, ArrowLeft: rtl ? 1 : -1, Home: -i, End: tabs.length - 1 - i };
  const delta = step[e.key];
  if (delta === undefined || i < 0) return;
  e.preventDefault();
  const next = tabs[(i + delta + tabs.length) % tabs.length];
  next?.focus();
  next?.click();
}

function picker(names: ReportName[], results: HTMLElement): HTMLElement {
  const tabs = names.map((name) =>
    h(
      'button',
      {
        type: 'button',
        role: 'tab',
        id: `report-tab-${name}`,
        'aria-selected': String(name === selection.report),
        tabindex: name === selection.report ? 0 : -1,
        'data-testid': `report-tab-${name}`,
      },
      t(`reports.names.${name}`),
    ),
  );
  tabs.forEach((tab, i) =>
    tab.addEventListener('click', () => {
      selection.report = names[i] as ReportName;
      tabs.forEach((x) => (x.setAttribute('aria-selected', String(x === tab)), (x.tabIndex = x === tab ? 0 : -1)));
      results.setAttribute('aria-labelledby', tab.id);
      void load(results);
    }),
  );
  return h('nav', { role: 'tablist', 'aria-label': t('reports.pick'), onkeydown: (e: KeyboardEvent) => onTabKey(e, tabs) }, tabs);
}

/** Draws the Reports view into its area of the shell. */
export async function renderReports(area: HTMLElement): Promise<void> {
  destroyCharts();
  const title = h('h2', {}, t('reports.title'));
  area.replaceChildren(title, h('p', { class: 'muted', role: 'status' }, t('reports.loading')));
  let options: ReportOptions;
  try {
    options = await api<ReportOptions>('GET', '/reports');
  } catch (err) {
    area.replaceChildren(title, h('p', { class: 'error', role: 'alert', 'data-testid': 'report-error' }, t('reports.error', { reason: messageOf(err) })));
    return;
  }
  if (!options.reports.includes(selection.report)) selection.report = options.reports[0] ?? 'volume';
  const results = h('div', {
    class: 'report-results',
    role: 'tabpanel',
    'aria-labelledby': `report-tab-${selection.report}`,
    // The page is a live region (index.html); a report's tables are not read out as they arrive.
    'aria-live': 'off',
    'data-testid': 'report-results',
  });
  area.replaceChildren(
    title,
    picker(options.reports, results),
    filterBar(options, () => void load(results)),
    results,
  );
  await load(results);
}
