import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { safeEqual } from '../core/http.js';
import type { Store } from '../core/store.js';
import { sendError } from './http.js';

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

/** Checks `Authorization: Bearer <key>` against every configured key, in constant time. */
export function authorized(req: FastifyRequest, keys: readonly string[]): boolean {
  const header = req.headers.authorization;
  const key = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
  let ok = false;
  for (const k of keys) ok = safeEqual(key, k) || ok;
  return ok;
}

/** An `onRequest` hook that answers 401 unless the request carries one of `keys`. */
export function requireApiKey(keys: readonly string[]) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    if (authorized(req, keys)) return;
    reply.header('www-authenticate', 'Bearer');
    return sendError(reply, 401, 'unauthorized', 'Send Authorization: Bearer <API key> with a key from api.keys.');
  };
}

function badQuery(reply: FastifyReply, error: z.ZodError) {
  const issue = error.issues[0];
  return sendError(reply, 400, 'bad_query', `${issue?.path.join('.')}: ${issue?.message}`);
}

/**
 * `/api/v1`: the operators' and shop backend's REST API, behind API keys.
 * Documented in docs/api.md.
 */
export function mountApi(app: FastifyInstance, deps: ApiDeps): void {
  app.register(
    async (api) => {
      api.addHook('onRequest', requireApiKey(deps.keys));

      api.get('/conversations', async (req, reply) => {
        const q = listQuery.safeParse(req.query);
        if (!q.success) return badQuery(reply, q.error);
        const conversations = await deps.store.listConversations({
          limit: q.data.limit,
          ...(q.data.before ? { before: q.data.before } : {}),
          ...(q.data.state ? { state: q.data.state } : {}),
        });
        return { conversations };
      });

      api.get<{ Params: { id: string } }>('/conversations/:id/messages', async (req, reply) => {
        const q = messagesQuery.safeParse(req.query);
        if (!q.success) return badQuery(reply, q.error);
        const conversation = await deps.store.getConversation(req.params.id);
        if (!conversation) return sendError(reply, 404, 'not_found', `No conversation "${req.params.id}".`);
        const messages = await deps.store.listMessages(conversation.id, { afterSeq: q.data.after, limit: q.data.limit });
        return { conversation, messages };
      });

      api.get('/outbox/dead', async () => ({ dead: await deps.store.listOutbox({ status: 'dead', limit: 100 }) }));
    },
    { prefix: '/api/v1' },
  );
}
