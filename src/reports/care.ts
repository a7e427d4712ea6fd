/**
 * Care messages created in the period, per template and channel: sent (handed to the channel),
 * delivered (delivered or read), read, failed (the delivery failed), and not sent (held,
 * skipped, undeliverable, or still scheduled or deferred). Delivery comes from the message.
 */
import { columns, conversationFilter, num, rate, type ReportContext, tally } from './query.js';
import type { Report } from './types.js';

interface Row {
  template: string;
  channel: string;
  status: string;
  delivery: string;
  n: number;
}

function counts(r: Row): number[] {
  const n = num(r.n);
  if (r.status !== 'sent') return [n, 0, 0, 0, 0, n];
  const delivered = r.delivery === 'delivered' || r.delivery === 'read' ? n : 0;
  return [n, n, delivered, r.delivery === 'read' ? n : 0, r.delivery === 'failed' ? n : 0, 0];
}

export async function care(ctx: ReportContext): Promise<Report> {
  const f = conversationFilter(ctx);
  const template = ctx.db.dialect === 'postgres' ? `(cm.payload_json::json ->> 'template')` : `json_extract(cm.payload_json, '$.template')`;
  // The delivery status is looked up per care message (by the messages' key), never joined to all messages.
  const rows = await ctx.db.all<Row>(
    `SELECT s.template AS template, s.channel AS channel, s.status AS status, s.delivery AS delivery, COUNT(*) AS n
     FROM (SELECT COALESCE(${template}, cm.kind) AS template, COALESCE(cm.channel_id, '') AS channel, cm.status AS status,
             COALESCE((SELECT m.status FROM messages m WHERE m.id = cm.message_id), '') AS delivery
           FROM care_messages cm${f.sql ? ' LEFT JOIN conversations c ON c.id = cm.conversation_id' : ''}
           WHERE cm.created_at >= ? AND cm.created_at < ?${f.sql}) s
     GROUP BY s.template, s.channel, s.status, s.delivery`,
    [ctx.lo, ctx.hi, ...f.params],
  );
  const per = new Map<string, number[]>();
  for (const r of rows) tally(per, `${r.template}\u0000${r.channel}`, counts(r));
  const table = [...per]
    .map(([k, [total = 0, sent = 0, delivered = 0, read = 0, failed = 0, notSent = 0]]) => ({
      template: k.split('\u0000')[0] ?? '',
      channel: k.split('\u0000')[1] ?? '',
      total,
      sent,
      delivered,
      read,
      failed,
      not_sent: notSent,
      delivery_rate: rate(delivered, sent),
      read_rate: rate(read, sent),
    }))
    .sort((a, b) => a.template.localeCompare(b.template) || a.channel.localeCompare(b.channel));
  return {
    name: 'care',
    from: ctx.filters.from,
    to: ctx.filters.to,
    tables: [
      {
        id: 'by_template',
        title: 'care_by_template',
        columns: columns(
          ['template', 'text'],
          ['channel', 'channel'],
          ['total', 'count'],
          ['sent', 'count'],
          ['delivered', 'count'],
          ['read', 'count'],
          ['failed', 'count'],
          ['not_sent', 'count'],
          ['delivery_rate', 'percent'],
          ['read_rate', 'percent'],
        ),
        rows: table,
      },
    ],
    charts: [{ table: 'by_template', kind: 'stacked-bar', x: 'template', y: ['delivered', 'failed', 'not_sent'] }],
  };
}
