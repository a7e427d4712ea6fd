/**
 * Containment: of the conversations the shopper wrote in, how many the bot handled alone (no
 * handoff requested and no person wrote in the period, or on the day), and the handoff rate.
 */
import { activityByDay, activityBySegment, type ActivityRow, personByDay, personBySegment, type PersonRow } from './activity.js';
import { columns, num, rate, type ReportContext, tally } from './query.js';
import { byCount } from './volume.js';
import type { Report, ReportTable } from './types.js';

/** Per day (or the period) and channel and language: conversations, contained, handed off, person only. */
function figuresBy(active: readonly ActivityRow[], person: readonly PersonRow[], conversations: (r: ActivityRow) => number, i?: number): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const key = (r: { i: number; channel: string; language: string }) => `${i ?? num(r.i)}\u0000${r.channel}\u0000${r.language}`;
  for (const r of active) tally(out, key(r), [conversations(r), conversations(r), 0, 0]);
  for (const r of person) tally(out, key(r), [0, -num(r.handed_off) - num(r.person_only), num(r.handed_off), num(r.person_only)]);
  return out;
}

function figures(key: string, value: string, [conversations = 0, contained = 0, handedOff = 0, personOnly = 0]: number[]) {
  return {
    [key]: value,
    conversations,
    contained,
    handed_off: handedOff,
    person_only: personOnly,
    containment: rate(contained, conversations),
    handoff_rate: rate(handedOff, conversations),
  };
}

/** Sums the figures of the keys (`i\0channel\0language`) by the part `pick` chooses. */
function sumBy(figures: Map<string, number[]>, pick: (parts: string[]) => string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const [k, v] of figures) tally(out, pick(k.split('\u0000')), v);
  return out;
}

const FIGURE_COLUMNS = columns(
  ['conversations', 'count'],
  ['contained', 'count'],
  ['handed_off', 'count'],
  ['person_only', 'count'],
  ['containment', 'percent'],
  ['handoff_rate', 'percent'],
);

export async function containment(ctx: ReportContext): Promise<Report> {
  const [daily, perDay, segments, perPeriod] = await Promise.all([
    activityByDay(ctx, ctx.days),
    personByDay(ctx),
    activityBySegment(ctx, true),
    personBySegment(ctx),
  ]);
  const days = figuresBy(daily, perDay, (r) => num(r.conversations));
  const totals = figuresBy(segments, perPeriod, (r) => num(r.conversations));
  const group = (at: number) => sumBy(totals, (parts) => parts[at] ?? '');
  const all = sumBy(totals, () => 'all').get('all') ?? [0, 0, 0, 0];
  const day = sumBy(days, ([i]) => i ?? '');
  const tables: ReportTable[] = [
    { id: 'summary', title: 'containment_summary', columns: FIGURE_COLUMNS, rows: [figures('scope', 'all', all)].map(({ scope: _, ...r }) => r) },
    {
      id: 'by_day',
      title: 'containment_by_day',
      columns: [...columns(['date', 'date']), ...FIGURE_COLUMNS],
      rows: ctx.days.map((d, i) => figures('date', d.date, day.get(String(i)) ?? [0, 0, 0, 0])),
    },
    {
      id: 'by_channel',
      title: 'containment_by_channel',
      columns: [...columns(['channel', 'channel']), ...FIGURE_COLUMNS],
      rows: byCount([...group(1)].map(([k, v]) => figures('channel', k, v))),
    },
    {
      id: 'by_language',
      title: 'containment_by_language',
      columns: [...columns(['language', 'language']), ...FIGURE_COLUMNS],
      rows: byCount([...group(2)].map(([k, v]) => figures('language', k, v))),
    },
  ];
  return {
    name: 'containment',
    from: ctx.filters.from,
    to: ctx.filters.to,
    tables,
    charts: [
      { table: 'by_day', kind: 'line', x: 'date', y: ['containment', 'handoff_rate'] },
      { table: 'by_channel', kind: 'bar', x: 'channel', y: ['containment'] },
      { table: 'by_language', kind: 'bar', x: 'language', y: ['containment'] },
    ],
  };
}
