/**
 * CSAT: the shoppers' 1–5 ratings after an agent helped (`ratings`), by day, channel, language,
 * team and agent. CSAT is the share of 4s and 5s; the average is shown beside it.
 */
import { columns, conversationFilter, daysCte, num, rate, type ReportContext, tally } from './query.js';
import type { Report, ReportTable } from './types.js';

interface Row {
  i: number;
  channel: string;
  language: string;
  agent: string;
  team: string;
  n: number;
  total: number;
  satisfied: number;
}

async function rows(ctx: ReportContext): Promise<Row[]> {
  const f = conversationFilter(ctx);
  return ctx.db.all<Row>(
    `WITH ${daysCte(ctx)}
     SELECT d.i AS i, c.channel_id AS channel, COALESCE(c.language, '') AS language, COALESCE(a.name, r.agent_id, '') AS agent,
       COALESCE(t.name, a.team_id, '') AS team, COUNT(*) AS n, SUM(r.rating) AS total, SUM(CASE WHEN r.rating >= 4 THEN 1 ELSE 0 END) AS satisfied
     FROM d JOIN ratings r ON r.created_at >= d.lo AND r.created_at < d.hi JOIN conversations c ON c.id = r.conversation_id
       LEFT JOIN agents a ON a.id = r.agent_id LEFT JOIN teams t ON t.id = a.team_id
     WHERE 1 = 1${f.sql} GROUP BY d.i, c.channel_id, c.language, a.name, r.agent_id, t.name, a.team_id`,
    f.params,
  );
}

const FIGURES = columns(['ratings', 'count'], ['average', 'number'], ['csat', 'percent']);

function figures(key: string, value: string, [n = 0, total = 0, satisfied = 0]: number[]) {
  return { [key]: value, ratings: n, average: n ? Math.round((total / n) * 100) / 100 : null, csat: rate(satisfied, n) };
}

export async function csat(ctx: ReportContext): Promise<Report> {
  const all = await rows(ctx);
  const group = (key: (r: Row) => string) => {
    const out = new Map<string, number[]>();
    for (const r of all) tally(out, key(r), [num(r.n), num(r.total), num(r.satisfied)]);
    return out;
  };
  const table = (id: string, key: 'channel' | 'language' | 'team' | 'agent', type: 'channel' | 'language' | 'text'): ReportTable => ({
    id: `by_${id}`,
    title: `csat_by_${id}`,
    columns: [...columns([key, type]), ...FIGURES],
    rows: [...group((r) => r[key])].map(([k, v]) => figures(key, k, v)).sort((a, b) => b.ratings - a.ratings || String(a[key]).localeCompare(String(b[key]))),
  });
  const days = group((r) => String(r.i));
  const { scope: _, ...summary } = figures('scope', '', group(() => '').get('') ?? [0, 0, 0]);
  return {
    name: 'csat',
    from: ctx.filters.from,
    to: ctx.filters.to,
    tables: [
      { id: 'summary', title: 'csat_summary', columns: FIGURES, rows: [summary] },
      {
        id: 'by_day',
        title: 'csat_by_day',
        columns: [...columns(['date', 'date']), ...FIGURES],
        rows: ctx.days.map((d, i) => figures('date', d.date, days.get(String(i)) ?? [])),
      },
      table('channel', 'channel', 'channel'),
      table('language', 'language', 'language'),
      table('team', 'team', 'text'),
      table('agent', 'agent', 'text'),
    ],
    charts: [
      { table: 'by_day', kind: 'line', x: 'date', y: ['csat'] },
      { table: 'by_channel', kind: 'bar', x: 'channel', y: ['csat'] },
      { table: 'by_agent', kind: 'bar', x: 'agent', y: ['csat'] },
    ],
  };
}
