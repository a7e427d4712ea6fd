/**
 * Response times. Bot: how long the shopper waited for each reply, from the message being
 * accepted to the reply being stored (`report_latency`, counted per UTC day in buckets: the
 * mean is exact, p50/p90 are the upper bound of the bucket they fall in; the team filter does
 * not apply). Agents: for each handoff in the period, to the first agent reply after it and to
 * the first resolution after it (`report_events`).
 */
import { LATENCY_BOUNDS_MS } from '../store/report-aggregates.js';
import { columns, conversationFilter, mean, num, percentile, type ReportContext } from './query.js';
import type { Report, ReportTable } from './types.js';

async function botTimes(ctx: ReportContext): Promise<{ count: number; mean: number | null; p50: number | null; p90: number | null }> {
  const { channel, language } = ctx.filters;
  const rows = await ctx.db.all<{ le: number; replies: number; total: number }>(
    `SELECT le_ms AS le, SUM(replies) AS replies, SUM(total_ms) AS total FROM report_latency
     WHERE day >= ? AND day <= ? AND (CAST(? AS TEXT) IS NULL OR channel_id = ?) AND (CAST(? AS TEXT) IS NULL OR language = ?)
     GROUP BY le_ms ORDER BY le_ms`,
    [ctx.filters.from, ctx.filters.to, channel ?? null, channel ?? null, language ?? null, language ?? null],
  );
  const count = rows.reduce((s, r) => s + num(r.replies), 0);
  const total = rows.reduce((s, r) => s + num(r.total), 0);
  const at = (p: number) => {
    const rank = Math.max(1, Math.ceil((p / 100) * count));
    let seen = 0;
    for (const r of rows) if ((seen += num(r.replies)) >= rank) return num(r.le) === LATENCY_BOUNDS_MS.at(-1) ? null : num(r.le);
    return null;
  };
  return { count, mean: count ? Math.round(total / count) : null, p50: count ? at(50) : null, p90: count ? at(90) : null };
}

interface AgentRow {
  at: number;
  answered: number | null;
  agent: string | null;
  resolved: number | null;
}

async function agentTimes(ctx: ReportContext): Promise<AgentRow[]> {
  const f = conversationFilter(ctx);
  const after = (kind: string, column: string) =>
    `(SELECT ${column} FROM report_events r WHERE r.conversation_id = e.conversation_id AND r.kind = '${kind}' AND r.at >= e.at ORDER BY r.at LIMIT 1)`;
  return ctx.db.all<AgentRow>(
    `SELECT e.at AS at, ${after('answered', 'r.at')} AS answered, ${after('answered', 'r.agent_id')} AS agent, ${after('resolved', 'r.at')} AS resolved
     FROM report_events e JOIN conversations c ON c.id = e.conversation_id
     WHERE e.kind = 'handoff' AND e.at >= ? AND e.at < ?${f.sql}`,
    [ctx.lo, ctx.hi, ...f.params],
  );
}

function stats(values: number[]) {
  const s = values.sort((a, b) => a - b);
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
          { who: 'bot', measure: 'first_response', ...bot },
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
