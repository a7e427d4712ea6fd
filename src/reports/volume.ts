/**
 * Volume: conversations and messages per day, hour, channel and language. A conversation counts
 * on a day when the shopper wrote in it that day; messages are every message stored (shopper's,
 * bot's, agents', care). Channel and language are the conversation's.
 */
import { BUCKET_MS, wallClock } from './range.js';
import { columns, conversationFilter, daysCte, filtered, num, type ReportContext, tally } from './query.js';
import type { Report, ReportTable } from './types.js';

interface Row {
  i: number;
  channel: string;
  language: string;
  conversations: number;
  inbound: number;
  total: number;
}

// Messages are grouped per conversation first, so the join to conversations runs once per
// conversation and day, not once per message.
async function byDay(ctx: ReportContext): Promise<Row[]> {
  const f = conversationFilter(ctx);
  return ctx.db.all<Row>(
    `WITH ${daysCte(ctx)},
     per AS (SELECT d.i AS i, m.conversation_id AS cid, SUM(CASE WHEN m.role = 'shopper' THEN 1 ELSE 0 END) AS inbound, COUNT(*) AS total
             FROM d JOIN messages m ON m.created_at >= d.lo AND m.created_at < d.hi GROUP BY d.i, m.conversation_id)
     SELECT per.i AS i, c.channel_id AS channel, COALESCE(c.language, '') AS language,
       SUM(CASE WHEN per.inbound > 0 THEN 1 ELSE 0 END) AS conversations, SUM(per.inbound) AS inbound, SUM(per.total) AS total
     FROM per JOIN conversations c ON c.id = per.cid WHERE 1 = 1${f.sql}
     GROUP BY per.i, c.channel_id, c.language`,
    f.params,
  );
}

async function byChannelLanguage(ctx: ReportContext): Promise<Row[]> {
  const f = conversationFilter(ctx);
  return ctx.db.all<Row>(
    `WITH per AS (SELECT m.conversation_id AS cid, SUM(CASE WHEN m.role = 'shopper' THEN 1 ELSE 0 END) AS inbound, COUNT(*) AS total
                  FROM messages m WHERE m.created_at >= ? AND m.created_at < ? GROUP BY m.conversation_id)
     SELECT 0 AS i, c.channel_id AS channel, COALESCE(c.language, '') AS language,
       SUM(CASE WHEN per.inbound > 0 THEN 1 ELSE 0 END) AS conversations, SUM(per.inbound) AS inbound, SUM(per.total) AS total
     FROM per JOIN conversations c ON c.id = per.cid WHERE 1 = 1${f.sql}
     GROUP BY c.channel_id, c.language`,
    [ctx.lo, ctx.hi, ...f.params],
  );
}

/** Messages per 15-minute bucket, read as local hours of the day. */
async function byHour(ctx: ReportContext): Promise<ReportTable['rows']> {
  const f = conversationFilter(ctx);
  const only = filtered(ctx) ? ` AND m.conversation_id IN (SELECT c.id FROM conversations c WHERE 1 = 1${f.sql})` : '';
  const rows = await ctx.db.all<{ b: number; inbound: number; total: number }>(
    `SELECT (m.created_at - CAST(? AS BIGINT)) / ${BUCKET_MS} AS b, SUM(CASE WHEN m.role = 'shopper' THEN 1 ELSE 0 END) AS inbound, COUNT(*) AS total
     FROM messages m WHERE m.created_at >= ? AND m.created_at < ?${only} GROUP BY 1`,
    [ctx.lo, ctx.lo, ctx.hi, ...(only ? f.params : [])],
  );
  const hours = new Map<number, number[]>();
  for (let h = 0; h < 24; h++) hours.set(h, [0, 0]);
  for (const r of rows) tally(hours, wallClock(ctx.lo + num(r.b) * BUCKET_MS, ctx.filters.timeZone).hour, [num(r.inbound), num(r.total)]);
  return [...hours].map(([hour, [inbound = 0, total = 0]]) => ({ hour, messages: total, inbound, outbound: total - inbound }));
}

function sumBy(rows: Row[], key: (r: Row) => string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const r of rows) tally(out, key(r), [num(r.conversations), num(r.total), num(r.inbound)]);
  return out;
}

const counted = (map: Map<string, number[]>, name: string) =>
  [...map].map(([k, [conversations = 0, messages = 0, inbound = 0]]) => ({ [name]: k, conversations, messages, inbound, outbound: messages - inbound }));

export async function volume(ctx: ReportContext): Promise<Report> {
  const [days, totals, hours] = await Promise.all([byDay(ctx), byChannelLanguage(ctx), byHour(ctx)]);
  const date = (r: Row) => ctx.days[num(r.i)]?.date ?? '';
  const perDay = sumBy(days, date);
  const perDayChannel = sumBy(days, (r) => `${date(r)}\u0000${r.channel}`);
  const counts: [string, 'count'][] = [
    ['conversations', 'count'],
    ['messages', 'count'],
    ['inbound', 'count'],
    ['outbound', 'count'],
  ];
  const tables: ReportTable[] = [
    {
      id: 'by_day',
      title: 'volume_by_day',
      columns: columns(['date', 'date'], ...counts),
      rows: ctx.days.map((d) => counted(new Map([[d.date, perDay.get(d.date) ?? [0, 0, 0]]]), 'date')[0] ?? {}),
    },
    {
      id: 'by_day_channel',
      title: 'volume_by_day_channel',
      columns: columns(['date', 'date'], ['channel', 'channel'], ['conversations', 'count'], ['messages', 'count']),
      rows: [...perDayChannel]
        .map(([k, [conversations = 0, messages = 0]]) => ({ date: k.split('\u0000')[0] ?? '', channel: k.split('\u0000')[1] ?? '', conversations, messages }))
        .sort((a, b) => a.date.localeCompare(b.date) || a.channel.localeCompare(b.channel)),
    },
    {
      id: 'by_hour',
      title: 'volume_by_hour',
      columns: columns(['hour', 'hour'], ['messages', 'count'], ['inbound', 'count'], ['outbound', 'count']),
      rows: hours,
    },
    {
      id: 'by_channel',
      title: 'volume_by_channel',
      columns: columns(['channel', 'channel'], ...counts),
      rows: byCount(
        counted(
          sumBy(totals, (r) => r.channel),
          'channel',
        ),
      ),
    },
    {
      id: 'by_language',
      title: 'volume_by_language',
      columns: columns(['language', 'language'], ...counts),
      rows: byCount(
        counted(
          sumBy(totals, (r) => r.language),
          'language',
        ),
      ),
    },
  ];
  return {
    name: 'volume',
    from: ctx.filters.from,
    to: ctx.filters.to,
    tables,
    charts: [
      { table: 'by_day', kind: 'line', x: 'date', y: ['conversations', 'messages'] },
      { table: 'by_day_channel', kind: 'stacked-bar', x: 'date', y: ['conversations'], series: 'channel' },
      { table: 'by_hour', kind: 'bar', x: 'hour', y: ['inbound', 'outbound'] },
      { table: 'by_channel', kind: 'doughnut', x: 'channel', y: ['conversations'] },
      { table: 'by_language', kind: 'doughnut', x: 'language', y: ['conversations'] },
    ],
  };
}

/** Biggest first, then by name. */
export function byCount<T extends Record<string, string | number | null>>(rows: T[], key = 'conversations'): T[] {
  return rows.sort((a, b) => num(b[key]) - num(a[key]) || String(Object.values(a)[0]).localeCompare(String(Object.values(b)[0])));
}
