/**
 * Volume: conversations and messages per day, hour, channel and language. A conversation counts
 * on a day when the shopper wrote in it that day; messages are every message stored (shopper's,
 * bot's, agents', care). Channel and language are the conversation's when the messages were
 * written. Read from `report_activity` (./activity.ts), not from the messages.
 */
import { BUCKET_MS, wallClock } from './range.js';
import { activityByDay, activityBySegment, type ActivityRow } from './activity.js';
import { columns, conversationFilter, num, type ReportContext, tally } from './query.js';
import type { Report, ReportTable } from './types.js';

type Row = ActivityRow;

/** Messages per 15-minute bucket, read as local hours of the day. */
async function byHour(ctx: ReportContext): Promise<ReportTable['rows']> {
  const f = conversationFilter(ctx, 'a', 'a.conversation_id');
  // In bucket order, as the index is: no sort.
  const rows = await ctx.db.all<{ b: number; inbound: number; total: number }>(
    `SELECT a.bucket AS b, SUM(a.inbound) AS inbound, SUM(a.inbound + a.outbound) AS total
     FROM report_activity a WHERE a.bucket >= ? AND a.bucket < ?${f.sql} GROUP BY a.bucket`,
    [ctx.lo / BUCKET_MS, ctx.hi / BUCKET_MS, ...f.params],
  );
  const hours = new Map<number, number[]>();
  for (let h = 0; h < 24; h++) hours.set(h, [0, 0]);
  for (const r of rows) tally(hours, wallClock(num(r.b) * BUCKET_MS, ctx.filters.timeZone).hour, [num(r.inbound), num(r.total)]);
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
  const [days, totals, hours] = await Promise.all([activityByDay(ctx, ctx.days), activityBySegment(ctx), byHour(ctx)]);
  const date = (r: Row) => ctx.days[num(r.i)]?.date ?? '';
  const perDay = sumBy(days, date);
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
