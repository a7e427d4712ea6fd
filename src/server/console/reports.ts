/**
 * Reports for admins (team leads) in the console (docs/reports.md): `GET /console/api/reports`
 * (what the filters offer), `GET /console/api/reports/:name` (a report as JSON) and
 * `GET /console/api/reports/:name/:table.csv` (one of its tables as CSV), behind the `admin` hook.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { toCsv } from '../../reports/csv.js';
import { REPORT_NAMES } from '../../reports/index.js';
import { daysBetween, isTimeZone } from '../../reports/range.js';
import type { ReportFilters } from '../../reports/types.js';
import { sendError } from '../http.js';
import { rule, type RuleTypes } from '../validation.js';
import type { ConsoleDeps } from './index.js';

const MAX_DAYS = 366;

const isDate = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v) && new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) === v;
const date = z.string().refine(isDate, 'a date as YYYY-MM-DD');
// An empty filter (`channel=`) is no filter: the console sends "all" that way.
const optional = z.preprocess((v) => (v === '' ? undefined : v), z.string().max(100).optional());

const filtersQuery = z
  .object({
    from: date,
    to: date,
    tz: z.string().max(64).default('UTC').refine(isTimeZone, 'an IANA time zone such as Europe/Berlin'),
    channel: optional,
    language: optional,
    team: optional,
  })
  .refine((q) => q.from <= q.to, { message: 'from must be on or before to', path: ['from'] })
  .refine((q) => q.from > q.to || daysBetween(q.from, q.to) <= MAX_DAYS, { message: `a period is at most ${MAX_DAYS} days`, path: ['to'] });

const describe = (error: z.ZodError) => error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; ');
const query = rule(filtersQuery, 'BAD_QUERY', describe);
const nameParams = rule(z.object({ name: z.enum(REPORT_NAMES, `unknown report; one of ${REPORT_NAMES.join(', ')}`) }), 'BAD_REQUEST', describe);
const tableParams = rule(
  z.object({
    name: z.enum(REPORT_NAMES, `unknown report; one of ${REPORT_NAMES.join(', ')}`),
    file: z.string().regex(/^[a-z0-9_]{1,64}\.csv$/, 'a table id followed by .csv'),
  }),
  'BAD_REQUEST',
  describe,
);

function filtersOf(q: z.output<typeof filtersQuery>): ReportFilters {
  return {
    from: q.from,
    to: q.to,
    timeZone: q.tz,
    ...(q.channel ? { channel: q.channel } : {}),
    ...(q.language ? { language: q.language } : {}),
    ...(q.team ? { team: q.team } : {}),
  };
}

export function mountReportRoutes(scope: FastifyInstance, deps: ConsoleDeps, admin: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>): void {
  const api = scope.withTypeProvider<RuleTypes>();
  const { reports } = deps;

  api.get('/reports', { onRequest: admin }, async () => ({ ...(await reports.options()), currency: reports.currency }));

  api.get('/reports/:name', { onRequest: admin, schema: { params: nameParams, querystring: query } }, async (req) =>
    reports.run(req.params.name, filtersOf(req.query)),
  );

  api.get('/reports/:name/:file', { onRequest: admin, schema: { params: tableParams, querystring: query } }, async (req, reply) => {
    const report = await reports.run(req.params.name, filtersOf(req.query));
    const id = req.params.file.slice(0, -'.csv'.length);
    const table = report.tables.find((t) => t.id === id);
    if (!table) return sendError(reply, 'NOT_FOUND', `The ${report.name} report has no table "${id}"; it has ${report.tables.map((t) => t.id).join(', ')}.`);
    const filename = `${report.name}-${table.id}-${report.from}-${report.to}.csv`;
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${filename}"`).send(toCsv(table));
  });
}
