/**
 * Conversations and messages per local day from `report_activity` (migration 15): a
 * conversation counts on a day in its first bucket of that day with a shopper's message (the
 * row's `prev_in` is before the day), so nothing is grouped by conversation.
 *
 * Per day, each figure is a subquery over the day's range of the bucket index (both databases
 * walk the index once per day and sort nothing); per channel and language, one range scan of the
 * period grouped by both.
 */
import { bucketDaysCte, conversationFilter, dayOf, type ReportContext } from './query.js';
import { BUCKET_MS, type Day } from './range.js';

/** Figures per day (`i` into the days), or per channel and language (`i` 0). */
export interface ActivityRow {
  i: number;
  channel: string;
  language: string;
  conversations: number;
  inbound: number;
  total: number;
}

const FIRST_IN = (since: string) => `SUM(CASE WHEN a.inbound > 0 AND (a.prev_in IS NULL OR a.prev_in < ${since}) THEN 1 ELSE 0 END)`;

/** Per day of `days`. */
export async function activityByDay(ctx: ReportContext, days: readonly Day[]): Promise<ActivityRow[]> {
  if (ctx.filters.team) return activityOfTeamByDay(ctx);
  const f = conversationFilter(ctx, 'a', 'a.conversation_id');
  const of = (figure: string) => `(SELECT COALESCE(${figure}, 0) FROM report_activity a WHERE a.bucket >= d.blo AND a.bucket < d.bhi${f.sql})`;
  return ctx.db.all<ActivityRow>(
    `WITH ${bucketDaysCte(days)}
     SELECT d.i AS i, '' AS channel, '' AS language, ${of(FIRST_IN('d.blo'))} AS conversations, ${of('SUM(a.inbound)')} AS inbound,
       ${of('SUM(a.inbound + a.outbound)')} AS total
     FROM d ORDER BY d.i`,
    [...f.params, ...f.params, ...f.params],
  );
}

/**
 * A team's conversations are a small share: one scan of the period keeping theirs (the team's
 * set built once), grouped by day, rather than a scan per day probing the set each time.
 */
async function activityOfTeamByDay(ctx: ReportContext): Promise<ActivityRow[]> {
  const f = conversationFilter(ctx, 'a', 'a.conversation_id');
  const [lo, day] = [ctx.lo / BUCKET_MS, dayOf(ctx, 'a.bucket')];
  const first = `a.inbound > 0 AND (a.prev_in IS NULL OR a.prev_in < ${lo} OR ${dayOf(ctx, 'a.prev_in')} < ${day})`;
  return ctx.db.all<ActivityRow>(
    `SELECT ${day} AS i, '' AS channel, '' AS language, SUM(CASE WHEN ${first} THEN 1 ELSE 0 END) AS conversations,
       SUM(a.inbound) AS inbound, SUM(a.inbound + a.outbound) AS total
     FROM report_activity a WHERE a.bucket >= ? AND a.bucket < ?${f.sql} GROUP BY ${day}`,
    [lo, ctx.hi / BUCKET_MS, ...f.params],
  );
}

/**
 * Per channel and language over the period. `conversationsOnly` sorts only the rows that count a
 * conversation (its first shopper's bucket in the period), not every row.
 */
export async function activityBySegment(ctx: ReportContext, conversationsOnly = false): Promise<ActivityRow[]> {
  const f = conversationFilter(ctx, 'a', 'a.conversation_id');
  const lo = ctx.lo / BUCKET_MS;
  const figures = conversationsOnly
    ? `COUNT(*) AS conversations, 0 AS inbound, 0 AS total`
    : `${FIRST_IN(String(lo))} AS conversations, SUM(a.inbound) AS inbound, SUM(a.inbound + a.outbound) AS total`;
  const only = conversationsOnly ? ` AND a.inbound > 0 AND (a.prev_in IS NULL OR a.prev_in < ${lo})` : '';
  return ctx.db.all<ActivityRow>(
    `SELECT 0 AS i, a.channel_id AS channel, a.language AS language, ${figures}
     FROM report_activity a WHERE a.bucket >= ? AND a.bucket < ?${only}${f.sql} GROUP BY a.channel_id, a.language`,
    [lo, ctx.hi / BUCKET_MS, ...f.params],
  );
}

/** Per day, or per channel and language: conversations handed off, and those only a person answered (no handoff). */
export interface PersonRow {
  i: number;
  channel: string;
  language: string;
  handed_off: number;
  person_only: number;
}

