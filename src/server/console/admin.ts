/**
 * The console API's team-lead side: agents, teams, knowledge-base proposals and ratings.
 * Reading the agent and team lists is open to every agent (transfers need them); changing
 * them, reviewing proposals and reading ratings is for admins.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { plainText } from '../../core/message.js';
import { teamSchema } from '../../handoff/config.js';
import { applyCorrection, citedSection } from '../../handoff/kb-upkeep.js';
import { hashPassword } from '../../handoff/passwords.js';
import type { Agent } from '../../handoff/store.js';
import { sendError } from '../http.js';
import type { ConsoleDeps } from './index.js';
import { type RuleTypes } from '../validation.js';
import { fits, idParams, publicAgent } from './routes.js';
import { mountPrivacyRoutes } from './privacy.js';
import { mountReportRoutes } from './reports.js';
import type { SessionOptions } from './session.js';

const language = z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a BCP 47 tag such as zh-CN');
const agentFields = {
  name: z.string().trim().min(1).max(80),
  role: z.enum(['agent', 'admin']),
  language,
  languages: z.array(language).max(20),
  skills: z.array(z.string().min(1).max(40)).max(20),
  teamId: z.string().min(1).nullable(),
  capacity: z.number().int().min(0).max(50),
  password: z.string().min(10, 'passwords have at least 10 characters').max(200),
};
const newAgent = z.object({
  email: z.string().trim().email(),
  ...agentFields,
  role: agentFields.role.default('agent'),
  languages: agentFields.languages.optional(),
  skills: agentFields.skills.default([]),
  teamId: agentFields.teamId.optional(),
  capacity: agentFields.capacity.optional(),
});
const agentPatch = z.object({ ...agentFields, disabled: z.boolean() }).partial();
const proposal = z.object({
  conversationId: z.string().min(1).optional(),
  messageId: z.string().min(1).optional(),
  question: z.string().trim().max(2000).optional(),
  title: z.string().trim().max(200).optional(),
  body: z.string().trim().min(1).max(8000),
});
const review = z.object({ title: z.string().trim().min(1).max(200).optional(), body: z.string().trim().min(1).max(8000).optional() });
// An unknown status lists every proposal, as the console's filter expects.
const proposalsQuery = z.object({ status: z.enum(['open', 'applied', 'rejected']).optional().catch(undefined) });

const typed = (scope: FastifyInstance) => scope.withTypeProvider<RuleTypes>();
type ApiOf = ReturnType<typeof typed>;

const me = (req: FastifyRequest) => req.consoleSession?.agent as Agent;

// Before the body is read or validated: a non-admin learns nothing about what fits.
async function admin(req: FastifyRequest, reply: FastifyReply) {
  if (me(req).role !== 'admin') return sendError(reply, 'FORBIDDEN');
}

/** The admin side of the console: agents and teams, knowledge-base corrections, ratings. */
export function mountAdminRoutes(scope: FastifyInstance, deps: ConsoleDeps, sessions: SessionOptions): void {
  const api = typed(scope);
  mountAgentRoutes(api, deps, sessions);
  mountProposalRoutes(api, deps);
  mountRatingRoutes(api, deps);
  mountPrivacyRoutes(api, deps, admin);
  mountReportRoutes(api, deps, admin);
  mountDeadLetterRoutes(api, deps);
}

const outboxRow = fits(z.object({ id: z.coerce.number().int().positive() }));

/**
 * Undelivered messages (admins): the dead letters with the conversation they belong to, and
 * re-sending one, idempotently (only a dead row goes back in line), as `POST /api/v1/outbox/:id/resend`.
 */
