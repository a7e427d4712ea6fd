/**
 * The console API an agent uses: sign-in, the queue, conversations and the actions on them.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Localize } from '../../core/ports.js';
import type { Agent } from '../../handoff/store.js';
import { conversationView } from '../../handoff/view.js';
import { sendError } from '../http.js';
import { rule, type RuleTypes } from '../validation.js';
import type { ConsoleDeps } from './index.js';
import { attachmentParts } from './media.js';
import { csrfFor, endSession, readSession, type SessionOptions } from './session.js';

const language = z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a BCP 47 tag such as zh-CN');
const schemas = {
  me: z.object({ language: language.optional(), status: z.enum(['online', 'away']).optional(), name: z.string().min(1).max(80).optional() }),
  text: z.object({
    text: z.string().trim().min(1).max(4000),
    clientId: z
      .string()
      .regex(/^[\w.:-]{1,80}$/)
      .optional(),
    /** The language `text` is written in, when it is the shopper's (a canned reply); the agent's by default. */
    language: z
      .string()
      .regex(/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/)
      .optional(),
  }),
  transfer: z
    .object({ agentId: z.string().min(1).optional(), teamId: z.string().min(1).optional() })
    .refine((t) => t.agentId || t.teamId, 'give agentId or teamId'),
  typing: z.object({ on: z.boolean() }),
};
/** A reply: text, stored media (`POST /console/api/media`), or both. */
const replyBody = schemas.text
  .extend({
    text: z.string().trim().max(4000).default(''),
    media: z
      .array(z.object({ id: z.string().regex(/^[\w.-]{1,128}$/), name: z.string().max(200).optional() }))
      .max(4)
      .default([]),
  })
  .refine((b) => b.text || b.media.length > 0, 'give text or media');

/** A console body, params or query that does not fit answers `400 bad_request` naming the field. */
export const fits = <S extends z.ZodType>(schema: S) => rule(schema, 'BAD_REQUEST');
export const idParams = fits(z.object({ id: z.string() }));
const listQuery = rule(
  z.object({
    state: z.enum(['bot', 'awaiting_agent', 'assigned', 'resolved', 'feedback']).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  }),
  'BAD_QUERY',
  (error) => error.issues[0]?.message ?? 'bad query',
);
// `?language=` given twice is ignored, not refused: the replies are then in the agent's language only.
const cannedQuery = fits(z.object({ language: z.string().optional().catch(undefined) }));

/** What an agent's own record looks like over the API (never the password hash). */
export function publicAgent(a: Agent, online?: boolean) {
  return {
    id: a.id,
    email: a.email,
    name: a.name,
    role: a.role,
    language: a.language,
    languages: a.languages,
    skills: a.skills,
    teamId: a.teamId ?? null,
    capacity: a.capacity,
    disabled: a.disabled,
    ...(online !== undefined ? { online } : {}),
  };
}

const BUILT_IN_CANNED = ['greeting', 'checking', 'order_number', 'thanks', 'closing'];

/** A config value in one language: exactly, by base language, and (`fallback`) English or the first. */
function pick(v: string | Record<string, string>, language: string, fallback: boolean): string | undefined {
  if (typeof v === 'string') return fallback ? v : undefined;
  const exact = v[language] ?? v[language.split('-')[0] ?? ''];
  return exact ?? (fallback ? (v.en ?? Object.values(v)[0]) : undefined);
}

/**
 * Canned replies in the agent's language (built-in ones from console.json, then the config's),
 * each with its text in the shopper's language too where the shop has one: sent as written,
 * never through a translator.
 */
function cannedReplies(deps: ConsoleDeps, agent: Agent, shopperLanguage?: string) {
  const t: Localize = deps.localizer.forLanguage(agent.language);
  const other = shopperLanguage && shopperLanguage.toLowerCase() !== agent.language.toLowerCase() ? shopperLanguage : undefined;
  const hasLocale = other !== undefined && deps.localizer.resolve(other).split('-')[0] === other.split('-')[0];
  const s = other ? deps.localizer.forLanguage(other) : undefined;
  const shopper = (text: string | undefined) => (other && text ? { shopper: { language: other, text } } : {});
  const builtIn = BUILT_IN_CANNED.map((id) => ({
    id,
    title: t(`console.canned.${id}.title`),
    text: t(`console.canned.${id}.text`),
    ...shopper(hasLocale ? s?.(`console.canned.${id}.text`) : undefined),
  }));
  const configured = deps.settings.cannedReplies.map((c) => ({
    id: c.id,
    title: pick(c.title, agent.language, true) ?? '',
    text: pick(c.text, agent.language, true) ?? '',
    ...shopper(other && pick(c.text, other, false)),
  }));
  return [...builtIn, ...configured];
}

