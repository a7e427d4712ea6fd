/**
 * Usage: translation characters and model tokens per provider (a model's under its name), and
 * what they cost at the configured prices (`reports.prices`, per million). Counted per UTC day as they happen
 * (`usage_daily`): the period is read as UTC days, and channel, language and team do not apply.
 */
import type { SqlExecutor } from '../store/driver.js';
import { columns, num, type ReportContext, tally } from './query.js';
import type { Report } from './types.js';

interface Row {
  day: string;
  kind: string;
  provider: string;
  characters: number;
  tokens: number;
  requests: number;
}

/**
 * Adds a model answer's tokens to its day (UTC) under the model's name (`usage_daily`, kind
 * `model`): the model's own answers, beside the translation usage the translation memory counts.
 */
export async function addModelUsage(db: SqlExecutor, model: string, tokens: number, now: number): Promise<void> {
  await db.run(
    `INSERT INTO usage_daily (day, kind, provider, characters, tokens, requests) VALUES (?, 'model', ?, 0, ?, 1)
     ON CONFLICT (day, kind, provider) DO UPDATE SET tokens = usage_daily.tokens + excluded.tokens, requests = usage_daily.requests + 1`,
    [new Date(now).toISOString().slice(0, 10), model, tokens],
  );
}

export async function usage(ctx: ReportContext): Promise<Report> {
  const rows = await ctx.db.all<Row>(
    `SELECT day, kind, provider, SUM(characters) AS characters, SUM(tokens) AS tokens, SUM(requests) AS requests
     FROM usage_daily WHERE day >= ? AND day <= ? GROUP BY day, kind, provider`,
    [ctx.filters.from, ctx.filters.to],
  );
  const cost = (r: { provider: string; characters: number; tokens: number }) => {
    const price = ctx.prices[r.provider];
    if (!price) return 0;
    return Math.round(((r.characters / 1e6) * price.perMillionCharacters + (r.tokens / 1e6) * price.perMillionTokens) * 10_000) / 10_000;
  };
  const per = new Map<string, number[]>();
  const perDay = new Map<string, number[]>();
  for (const r of rows) {
    const figures = [num(r.characters), num(r.tokens), num(r.requests)];
    tally(per, `${r.kind}\u0000${r.provider}`, figures);
    tally(perDay, r.day, [...figures, cost({ provider: r.provider, characters: num(r.characters), tokens: num(r.tokens) })]);
  }
  const byProvider = [...per]
    .map(([k, [characters = 0, tokens = 0, requests = 0]]) => {
      const [kind = '', provider = ''] = k.split('\u0000');
      return { kind, provider, characters, tokens, requests, cost: cost({ provider, characters, tokens }) };
    })
    .sort((a, b) => a.kind.localeCompare(b.kind) || b.cost - a.cost || a.provider.localeCompare(b.provider));
  return {
    name: 'usage',
    from: ctx.filters.from,
    to: ctx.filters.to,
    tables: [
      {
        id: 'by_provider',
        title: 'usage_by_provider',
        columns: columns(['kind', 'text'], ['provider', 'text'], ['characters', 'count'], ['tokens', 'count'], ['requests', 'count'], ['cost', 'money']),
        rows: byProvider,
      },
      {
        id: 'by_day',
        title: 'usage_by_day',
        columns: columns(['date', 'date'], ['characters', 'count'], ['tokens', 'count'], ['requests', 'count'], ['cost', 'money']),
        rows: [...perDay]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([date, [characters = 0, tokens = 0, requests = 0, c = 0]]) => ({ date, characters, tokens, requests, cost: Math.round(c * 10_000) / 10_000 })),
      },
    ],
    charts: [
      { table: 'by_provider', kind: 'doughnut', x: 'provider', y: ['cost'] },
      { table: 'by_day', kind: 'line', x: 'date', y: ['cost'] },
    ],
  };
}