function mountDeadLetterRoutes(api: ApiOf, deps: ConsoleDeps): void {
  api.get('/dead-letters', { onRequest: admin }, async () => {
    const dead = await deps.store.listOutbox({ status: 'dead', limit: 100 });
    return {
      dead: dead.map((d) => ({
        id: d.id,
        conversationId: d.conversationId,
        channelId: d.channelId,
        attempts: d.attempts,
        lastReason: d.lastReason ?? 'transient',
        lastError: d.lastError ?? '',
        createdAt: d.createdAt,
      })),
    };
  });
  api.post('/dead-letters/:id/resend', { onRequest: admin, schema: { params: outboxRow } }, async (req, reply) => {
    const status = await deps.store.resendOutbox(req.params.id, deps.now());
    if (!status) return sendError(reply, 'NOT_FOUND', `No outbox row ${req.params.id}.`);
    deps.log.info({ outbox: req.params.id, by: me(req).id, status }, 'dead letter re-sent');
    return { id: req.params.id, status: status === 'queued' ? 'pending' : status, resent: status === 'queued' };
  });
}

/** Agents (admins add, change and disable them) and teams. */
function mountAgentRoutes(api: ApiOf, deps: ConsoleDeps, sessions: SessionOptions): void {
  const { handoffs, service } = deps;
  api.get('/agents', async (req) => {
    const [agents, online] = await Promise.all([handoffs.listAgents(), service.online()]);
    const full = me(req).role === 'admin';
    return { agents: agents.filter((a) => full || !a.disabled).map((a) => publicAgent(a, online.has(a.id))) };
  });

  api.post('/agents', { onRequest: admin, schema: { body: fits(newAgent) } }, async (req, reply) => {
    const body = req.body;
    if (await handoffs.credentials(body.email)) return sendError(reply, 'EXISTS', `An agent with ${body.email} exists already.`);
    const agent = await handoffs.createAgent(
      {
        id: randomUUID(),
        email: body.email,
        name: body.name,
        role: body.role,
        language: body.language,
        languages: body.languages ?? [body.language],
        skills: body.skills,
        ...(body.teamId ? { teamId: body.teamId } : {}),
        capacity: body.capacity ?? deps.defaultCapacity,
        passwordHash: await hashPassword(body.password),
      },
      deps.now(),
    );
    return reply.code(201).send({ agent: publicAgent(agent) });
  });

  api.patch('/agents/:id', { onRequest: admin, schema: { params: idParams, body: fits(agentPatch) } }, async (req, reply) => {
    const body = req.body;
    if (!(await handoffs.getAgent(req.params.id))) return sendError(reply, 'NOT_FOUND', `No agent "${req.params.id}".`);
    if (req.params.id === me(req).id && (body.disabled || body.role === 'agent')) return sendError(reply, 'SELF_LOCKOUT');
    const { password, ...rest } = body;
    const updated = await handoffs.updateAgent(req.params.id, { ...rest, ...(password ? { passwordHash: await hashPassword(password) } : {}) }, deps.now());
    // Their sessions are gone from the store; their open consoles stop here too.
    if (body.disabled) sessions.live.closeAgent(req.params.id);
    if (body.disabled !== undefined || body.capacity !== undefined) void service.autoAssign();
    return { agent: updated && publicAgent(updated, await service.isOnline(req.params.id)) };
  });

  api.get('/teams', async () => ({ teams: service.teams() }));

  api.post('/teams', { onRequest: admin, schema: { body: fits(teamSchema) } }, async (req, reply) => {
    const body = req.body;
    await handoffs.saveTeam(body, deps.now());
    await service.loadTeams();
    return reply.code(201).send({ team: body });
  });
}

