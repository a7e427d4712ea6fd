/**
 * A report's charts, drawn by chart.js on canvas. Only the pieces the reports use are
 * registered, so the console bundle carries no other chart type. What a chart shows comes from
 * the report (`ReportChart`: table, kind, x, y columns, optional series column); nothing here
 * knows one report from another.
 */

import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  type ChartDataset,
  DoughnutController,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import type { ColumnType, ReportChart, ReportColumn, ReportTable } from '../../../../src/reports/types.js';
import { h } from '../../../shared/dom.js';
import { t } from './host.js';
import { type Cell, cellText, formatLocale, formatValue } from './format.js';
import { columnLabel } from './labels.js';

Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  DoughnutController,
  ArcElement,
  CategoryScale,
  LinearScale,
  Legend,
  Tooltip,
);

// Okabe–Ito: told apart by people with the common colour-vision deficiencies.
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];
const colour = (i: number) => PALETTE[i % PALETTE.length] as string;

type Kind = 'bar' | 'line' | 'doughnut';
type Points = (number | null)[];
type Config = ChartConfiguration<Kind, Points>;

interface Series {
  label: string;
  data: (number | null)[];
}

/** What a chart plots: the x labels, and one series per y column (or per value of the series column). */
export interface Plot {
  labels: string[];
  series: Series[];
  /** The type of the plotted figures, for the axis, the tooltips and the summary. */
  figure: ColumnType;
}

const unique = (values: Cell[]) => [...new Set(values.map((v) => String(v ?? '')))];
const num = (v: Cell) => (v === null || v === undefined || v === '' ? null : Number(v));

/** Turns a report table into what `spec` plots; rows in long form (x, series, y) are pivoted. */
export function plotOf(table: ReportTable, spec: ReportChart, currency: string): Plot {
  const col = (key: string): ReportColumn => table.columns.find((c) => c.key === key) ?? { key, type: 'text', label: key };
  const x = col(spec.x);
  const xs = unique(table.rows.map((r) => r[x.key]));
  const labels = xs.map((v) => cellText(x, v, currency, true));
  const ys = spec.y.map(col);
  const figure = ys[0]?.type ?? 'number';
  if (!spec.series) {
    const byX = new Map(table.rows.map((r) => [String(r[x.key] ?? ''), r]));
    return { labels, figure, series: ys.map((y) => ({ label: columnLabel(y.label), data: xs.map((v) => num(byX.get(v)?.[y.key])) })) };
  }
  const s = col(spec.series);
  const series = unique(table.rows.map((r) => r[s.key])).flatMap((value) =>
    ys.map((y) => {
      const rows = table.rows.filter((r) => String(r[s.key] ?? '') === value);
      const byX = new Map(rows.map((r) => [String(r[x.key] ?? ''), r]));
      const name = cellText(s, value, currency);
      return { label: ys.length > 1 ? `${name} · ${columnLabel(y.label)}` : name, data: xs.map((v) => num(byX.get(v)?.[y.key])) };
    }),
  );
  return { labels, figure, series };
}

/** One sentence per series: its highest figure and where, for the text summary beside the chart. */
function summaryOf(plot: Plot, currency: string): string {
  const highs = plot.series.slice(0, 6).flatMap((s) => {
    let best = -1;
    s.data.forEach((v, i) => {
      if (v !== null && (best < 0 || v > (s.data[best] ?? 0))) best = i;
    });
    if (best < 0) return [];
    return [t('reports.summary_high', { series: s.label, value: formatValue(plot.figure, s.data[best], currency), at: plot.labels[best] ?? '' })];
  });
  return [t('reports.summary_points', { count: plot.labels.length }), ...highs].join(' ');
}

function datasets(plot: Plot, kind: ReportChart['kind']): ChartDataset<Kind, Points>[] {
  if (kind === 'doughnut') return plot.series.slice(0, 1).map((s) => ({ label: s.label, data: s.data, backgroundColor: plot.labels.map((_, i) => colour(i)) }));
  return plot.series.map((s, i) => ({
    label: s.label,
    data: s.data,
    backgroundColor: colour(i),
    borderColor: colour(i),
    borderWidth: kind === 'line' ? 2 : 0,
    maxBarThickness: 56,
  }));
}

// A doughnut's parsed point is its number; a bar's or a line's is {x, y}.
const parsedValue = (p: unknown) => (typeof p === 'number' ? p : ((p as { y?: number } | null)?.y ?? null));

function config(plot: Plot, kind: ReportChart['kind'], currency: string): Config {
  const rtl = document.documentElement.dir === 'rtl';
  // The console's own type and muted ink: the fonts it lists cover CJK, Thai and Arabic.
  const page = getComputedStyle(document.documentElement);
  Chart.defaults.color = page.getPropertyValue('--muted').trim() || '#4b5563';
  Chart.defaults.font.family = page.fontFamily;
  const tick = (v: number | string) => formatValue(plot.figure, Number(v), currency);
  const stacked = kind === 'stacked-bar';
  const axes =
    kind === 'doughnut'
      ? {}
      : {
          x: { stacked, reverse: rtl, offset: true },
          y: {
            stacked,
            beginAtZero: true,
            position: rtl ? ('right' as const) : ('left' as const),
            ticks: { callback: tick, precision: plot.figure === 'count' ? 0 : undefined },
          },
        };
  return {
    type: kind === 'stacked-bar' ? 'bar' : kind,
    data: { labels: plot.labels, datasets: datasets(plot, kind) },
    options: {
      // Drawn at once: nothing moves for those who asked for less motion, and a screenshot shows the figures.
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      locale: formatLocale(),
      scales: axes,
      plugins: {
        legend: { position: 'bottom', rtl, textDirection: rtl ? 'rtl' : 'ltr' },
        tooltip: { rtl, callbacks: { label: (c) => `${c.dataset.label ?? ''}: ${formatValue(plot.figure, parsedValue(c.parsed), currency)}` } },
      },
    },
  } as Config;
}

const live = new Set<Chart<Kind, Points>>();

/** Frees the charts of the previous report before another is drawn. */
export function destroyCharts(): void {
  for (const chart of live) chart.destroy();
  live.clear();
}

/**
 * A chart as a figure: the canvas (an image to assistive technology, named by its title) and
 * the text summary it is described by. Call `draw` once the figure is in the document.
 */
export function chartFigure(plot: Plot, spec: ReportChart, title: string, id: string, currency: string): { figure: HTMLElement; draw(): void } {
  const summary = h('p', { id: `${id}-summary`, class: 'chart-summary', 'data-testid': 'chart-summary' }, summaryOf(plot, currency));
  const canvas = h('canvas', {
    role: 'img',
    'aria-label': `${title} — ${t(`reports.kind.${spec.kind}`)}`,
    'aria-describedby': summary.id,
    'data-testid': `chart-${spec.table}`,
  });
  const figure = h('figure', { class: 'chart' }, h('div', { class: 'chart-box' }, canvas), summary);
  return { figure, draw: () => void live.add(new Chart<Kind, Points>(canvas, config(plot, spec.kind, currency))) };
}
