/**
 * Unanswered questions: the bot's unsure answers ("could you rephrase?"), grouped by the
 * question's normalised working-language text, most asked first — the knowledge base's to-do
 * list. Each group shows its latest example as the shopper asked it (personal data masked).
 */
import { columns, conversationFilter, type ReportContext } from './query.js';
import { wallClock } from './range.js';
import type { Report } from './types.js';

const LIMIT = 200;

export async function unanswered(ctx: ReportContext): Promise<Report> {
  const f = conversationFilter(ctx);
  const rows = await ctx.db.all<{ question: string; asked: number; conversations: number; example: string; last: number }>(
    `SELECT g.question AS question, g.asked AS asked, g.conversations AS conversations, x.example AS example, g.last AS last
     FROM (SELECT e.question AS question, COUNT(*) AS asked, COUNT(DISTINCT e.conversation_id) AS conversations, MAX(e.id) AS latest, MAX(e.at) AS last
           FROM report_events e JOIN conversations c ON c.id = e.conversation_id
           WHERE e.kind = 'unsure' AND e.at >= ? AND e.at < ?${f.sql}
           GROUP BY e.question ORDER BY COUNT(*) DESC, e.question LIMIT ${LIMIT}) g
     JOIN report_events x ON x.id = g.latest ORDER BY g.asked DESC, g.question`,
    [ctx.lo, ctx.hi, ...f.params],
  );
  return {
    name: 'unanswered',
    from: ctx.filters.from,
    to: ctx.filters.to,
    tables: [
      {
        id: 'questions',
        title: 'unanswered_questions',
        columns: columns(['question', 'text'], ['asked', 'count'], ['conversations', 'count'], ['example', 'text'], ['last_asked', 'date']),
        rows: rows.map((r) => ({
          question: r.question,
          asked: Number(r.asked),
          conversations: Number(r.conversations),
          example: r.example,
          last_asked: wallClock(Number(r.last), ctx.filters.timeZone).date,
        })),
      },
    ],
    charts: [{ table: 'questions', kind: 'bar', x: 'question', y: ['asked'] }],
  };
}
