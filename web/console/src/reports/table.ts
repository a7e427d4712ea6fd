/**
 * A report table as an accessible `<table>` (caption, column and row headers), with its CSV
 * download, and the section that shows it under its charts or in their place.
 */

import type { ReportChart, ReportTable } from '../../../../src/reports/types.js';
import { h } from '../../../shared/dom.js';
import { t } from './host.js';
import { chartFigure, plotOf } from './chart.js';
import { cellText, isFigure } from './format.js';
import { columnLabel, tableLabel } from './labels.js';

/** The rows of `table` with their figures formatted for the agent; the first label column heads each row. */
function reportTable(table: ReportTable, currency: string): HTMLTableElement {
  const head = table.columns.findIndex((c) => !isFigure(c.type));
  const cell = (row: ReportTable['rows'][number], i: number) => {
    const c = table.columns[i];
    if (!c) return null;
    const text = cellText(c, row[c.key], currency);
    return i === head ? h('th', { scope: 'row' }, text) : h('td', { class: isFigure(c.type) ? 'num' : null }, text);
  };
  const rows = table.rows.length
    ? table.rows.map((row) =>
        h(
          'tr',
          {},
          table.columns.map((_, i) => cell(row, i)),
        ),
      )
    : h('tr', {}, h('td', { colspan: table.columns.length, class: 'muted' }, t('reports.no_rows')));
  return h(
    'table',
    { class: 'report', 'data-testid': `table-${table.id}` },
    h('caption', { class: 'sr' }, tableLabel(table.title)),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        table.columns.map((c) => h('th', { scope: 'col', class: isFigure(c.type) ? 'num' : null }, columnLabel(c.label))),
      ),
    ),
    h('tbody', {}, rows),
  );
}

/** Where a table's charts and views live: drawn after the section is in the document. */
export interface TableSection {
  section: HTMLElement;
  draw(): void;
}

/**
 * A table of the report: its title, the CSV link, its charts with a button that shows the
 * table in their place (and back), or the table alone when nothing charts it.
 */
export function tableSection(table: ReportTable, charts: ReportChart[], csvHref: string, currency: string): TableSection {
  const id = `report-${table.id}`;
  const title = tableLabel(table.title);
  const tableBox = h('div', { id: `${id}-table`, class: 'table-box' }, reportTable(table, currency));
  const figures = charts.map((spec, i) => chartFigure(plotOf(table, spec, currency), spec, title, `${id}-${i}`, currency));
  const csv = h(
    'a',
    { href: csvHref, download: true, class: 'csv', 'data-testid': `csv-${table.id}`, 'aria-label': t('reports.csv_for', { title }) },
    t('reports.csv'),
  );
  const tools = h('div', { class: 'section-tools' }, csv);
  const body: HTMLElement[] = [tableBox];
  if (figures.length) {
    const chartBox = h(
      'div',
      { id: `${id}-charts`, class: 'charts' },
      figures.map((f) => f.figure),
    );
    tableBox.hidden = true;
    const toggle = h(
      'button',
      { type: 'button', 'aria-pressed': 'false', 'aria-controls': `${chartBox.id} ${tableBox.id}`, 'data-testid': `toggle-${table.id}` },
      t('reports.show_table'),
    );
    toggle.addEventListener('click', () => {
      const showTable = tableBox.hidden;
      tableBox.hidden = !showTable;
      chartBox.hidden = showTable;
      toggle.setAttribute('aria-pressed', String(showTable));
      toggle.textContent = showTable ? t('reports.show_chart') : t('reports.show_table');
    });
    tools.prepend(toggle);
    body.unshift(chartBox);
  }
  const section = h(
    'section',
    { class: 'report-section', 'aria-labelledby': `${id}-title`, 'data-testid': `section-${table.id}` },
    h('h3', { id: `${id}-title` }, title),
    tools,
    body,
  );
  return { section, draw: () => figures.forEach((f) => f.draw()) };
}
