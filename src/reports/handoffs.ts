/** Handoffs: how many conversations were handed to a person, and why (the trigger's reason). */
import { columns, conversationFilter, daysCte, num, rate, type ReportContext, tally } from './query.js';
import type { Report } from './types.js';

interface Row {
  i: number;
  reason: string;
  channel: string;
  team: string;
  n: number;
}

export async function handoffs(ctx: ReportContext): Promise<Report> {
  const f = conversationFilter(ctx);
  const rows = await ctx.db.all<Row>(
    `WITH ${daysCte(ctx)}
     SELECT d.i AS i, COALESCE(e.reason, '') AS reason, c.channel_id AS channel, COALESCE(e.team_id, '') AS team, COUNT(*) AS n
     FROM d JOIN report_events e ON e.kind = 'handoff' AND e.at >= d.lo AND e.at < d.hi JOIN conversations c ON c.id = e.conversation_id
     WHERE 1 = 1${f.sql} GROUP BY d.i, e.reason, c.channel_id, e.team_id`,
    f.params,
  );
  const teams = new Map((await ctx.db.all<{ id: string; name: string }>('SELECT id, name FROM teams')).map((t) => [t.id, t.name]));
  const by = (key: (r: Row) => string) => {
    const out = new Map<string, number[]>();
    for (const r of rows) tally(out, key(r), [num(r.n)]);
    return [...out].map(([k, [n = 0]]) => [k, n] as const).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  };
  const total = rows.reduce((s, r) => s + num(r.n), 0);
  const day = (r: Row) => ctx.days[num(r.i)]?.date ?? '';
  return {
    name: 'handoffs',
    from: ctx.filters.from,
    to: ctx.filters.to,
    tables: [
      {
        id: 'by_reason',
        title: 'handoffs_by_reason',
        columns: columns(['reason', 'text'], ['handoffs', 'count'], ['share', 'percent']),
        rows: by((r) => r.reason).map(([reason, n]) => ({ reason, handoffs: n, share: rate(n, total) })),
      },
      {
        id: 'by_day',
        title: 'handoffs_by_day',
        columns: columns(['date', 'date'], ['reason', 'text'], ['handoffs', 'count']),
        rows: by((r) => `${day(r)}\u0000${r.reason}`)
          .map(([k, n]) => ({ date: k.split('\u0000')[0] ?? '', reason: k.split('\u0000')[1] ?? '', handoffs: n }))
          .sort((a, b) => a.date.localeCompare(b.date) || a.reason.localeCompare(b.reason)),
      },
      {
        id: 'by_channel',
        title: 'handoffs_by_channel',
        columns: columns(['channel', 'channel'], ['handoffs', 'count'], ['share', 'percent']),
        rows: by((r) => r.channel).map(([channel, n]) => ({ channel, handoffs: n, share: rate(n, total) })),
      },
      {
        id: 'by_team',
        title: 'handoffs_by_team',
        columns: columns(['team', 'text'], ['handoffs', 'count'], ['share', 'percent']),
        rows: by((r) => r.team).map(([team, n]) => ({ team: teams.get(team) ?? team, handoffs: n, share: rate(n, total) })),
      },
    ],
    charts: [
      { table: 'by_reason', kind: 'doughnut', x: 'reason', y: ['handoffs'] },
      { table: 'by_day', kind: 'stacked-bar', x: 'date', y: ['handoffs'], series: 'reason' },
      { table: 'by_channel', kind: 'bar', x: 'channel', y: ['handoffs'] },
    ],
  };
}
