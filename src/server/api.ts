import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { safeEqual } from '../core/http.js';
import type { Store } from '../core/store.js';
import { sendError } from './http.js';
import { clientKey, type Limit, throttle } from './limits.js';
import { rule, type RuleTypes } from './validation.js';

/** What the REST API needs. */
export interface ApiDeps {
  store: Store;
  /** Valid API keys (from the config). */
  keys: readonly string[];
}

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.coerce.number().int().positive().optional(),
  state: z.enum(['bot', 'awaiting_agent', 'assigned', 'resolved']).optional(),
});
const messagesQuery = z.object({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

function presentedKey(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}

/** Checks `Authorization: Bearer <key>` against every configured key, in constant time. */
function authorized(req: FastifyRequest, keys: readonly string[]): boolean {
  const key = presentedKey(req);
  let ok = false;
  for (const k of keys) ok = safeEqual(key, k) || ok;
  return ok;
}

/** An `onRequest` hook that answers 401 unless the request carries one of `keys`. */
export function requireApiKey(keys: readonly string[]) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    if (authorized(req, keys)) return;
    reply.header('www-authenticate', 'Bearer');
    return sendError(reply, 'UNAUTHORIZED', 'Send Authorization: Bearer <API key> with a key from api.keys.');
  };
}

/**
 * Throttles everything under `/api/v1` per API key (`rateLimits.api`): one busy shop backend
 * cannot starve the gateway. Counted before the key is checked, by the key presented (a hash of
 * it; requests without one by their address), so every API mounted there shares one count.
 */
export function limitApi(app: FastifyInstance, limit: Limit): void {
  const perKey = throttle(app, limit, 'API requests with this key', (req) => {
    const key = presentedKey(req);
    return key ? `key:${createHash('sha256').update(key).digest('base64url')}` : clientKey(req);
  });
  app.addHook('onRequest', async (req) => {
    const path = req.url.split('?', 1)[0] ?? '';
    if (path === '/api/v1' || path.startsWith('/api/v1/')) await perKey(req);
  });
}

const query = <S extends z.ZodType>(schema: S) => rule(schema, 'BAD_QUERY', (error) => `${error.issues[0]?.path.join('.')}: ${error.issues[0]?.message}`);
const idParams = rule(z.object({ id: z.string() }), 'BAD_REQUEST');
const outboxParams = rule(z.object({ id: z.coerce.number().int().positive() }), 'BAD_REQUEST', () => 'id: must be an outbox row number');

/**
 * `/api/v1`: the operators' and shop backend's REST API, behind API keys.
 * Documented in docs/api.md.
 */
export function mountApi(app: FastifyInstance, deps: ApiDeps): void {
  app.register(
    async (scope) => {
      scope.addHook('onRequest', requireApiKey(deps.keys));
      const api = scope.withTypeProvider<RuleTypes>();

      api.get('/conversations', { schema: { querystring: query(listQuery) } }, async (req) => {
        const q = req.query;
        const conversations = await deps.store.listConversations({
          limit: q.limit,
          ...(q.before ? { before: q.before } : {}),
          ...(q.state ? { state: q.state } : {}),
        });
        return { conversations };
      });

      api.get('/conversations/:id/messages', { schema: { params: idParams, querystring: query(messagesQuery) } }, async (req, reply) => {
        const conversation = await deps.store.getConversation(req.params.id);
        if (!conversation) return sendError(reply, 'NOT_FOUND', `No conversation "${req.params.id}".`);
        const messages = await deps.store.listMessages(conversation.id, { afterSeq: req.query.after, limit: req.query.limit });
        return { conversation, messages };
      });

      api.get('/outbox/dead', async () => ({ dead: await deps.store.listOutbox({ status: 'dead', limit: 100 }) }));

      // Re-sending a dead letter is idempotent: only a dead row goes back in line; asking again
      // answers with the row's status and sends nothing more.
      api.post('/outbox/:id/resend', { schema: { params: outboxParams } }, async (req, reply) => {
        const status = await deps.store.resendOutbox(req.params.id, Date.now());
        if (!status) return sendError(reply, 'NOT_FOUND', `No outbox row ${req.params.id}.`);
        return { id: req.params.id, status: status === 'queued' ? 'pending' : status, resent: status === 'queued' };
      });
    },
    { prefix: '/api/v1' },
  );
}
