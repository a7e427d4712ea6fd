/**
 * Containment: of the conversations the shopper wrote in, how many the bot handled alone (no
 * handoff requested and no person wrote in the period), and the handoff rate.
 */
import { columns, conversationFilter, daysCte, num, rate, type ReportContext, tally } from './query.js';
import { byCount } from './volume.js';
import type { Report, ReportTable } from './types.js';

interface Row {
  i: number;
  channel: string;
  language: string;
  conversations: number;
  contained: number;
  handed_off: number;
}

const FIGURES = `COUNT(*) AS conversations,
  SUM(CASE WHEN per.agent = 0 AND ho.cid IS NULL THEN 1 ELSE 0 END) AS contained,
  SUM(CASE WHEN ho.cid IS NOT NULL THEN 1 ELSE 0 END) AS handed_off`;
const PER = `SUM(CASE WHEN m.role = 'shopper' THEN 1 ELSE 0 END) AS inbound, SUM(CASE WHEN m.role = 'agent' THEN 1 ELSE 0 END) AS agent`;

async function perDay(ctx: ReportContext): Promise<Row[]> {
  const f = conversationFilter(ctx);
  return ctx.db.all<Row>(
    `WITH ${daysCte(ctx)},
     per AS (SELECT d.i AS i, m.conversation_id AS cid, ${PER} FROM d JOIN messages m ON m.created_at >= d.lo AND m.created_at < d.hi GROUP BY d.i, m.conversation_id),
     ho AS (SELECT DISTINCT d.i AS i, e.conversation_id AS cid FROM d JOIN report_events e ON e.kind = 'handoff' AND e.at >= d.lo AND e.at < d.hi)
     SELECT per.i AS i, '' AS channel, '' AS language, ${FIGURES}
     FROM per JOIN conversations c ON c.id = per.cid LEFT JOIN ho ON ho.i = per.i AND ho.cid = per.cid
     WHERE per.inbound > 0${f.sql} GROUP BY per.i`,
    f.params,
  );
}

async function perChannelLanguage(ctx: ReportContext): Promise<Row[]> {
  const f = conversationFilter(ctx);
  return ctx.db.all<Row>(
    `WITH per AS (SELECT m.conversation_id AS cid, ${PER} FROM messages m WHERE m.created_at >= ? AND m.created_at < ? GROUP BY m.conversation_id),
     ho AS (SELECT DISTINCT e.conversation_id AS cid FROM report_events e WHERE e.kind = 'handoff' AND e.at >= ? AND e.at < ?)
     SELECT 0 AS i, c.channel_id AS channel, COALESCE(c.language, '') AS language, ${FIGURES}
     FROM per JOIN conversations c ON c.id = per.cid LEFT JOIN ho ON ho.cid = per.cid
     WHERE per.inbound > 0${f.sql} GROUP BY c.channel_id, c.language`,
    [ctx.lo, ctx.hi, ctx.lo, ctx.hi, ...f.params],
  );
}

function figures(key: string, value: string, [conversations = 0, contained = 0, handedOff = 0]: number[]) {
  return {
    [key]: value,
    conversations,
    contained,
    handed_off: handedOff,
    person_only: conversations - contained - handedOff,
    containment: rate(contained, conversations),
    handoff_rate: rate(handedOff, conversations),
  };
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
  const [days, totals] = await Promise.all([perDay(ctx), perChannelLanguage(ctx)]);
  const group = (key: (r: Row) => string) => {
    const out = new Map<string, number[]>();
    for (const r of totals) tally(out, key(r), [num(r.conversations), num(r.contained), num(r.handed_off)]);
    return out;
  };
  const all = group(() => 'all').get('all') ?? [0, 0, 0];
  const day = new Map(days.map((r) => [num(r.i), [num(r.conversations), num(r.contained), num(r.handed_off)]]));
  const tables: ReportTable[] = [
    { id: 'summary', title: 'containment_summary', columns: FIGURE_COLUMNS, rows: [figures('scope', 'all', all)].map(({ scope: _, ...r }) => r) },
    {
      id: 'by_day',
      title: 'containment_by_day',
      columns: [...columns(['date', 'date']), ...FIGURE_COLUMNS],
      rows: ctx.days.map((d, i) => figures('date', d.date, day.get(i) ?? [0, 0, 0])),
    },
    {
      id: 'by_channel',
      title: 'containment_by_channel',
      columns: [...columns(['channel', 'channel']), ...FIGURE_COLUMNS],
      rows: byCount([...group((r) => r.channel)].map(([k, v]) => figures('channel', k, v))),
    },
    {
      id: 'by_language',
      title: 'containment_by_language',
      columns: [...columns(['language', 'language']), ...FIGURE_COLUMNS],
      rows: byCount([...group((r) => r.language)].map(([k, v]) => figures('language', k, v))),
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