export function mountAgentRoutes(scope: FastifyInstance, deps: ConsoleDeps, sessions: SessionOptions): void {
  const { service } = deps;
  const api = scope.withTypeProvider<RuleTypes>();
  const me = (req: FastifyRequest) => req.consoleSession?.agent as Agent;

  api.post('/logout', async (req, reply) => {
    await endSession(reply, req.consoleSession ?? (await readSession(req, sessions)), sessions);
    return { ok: true };
  });

  api.get('/me', async (req, reply) => ({
    agent: publicAgent(me(req), await service.isOnline(me(req).id)),
    csrfToken: req.consoleSession && csrfFor(req, reply, req.consoleSession.csrf),
  }));

  api.patch('/me', { schema: { body: fits(schemas.me) } }, async (req) => {
    const body = req.body;
    const agent = me(req);
    if (body.status) await service.presence(agent.id, { away: body.status === 'away' });
    const updated = await deps.handoffs.updateAgent(
      agent.id,
      { ...(body.language ? { language: body.language } : {}), ...(body.name ? { name: body.name } : {}) },
      deps.now(),
    );
    return { agent: publicAgent(updated ?? agent, await service.isOnline(agent.id)) };
  });

  api.get('/strings/:lng', { schema: { params: fits(z.object({ lng: z.string() })) } }, async (req, reply) => {
    const strings = deps.localizer.bundle(req.params.lng, 'console');
    if (!strings) return sendError(reply, 'NOT_FOUND', `No console strings for "${req.params.lng}".`);
    return reply.header('cache-control', 'public, max-age=300').send({ language: deps.localizer.resolve(req.params.lng), strings });
  });

  api.get('/queue', async () => ({ queue: await service.queue() }));

  api.get('/conversations', { schema: { querystring: listQuery } }, async (req) => {
    const list = await deps.store.listConversations({ limit: req.query.limit, ...(req.query.state ? { state: req.query.state } : {}) });
    return { conversations: list.map((c) => ({ id: c.id, channelId: c.channelId, state: c.state, language: c.language, updatedAt: c.updatedAt })) };
  });

  // Refusals from the service (NOT_FOUND, NOT_YOURS, INVALID_STATE, ...) are registry errors the HTTP error handler answers.
  api.get('/conversations/:id', { schema: { params: idParams } }, async (req) => conversationView(deps, me(req), await service.conversation(req.params.id)));

  api.get('/canned', { schema: { querystring: cannedQuery } }, async (req) => ({ replies: cannedReplies(deps, me(req), req.query.language) }));

  mountConversationActions(api, deps);
}

/** What an agent does to a conversation: take, release, resolve, transfer, reply, note, preview, type. */
function mountConversationActions(scope: FastifyInstance, deps: ConsoleDeps): void {
  const { service } = deps;
  const api = scope.withTypeProvider<RuleTypes>();
  const me = (req: FastifyRequest) => req.consoleSession?.agent as Agent;
  const params = idParams;
  api.post('/conversations/:id/take', { schema: { params } }, async (req) => (await service.take(me(req), req.params.id), { ok: true }));
  api.post('/conversations/:id/release', { schema: { params } }, async (req) => (await service.release(me(req), req.params.id), { ok: true }));
  api.post('/conversations/:id/resolve', { schema: { params } }, async (req) => (await service.resolve(me(req), req.params.id), { ok: true }));
  api.post(
    '/conversations/:id/transfer',
    { schema: { params, body: fits(schemas.transfer) } },
    async (req) => (await service.transfer(me(req), req.params.id, req.body), { ok: true }),
  );
  api.post('/conversations/:id/messages', { schema: { params, body: fits(replyBody) } }, async (req) => {
    const { text, clientId, language, media } = req.body;
    const attached = await attachmentParts(deps.attachments, media);
    const [message] = await service.reply(me(req), req.params.id, text, clientId, language, attached);
    return { message: message && { id: message.id, seq: message.seq, text: message.translatedText ?? message.originalText, language: message.language } };
  });
  api.post('/conversations/:id/notes', { schema: { params, body: fits(schemas.text) } }, async (req) => ({
    note: await service.note(me(req), req.params.id, req.body.text),
  }));
  api.post('/conversations/:id/preview', { schema: { params, body: fits(schemas.text) } }, async (req) => ({
    preview: await service.preview(me(req), req.params.id, req.body.text, req.body.language),
  }));
  api.post(
    '/conversations/:id/typing',
    { schema: { params, body: fits(schemas.typing) } },
    async (req) => (await service.typing(me(req), req.params.id, req.body.on), { ok: true }),
  );
}
