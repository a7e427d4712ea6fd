/**
 * Admins' privacy actions in the console (Admin → Privacy): export everything held about one
 * shopper, or erase it, as `GET /api/v1/shoppers/{ref}/export` and `DELETE /api/v1/shoppers/{ref}`
 * do for the shop backend (docs/privacy.md). The erasure log names the admin as `agent:<id>`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { subjectParams, subjectQuery } from '../privacy-api.js';
import type { RuleTypes } from '../validation.js';
import type { ConsoleDeps } from './index.js';

/** `DELETE /shoppers/:ref` and `GET /shoppers/:ref/export` (`?by=id` for a shopper id), behind the `admin` hook. */
export function mountPrivacyRoutes(scope: FastifyInstance, deps: ConsoleDeps, admin: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>): void {
  const api = scope.withTypeProvider<RuleTypes>();
  const schema = { params: subjectParams, querystring: subjectQuery };
  const who = (req: FastifyRequest) => req.consoleSession?.agent.id ?? 'unknown';

  api.delete('/shoppers/:ref', { onRequest: admin, schema }, async (req) => ({
    erasure: await deps.privacy.erase({ by: req.query.by, value: req.params.ref }, `agent:${who(req)}`),
  }));

  api.get('/shoppers/:ref/export', { onRequest: admin, schema }, async (req) => {
    const document = await deps.privacy.export({ by: req.query.by, value: req.params.ref });
    deps.log.info({ by: who(req) }, 'shopper data exported');
    return document;
  });
}