// An agent's first message of the span, in a conversation the shopper wrote in and that was not handed off in it.
const PERSON_ONLY = (blo: string, bhi: string, lo: string, hi: string) => `a.bucket >= ${blo} AND a.bucket < ${bhi} AND a.agent > 0
  AND (a.prev_agent IS NULL OR a.prev_agent < ${blo})
  AND NOT EXISTS (SELECT 1 FROM report_events e WHERE e.conversation_id = a.conversation_id AND e.kind = 'handoff' AND e.at >= ${lo} AND e.at < ${hi})
  AND EXISTS (SELECT 1 FROM report_activity x WHERE x.conversation_id = a.conversation_id AND x.bucket >= ${blo} AND x.bucket < ${bhi} AND x.inbound > 0)`;

/**
 * Per day of the period. Handoffs are counted per conversation: a handoff always follows a
 * shopper's message, so the conversation counts among the day's conversations too.
 */
export async function personByDay(ctx: ReportContext): Promise<PersonRow[]> {
  const fc = conversationFilter(ctx);
  const fa = conversationFilter(ctx, 'a', 'a.conversation_id');
  const [blo, bhi] = [ctx.lo / BUCKET_MS, ctx.hi / BUCKET_MS];
  const day = (column: string) => dayOf(ctx, column);
  const sameDay = (column: string) => `${day(column)} = ${day('a.bucket')}`;
  return ctx.db.all<PersonRow>(
    `SELECT ${day(`e.at / ${BUCKET_MS}`)} AS i, '' AS channel, '' AS language, COUNT(DISTINCT e.conversation_id) AS handed_off, 0 AS person_only
     FROM report_events e JOIN conversations c ON c.id = e.conversation_id
     WHERE e.kind = 'handoff' AND e.at >= ? AND e.at < ?${fc.sql} GROUP BY ${day(`e.at / ${BUCKET_MS}`)}
     UNION ALL
     SELECT ${day('a.bucket')} AS i, '' AS channel, '' AS language, 0 AS handed_off, COUNT(*) AS person_only
     FROM report_activity a WHERE a.bucket >= ${blo} AND a.bucket < ${bhi} AND a.agent > 0
       AND (a.prev_agent IS NULL OR a.prev_agent < ${blo} OR ${day('a.prev_agent')} < ${day('a.bucket')})
       AND NOT EXISTS (SELECT 1 FROM report_events e WHERE e.conversation_id = a.conversation_id AND e.kind = 'handoff'
         AND e.at >= ${ctx.lo} AND e.at < ${ctx.hi} AND ${sameDay(`e.at / ${BUCKET_MS}`)})
       AND EXISTS (SELECT 1 FROM report_activity x WHERE x.conversation_id = a.conversation_id AND x.bucket >= ${blo} AND x.bucket < ${bhi}
         AND x.inbound > 0 AND ${sameDay('x.bucket')})${fa.sql}
     GROUP BY ${day('a.bucket')}`,
    [ctx.lo, ctx.hi, ...fc.params, ...fa.params],
  );
}

/** Per channel and language over the period (a handoff's by its conversation's channel and language). */
export async function personBySegment(ctx: ReportContext): Promise<PersonRow[]> {
  const fc = conversationFilter(ctx);
  const fa = conversationFilter(ctx, 'a', 'a.conversation_id');
  const [blo, bhi] = [String(ctx.lo / BUCKET_MS), String(ctx.hi / BUCKET_MS)];
  return ctx.db.all<PersonRow>(
    `SELECT 0 AS i, c.channel_id AS channel, COALESCE(c.language, '') AS language, COUNT(DISTINCT e.conversation_id) AS handed_off, 0 AS person_only
     FROM report_events e JOIN conversations c ON c.id = e.conversation_id
     WHERE e.kind = 'handoff' AND e.at >= ? AND e.at < ?${fc.sql} GROUP BY c.channel_id, c.language
     UNION ALL
     SELECT 0 AS i, a.channel_id AS channel, a.language AS language, 0 AS handed_off, COUNT(*) AS person_only
     FROM report_activity a WHERE ${PERSON_ONLY(blo, bhi, String(ctx.lo), String(ctx.hi))}${fa.sql} GROUP BY a.channel_id, a.language`,
    [ctx.lo, ctx.hi, ...fc.params, ...fa.params],
  );
}
