/**
 * Response times. Bot: for conversations started in the period, from the shopper's first
 * message to the bot's first reply after it; resolution, for those no person took part in, to
 * the bot's reply to the shopper's last message in the period (care messages sent days later do
 * not stretch it). Agents: for each handoff in the period, from the handoff to the first
 * agent reply after it, and to the first resolution after it.
 */
import { columns, conversationFilter, mean, num, percentile, type ReportContext } from './query.js';
import type { Report, ReportTable } from './types.js';

async function botTimes(ctx: ReportContext): Promise<{ first: number[]; resolution: number[] }> {
  const f = conversationFilter(ctx);
  const bot = (after: string) => `(SELECT MIN(m.created_at) FROM messages m WHERE m.conversation_id = q.cid AND m.role = 'bot' AND m.created_at >= ${after})`;
  const rows = await ctx.db.all<{ asked: number; answered: number | null; last: number | null; person: number }>(
    `SELECT q.asked AS asked, ${bot('q.asked')} AS answered, ${bot('q.lastAsked')} AS last,
       CASE WHEN EXISTS (SELECT 1 FROM report_events e WHERE e.conversation_id = q.cid AND e.kind = 'handoff')
         OR EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = q.cid AND m.role = 'agent') THEN 1 ELSE 0 END AS person
     FROM (SELECT c.id AS cid, (SELECT MIN(m.created_at) FROM messages m WHERE m.conversation_id = c.id AND m.role = 'shopper') AS asked,
             (SELECT MAX(m.created_at) FROM messages m WHERE m.conversation_id = c.id AND m.role = 'shopper' AND m.created_at < ?) AS lastAsked
           FROM conversations c WHERE c.created_at >= ? AND c.created_at < ?${f.sql}) q
     WHERE q.asked IS NOT NULL`,
    [ctx.hi, ctx.lo, ctx.hi, ...f.params],
  );
  const first = rows.filter((r) => r.answered !== null).map((r) => num(r.answered) - num(r.asked));
  const resolution = rows.filter((r) => r.last !== null && num(r.person) === 0 && num(r.last) >= num(r.asked)).map((r) => num(r.last) - num(r.asked));
  return { first, resolution };
}

interface AgentRow {
  at: number;
  answered: number | null;
  agent: string | null;
  resolved: number | null;
}

async function agentTimes(ctx: ReportContext): Promise<AgentRow[]> {
  const f = conversationFilter(ctx);
  const first = `FROM messages m WHERE m.conversation_id = e.conversation_id AND m.role = 'agent' AND m.created_at >= e.at`;
  return ctx.db.all<AgentRow>(
    `SELECT e.at AS at, (SELECT MIN(m.created_at) ${first}) AS answered,
       (SELECT a.agent_id FROM message_authors a WHERE a.message_id = (SELECT m.id ${first} ORDER BY m.created_at, m.seq LIMIT 1)) AS agent,
       (SELECT MIN(r.at) FROM report_events r WHERE r.conversation_id = e.conversation_id AND r.kind = 'resolved' AND r.at >= e.at) AS resolved
     FROM report_events e JOIN conversations c ON c.id = e.conversation_id
     WHERE e.kind = 'handoff' AND e.at >= ? AND e.at < ?${f.sql}`,
    [ctx.lo, ctx.hi, ...f.params],
  );
}

const sorted = (values: number[]) => values.sort((a, b) => a - b);

function stats(values: number[]) {
  const s = sorted(values);
  return { count: s.length, mean: mean(s), p50: percentile(s, 50), p90: percentile(s, 90) };
}

const STAT_COLUMNS = columns(['count', 'count'], ['mean', 'duration_ms'], ['p50', 'duration_ms'], ['p90', 'duration_ms']);

function byAgent(rows: AgentRow[], names: Map<string, string>): ReportTable['rows'] {
  const per = new Map<string, { first: number[]; resolution: number[] }>();
  for (const r of rows) {
    if (r.answered === null || !r.agent) continue;
    const a = per.get(r.agent) ?? { first: [], resolution: [] };
    a.first.push(num(r.answered) - num(r.at));
    if (r.resolved !== null) a.resolution.push(num(r.resolved) - num(r.at));
    per.set(r.agent, a);
  }
  return [...per]
    .map(([id, a]) => {
      const first = stats(a.first);
      const resolution = stats(a.resolution);
      return {
        agent: names.get(id) ?? id,
        handoffs: first.count,
        first_response_p50: first.p50,
        first_response_p90: first.p90,
        resolution_p50: resolution.p50,
      };
    })
    .sort((a, b) => b.handoffs - a.handoffs || a.agent.localeCompare(b.agent));
}

export async function responseTimes(ctx: ReportContext): Promise<Report> {
  const [bot, agents, names] = await Promise.all([
    botTimes(ctx),
    agentTimes(ctx),
    ctx.db.all<{ id: string; name: string }>('SELECT id, name FROM agents').then((rows) => new Map(rows.map((a) => [a.id, a.name]))),
  ]);
  const answered = agents.filter((r) => r.answered !== null).map((r) => num(r.answered) - num(r.at));
  const resolved = agents.filter((r) => r.resolved !== null).map((r) => num(r.resolved) - num(r.at));
  return {
    name: 'response-times',
    from: ctx.filters.from,
    to: ctx.filters.to,
    tables: [
      {
        id: 'summary',
        title: 'response_times_summary',
        columns: [...columns(['who', 'text'], ['measure', 'text']), ...STAT_COLUMNS],
        rows: [
          { who: 'bot', measure: 'first_response', ...stats(bot.first) },
          { who: 'bot', measure: 'resolution', ...stats(bot.resolution) },
          { who: 'agents', measure: 'first_response', ...stats(answered) },
          { who: 'agents', measure: 'resolution', ...stats(resolved) },
        ],
      },
      {
        id: 'by_agent',
        title: 'response_times_by_agent',
        columns: columns(
          ['agent', 'text'],
          ['handoffs', 'count'],
          ['first_response_p50', 'duration_ms'],
          ['first_response_p90', 'duration_ms'],
          ['resolution_p50', 'duration_ms'],
        ),
        rows: byAgent(agents, names),
      },
    ],
    charts: [
      { table: 'summary', kind: 'bar', x: 'measure', y: ['p50', 'p90'], series: 'who' },
      { table: 'by_agent', kind: 'bar', x: 'agent', y: ['first_response_p50', 'resolution_p50'] },
    ],
  };
}
