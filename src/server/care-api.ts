import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  type Care,
  CareInputError,
  describeIssues,
  eventSchema,
  eventTypes,
  identitiesSchema,
  isEventType,
  messageSchema,
  profileSchema,
} from '../care/index.js';
import { requireApiKey } from './api.js';
import { jsonBody, sendError } from './http.js';

/** What the shop backend API of proactive care needs. */
export interface CareApiDeps {
  care: Care;
  /** Valid API keys (from `api.keys`). */
  keys: readonly string[];
  now(): number;
}

/** JSON with sorted keys, so the same body written in another order hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

type Outcome = { status: number; body: unknown };

/**
 * Runs a sending request at most once per `Idempotency-Key`: a repeat with the same body gets
 * the first answer again (`Idempotent-Replayed: true`) and sends nothing; the same key with a
 * different body is refused with 422. Failed requests are forgotten so they can be retried.
 */
async function idempotent(
  deps: CareApiDeps,
  req: FastifyRequest,
  reply: FastifyReply,
  scope: string,
  body: unknown,
  run: (requestId: string) => Promise<Outcome>,
) {
  const header = req.headers['idempotency-key'];
  const key = Array.isArray(header) ? header[0] : header;
  const bodyHash = createHash('sha256').update(canonical(body)).digest('hex');
  if (key !== undefined && (key.length === 0 || key.length > 255))
    return sendError(reply, 400, 'bad_idempotency_key', 'Idempotency-Key must be 1 to 255 characters.');
  // Without a key the body itself identifies the request: an identical repeat sends once.
  const requestId = key !== undefined ? `${scope}:key:${key}` : `${scope}:body:${bodyHash}`;
  if (key === undefined) return answer(reply, await run(requestId));
  const care = deps.care.deps.care;
  const seen = await care.claimRequest(requestId, bodyHash, deps.now());
  if (seen) {
    if (seen.bodyHash !== bodyHash) {
      return sendError(
        reply,
        422,
        'idempotency_key_reused',
        `Idempotency-Key "${key}" was already used with a different body. Use a new key for a new request.`,
      );
    }
    if (seen.status === 0) return sendError(reply, 409, 'request_in_progress', `A request with Idempotency-Key "${key}" is still running. Retry in a moment.`);
    return reply.code(seen.status).header('idempotent-replayed', 'true').send(seen.response);
  }
  try {
    const outcome = await run(requestId);
    await care.finishRequest(requestId, outcome.status, outcome.body);
    return answer(reply, outcome);
  } catch (err) {
    await care.dropRequest(requestId);
    throw err;
  }
}

function answer(reply: FastifyReply, outcome: Outcome) {
  return reply.code(outcome.status).send(outcome.body);
}

const logQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.coerce.number().int().positive().optional(),
  status: z.enum(['scheduled', 'deferred', 'sent', 'held', 'skipped', 'undeliverable']).optional(),
});
const summaryQuery = z.object({ since: z.coerce.number().int().min(0).optional() });

/** Parses a body with a schema or answers 400 naming every bad field; undefined when it answered. */
function parse<T>(schema: z.ZodType<T>, body: unknown, reply: FastifyReply, code: string): T | undefined {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  sendError(reply, 400, code, describeIssues(result.error));
  return undefined;
}

/**
 * The shop backend's proactive-care API under `/api/v1`, behind the same API keys as the rest
 * of the REST API. Documented in docs/api.md ("Shop backend API").
 */
export function mountCareApi(app: FastifyInstance, deps: CareApiDeps): void {
  const { care } = deps;
  app.register(
    async (api) => {
      api.addHook('onRequest', requireApiKey(deps.keys));
      api.setErrorHandler(async (err, _req, reply) => {
        if (err instanceof CareInputError) return sendError(reply, err.status, err.code, err.message);
        throw err;
      });

      api.post('/events', async (req, reply) => {
        const body = jsonBody(req, reply);
        if (!body) return reply;
        if (!isEventType(body.type)) {
          const what = body.type === undefined ? 'The event has no "type".' : `Unknown event type ${JSON.stringify(body.type)}.`;
          return sendError(reply, 400, 'unknown_event_type', `${what} Known types: ${eventTypes.join(', ')}.`);
        }
        const event = parse(eventSchema, body, reply, 'invalid_event');
        if (!event) return reply;
        return idempotent(deps, req, reply, 'events', body, (id) => care.service.handleEvent(event, id));
      });

      api.post('/messages', async (req, reply) => {
        const body = jsonBody(req, reply);
        if (!body) return reply;
        const message = parse(messageSchema, body, reply, 'invalid_message');
        if (!message) return reply;
        return idempotent(deps, req, reply, 'messages', body, (id) => care.service.sendMessage(message, id));
      });

      api.put<{ Params: { ref: string } }>('/shoppers/:ref/identities', async (req, reply) => {
        const body = jsonBody<unknown>(req, reply);
        if (body === undefined) return reply;
        const identities = parse(identitiesSchema, body, reply, 'invalid_identities');
        if (!identities) return reply;
        return care.operators.linkIdentities(req.params.ref, identities);
      });

      api.put<{ Params: { ref: string } }>('/shoppers/:ref', async (req, reply) => {
        const body = jsonBody(req, reply);
        if (!body) return reply;
        const profile = parse(profileSchema, body, reply, 'invalid_profile');
        if (!profile) return reply;
        return care.operators.updateProfile(req.params.ref, profile);
      });

      api.get('/care/messages', async (req, reply) => {
        const q = parse(logQuery, req.query, reply, 'bad_query');
        if (!q) return reply;
        return { messages: await care.operators.log(q) };
      });

      api.post<{ Params: { id: string } }>('/care/messages/:id/resend', async (req) => care.operators.resend(req.params.id));

      api.get('/care/feedback/summary', async (req, reply) => {
        const q = parse(summaryQuery, req.query, reply, 'bad_query');
        if (!q) return reply;
        return { summary: await care.deps.care.feedbackSummary(q.since !== undefined ? { since: q.since } : {}) };
      });

      api.get<{ Querystring: { orderId?: string } }>('/care/feedback', async (req) => ({
        feedback: await care.deps.care.listFeedback({ limit: 200, ...(req.query.orderId ? { orderId: req.query.orderId } : {}) }),
      }));
    },
    { prefix: '/api/v1' },
  );
}
