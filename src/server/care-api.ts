import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type Care, describeIssues, eventSchema, eventTypes, identitiesSchema, isEventType, messageSchema, profileSchema } from '../care/index.js';
import { requireApiKey } from './api.js';
import { sendError } from './http.js';
import { type RefusalCode, Rule, rule, type RuleTypes } from './validation.js';

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
  if (key !== undefined && (key.length === 0 || key.length > 255)) return sendError(reply, 'BAD_IDEMPOTENCY_KEY');
  // Without a key the body itself identifies the request: an identical repeat sends once.
  const requestId = key !== undefined ? `${scope}:key:${key}` : `${scope}:body:${bodyHash}`;
  if (key === undefined) return answer(reply, await run(requestId));
  const care = deps.care.deps.care;
  const seen = await care.claimRequest(requestId, bodyHash, deps.now());
  if (seen) {
    if (seen.bodyHash !== bodyHash) {
      return sendError(reply, 'IDEMPOTENCY_KEY_REUSED', `Idempotency-Key "${key}" was already used with a different body. Use a new key for a new request.`);
    }
    if (seen.status === 0) return sendError(reply, 'REQUEST_IN_PROGRESS', `A request with Idempotency-Key "${key}" is still running. Retry in a moment.`);
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
const feedbackQuery = z.object({ orderId: z.string().optional() });

/** Validation messages here name every bad field (docs/api.md). */
const checked = <S extends z.ZodType>(schema: S, code: RefusalCode) => rule(schema, code, describeIssues);
const refParams = checked(z.object({ ref: z.string() }), 'BAD_REQUEST');
const idParams = checked(z.object({ id: z.string() }), 'BAD_REQUEST');
/** An unknown `type` is told apart from a bad field: the message lists the known types. */
const event = new Rule(eventSchema, (error, body) => {
  const type = body && typeof body === 'object' ? (body as { type?: unknown }).type : undefined;
  if (isEventType(type)) return { code: 'INVALID_EVENT', message: describeIssues(error) };
  const what = type === undefined ? 'The event has no "type".' : `Unknown event type ${JSON.stringify(type)}.`;
  return { code: 'UNKNOWN_EVENT_TYPE', message: `${what} Known types: ${eventTypes.join(', ')}.` };
});

/**
 * The shop backend's proactive-care API under `/api/v1`, behind the same API keys as the rest
 * of the REST API. Documented in docs/api.md ("Shop backend API").
 */
export function mountCareApi(app: FastifyInstance, deps: CareApiDeps): void {
  const { care } = deps;
  // The idempotency hash is over the body as sent, not as parsed (defaults filled in, unknown
  // fields dropped), so a retry matches the first attempt's record.
  const sent = new WeakMap<FastifyRequest, unknown>();
  app.register(
    async (scope) => {
      scope.addHook('onRequest', requireApiKey(deps.keys));
      scope.addHook('preValidation', async (req) => void sent.set(req, req.body ?? {}));
      const api = scope.withTypeProvider<RuleTypes>();

      api.post('/events', { schema: { body: event } }, async (req, reply) =>
        idempotent(deps, req, reply, 'events', sent.get(req), (id) => care.service.handleEvent(req.body, id)),
      );

      api.post('/messages', { schema: { body: checked(messageSchema, 'INVALID_MESSAGE') } }, async (req, reply) =>
        idempotent(deps, req, reply, 'messages', sent.get(req), (id) => care.service.sendMessage(req.body, id)),
      );

      const identities = { params: refParams, body: checked(identitiesSchema, 'INVALID_IDENTITIES') };
      api.put('/shoppers/:ref/identities', { config: { jsonBody: 'array' }, schema: identities }, async (req) =>
        care.operators.linkIdentities(req.params.ref, req.body),
      );

      api.put('/shoppers/:ref', { schema: { params: refParams, body: checked(profileSchema, 'INVALID_PROFILE') } }, async (req) =>
        care.operators.updateProfile(req.params.ref, req.body),
      );

      api.get('/care/messages', { schema: { querystring: checked(logQuery, 'BAD_QUERY') } }, async (req) => ({
        messages: await care.operators.log(req.query),
      }));

      api.post('/care/messages/:id/resend', { schema: { params: idParams } }, async (req) => care.operators.resend(req.params.id));

      api.get('/care/feedback/summary', { schema: { querystring: checked(summaryQuery, 'BAD_QUERY') } }, async (req) => ({
        summary: await care.deps.care.feedbackSummary(req.query.since !== undefined ? { since: req.query.since } : {}),
      }));

      api.get('/care/feedback', { schema: { querystring: checked(feedbackQuery, 'BAD_QUERY') } }, async (req) => ({
        feedback: await care.deps.care.listFeedback({ limit: 200, ...(req.query.orderId ? { orderId: req.query.orderId } : {}) }),
      }));
    },
    { prefix: '/api/v1' },
  );
}
