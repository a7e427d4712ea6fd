import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Privacy } from '../privacy/index.js';
import { requireApiKey } from './api.js';
import { rule, type RuleTypes } from './validation.js';

/** What the privacy routes need. */
export interface PrivacyApiDeps {
  privacy: Privacy;
  /** Valid API keys (from `api.keys`). */
  keys: readonly string[];
}

/** `:ref` is the shop's customer ref, or with `?by=id` Parley's shopper id. */
export const subjectParams = rule(z.object({ ref: z.string().min(1).max(255) }), 'BAD_REQUEST');
export const subjectQuery = rule(z.object({ by: z.enum(['ref', 'id']).default('ref') }), 'BAD_QUERY');

/** `api:<first 8 hex of the key's SHA-256>`: which key asked, without the key. */
function apiActor(req: FastifyRequest): string {
  const key = req.headers.authorization?.replace(/^Bearer\s+/, '').trim() ?? '';
  return `api:${createHash('sha256').update(key).digest('hex').slice(0, 8)}`;
}

/**
 * `DELETE /api/v1/shoppers/{ref}` and `GET /api/v1/shoppers/{ref}/export`, behind the API keys.
 * Documented in docs/api.md and docs/privacy.md.
 */
export function mountPrivacyApi(app: FastifyInstance, deps: PrivacyApiDeps): void {
  app.register(
    async (scope) => {
      scope.addHook('onRequest', requireApiKey(deps.keys));
      const api = scope.withTypeProvider<RuleTypes>();

      api.delete('/shoppers/:ref', { schema: { params: subjectParams, querystring: subjectQuery } }, async (req) => ({
        erasure: await deps.privacy.erase({ by: req.query.by, value: req.params.ref }, apiActor(req)),
      }));

      api.get('/shoppers/:ref/export', { schema: { params: subjectParams, querystring: subjectQuery } }, async (req, reply) => {
        const document = await deps.privacy.export({ by: req.query.by, value: req.params.ref });
        return reply.header('content-disposition', `attachment; filename="shopper-${document.shopper.id}.json"`).send(document);
      });
    },
    { prefix: '/api/v1' },
  );
}
