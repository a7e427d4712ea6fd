/**
 * Conversations and messages per local day from `report_activity` (migration 15): a
 * conversation counts on a day in its first bucket of that day with a shopper's message (the
 * row's `prev_in` is before the day), so nothing is grouped by conversation.
 */
import { bucketDaysCte, conversationFilter, type ReportContext } from './query.js';
import type { Day } from './range.js';

/** Figures per day (`i` into `days`), channel and language. */
export interface ActivityRow {
  i: number;
  channel: string;
  language: string;
  conversations: number;
  inbound: number;
  total: number;
}

// Grouping by day alone streams (the days are joined in order); splitting by channel and language
// sorts every row, so callers split only when they ask for the whole period.
const split = (on: boolean, alias: string) =>
  on
    ? { columns: `${alias}.channel_id AS channel, ${alias}.language AS language`, group: `, ${alias}.channel_id, ${alias}.language` }
    : { columns: `'' AS channel, '' AS language`, group: '' };

/** Figures per day of `days`, or (with `bySegment`) per channel and language. */
export async function activity(ctx: ReportContext, days: readonly Day[], bySegment = false): Promise<ActivityRow[]> {
  const f = conversationFilter(ctx, 'a', 'a.conversation_id');
  const s = split(bySegment, 'a');
  return ctx.db.all<ActivityRow>(
    `WITH ${bucketDaysCte(days)}
     SELECT d.i AS i, ${s.columns},
       SUM(CASE WHEN a.inbound > 0 AND (a.prev_in IS NULL OR a.prev_in < d.blo) THEN 1 ELSE 0 END) AS conversations,
       SUM(a.inbound) AS inbound, SUM(a.inbound + a.outbound) AS total
     FROM d JOIN report_activity a ON a.bucket >= d.blo AND a.bucket < d.bhi
     WHERE 1 = 1${f.sql} GROUP BY d.i${s.group}`,
    f.params,
  );
}

/** Per day, channel and language: conversations the shopper wrote in that were handed off that day, or that only a person answered. */
export interface PersonRow {
  i: number;
  channel: string;
  language: string;
  handed_off: number;
  person_only: number;
}

export async function withPerson(ctx: ReportContext, days: readonly Day[], bySegment = false): Promise<PersonRow[]> {
  const f = conversationFilter(ctx, 'x', 'x.conversation_id');
  const s = split(bySegment, 'x');
  return ctx.db.all<PersonRow>(
    `WITH ${bucketDaysCte(days)},
     p AS (SELECT d.i AS i, e.conversation_id AS cid, 1 AS handed FROM d JOIN report_events e ON e.kind = 'handoff' AND e.at >= d.lo AND e.at < d.hi
           UNION ALL
           SELECT d.i AS i, a.conversation_id AS cid, 0 AS handed FROM d JOIN report_activity a ON a.bucket >= d.blo AND a.bucket < d.bhi
           WHERE a.agent > 0 AND (a.prev_agent IS NULL OR a.prev_agent < d.blo)),
     q AS (SELECT i, cid, MAX(handed) AS handed FROM p GROUP BY i, cid)
     SELECT q.i AS i, ${s.columns}, SUM(q.handed) AS handed_off, SUM(1 - q.handed) AS person_only
     FROM q JOIN d ON d.i = q.i
       JOIN report_activity x ON x.conversation_id = q.cid AND x.bucket >= d.blo AND x.bucket < d.bhi AND x.inbound > 0 AND (x.prev_in IS NULL OR x.prev_in < d.blo)
     WHERE 1 = 1${f.sql} GROUP BY q.i${s.group}`,
    f.params,
  );
}