/** Knowledge-base corrections: agents propose, admins apply or reject. */
function mountProposalRoutes(api: ApiOf, deps: ConsoleDeps): void {
  const { handoffs } = deps;
  api.get('/kb/proposals', { schema: { querystring: fits(proposalsQuery) } }, async (req) => {
    const all = await handoffs.listProposals(req.query.status);
    return { proposals: me(req).role === 'admin' ? all : all.filter((p) => p.agentId === me(req).id) };
  });

  api.post('/kb/proposals', { schema: { body: fits(proposal) } }, async (req, reply) => {
    const body = req.body;
    const found = body.conversationId && body.messageId ? await flagged(deps, body.conversationId, body.messageId) : undefined;
    if (body.messageId && !found) return sendError(reply, 'NOT_FOUND', 'No such bot answer in that conversation.');
    const question = body.question || found?.question;
    if (!question) return sendError(reply, 'BAD_REQUEST', 'question: say which shopper question the answer is for.');
    const agent = me(req);
    const working = deps.shop.workingLanguage;
    // The knowledge base is written in the working language.
    const inWorking = async (s: string) =>
      agent.language.toLowerCase() === working.toLowerCase() ? s : (await deps.translator.translate(s, agent.language, working)).text;
    const section = found?.section;
    const p = await handoffs.addProposal({
      id: randomUUID(),
      ...(body.conversationId ? { conversationId: body.conversationId } : {}),
      ...(body.messageId ? { messageId: body.messageId } : {}),
      agentId: agent.id,
      question,
      ...(found?.answer ? { wrongAnswer: found.answer } : {}),
      ...(section ? { section } : {}),
      title: body.title ? await inWorking(body.title) : (section ?? question.slice(0, 120)),
      body: await inWorking(body.body),
      status: 'open',
      createdAt: deps.now(),
    });
    return reply.code(201).send({ proposal: p });
  });

  api.post('/kb/proposals/:id/apply', { onRequest: admin, schema: { params: idParams, body: fits(review) } }, async (req, reply) => {
    const edits = req.body;
    const p = await handoffs.getProposal(req.params.id);
    if (!p) return sendError(reply, 'NOT_FOUND', `No proposal "${req.params.id}".`);
    if (p.status !== 'open') return sendError(reply, 'REVIEWED', `The proposal is ${p.status} already.`);
    const { file, variants } = await applyCorrection(
      deps.knowledgeDir,
      { ...(p.section ? { section: p.section } : {}), title: edits.title ?? p.title, body: edits.body ?? p.body },
      deps.shop.workingLanguage,
    );
    await handoffs.reviewProposal(p.id, 'applied', me(req).id, deps.now(), edits);
    const sections = await deps.reloadKnowledge();
    deps.log.info({ proposal: p.id, file, sections, variants }, 'knowledge-base correction applied');
    // The article in other languages still says what it said: the admin is told which files.
    return { ok: true, file, sections, variants };
  });

  api.post('/kb/proposals/:id/reject', { onRequest: admin, schema: { params: idParams } }, async (req, reply) => {
    const p = await handoffs.getProposal(req.params.id);
    if (!p) return sendError(reply, 'NOT_FOUND', `No proposal "${req.params.id}".`);
    await handoffs.reviewProposal(p.id, 'rejected', me(req).id, deps.now());
    return { ok: true };
  });
}

/** The flagged bot answer, the shopper question before it, and the section it cited. */
async function flagged(deps: ConsoleDeps, conversationId: string, messageId: string) {
  const messages = await deps.store.listMessages(conversationId, { afterSeq: 0, limit: 500 });
  const i = messages.findIndex((m) => m.id === messageId && m.role === 'bot');
  const answer = messages[i];
  if (!answer) return undefined;
  const asked = messages
    .slice(0, i)
    .reverse()
    .find((m) => m.role === 'shopper');
  const text = answer.originalText || plainText(answer.parts);
  // The source line is in the language the answer was given in (a variant's title, or the working language's).
  const section =
    citedSection(plainText(answer.parts), deps.localizer.forLanguage(answer.language)) ??
    citedSection(text, deps.localizer.forLanguage(deps.shop.workingLanguage));
  return {
    answer: text,
    question: asked ? asked.translatedText || asked.originalText || plainText(asked.parts) : '',
    ...(section ? { section } : {}),
  };
}

/** Shoppers' ratings of agents, and each agent's average (admins only). */
function mountRatingRoutes(api: ApiOf, deps: ConsoleDeps): void {
  const { handoffs } = deps;
  api.get('/ratings', { onRequest: admin }, async () => {
    const [ratings, agents] = await Promise.all([handoffs.listRatings(), handoffs.listAgents()]);
    const byAgent = agents
      .map((a) => {
        const mine = ratings.filter((r) => r.agentId === a.id);
        return {
          agentId: a.id,
          name: a.name,
          count: mine.length,
          average: mine.length ? Math.round((mine.reduce((s, r) => s + r.rating, 0) / mine.length) * 100) / 100 : null,
        };
      })
      .filter((a) => a.count > 0);
    return { ratings, byAgent };
  });
}
