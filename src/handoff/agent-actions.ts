/**
 * What an agent does to a conversation: take it over, transfer it, release or resolve it,
 * reply (and preview the reply as the shopper will read it), write notes, show typing.
 */
import { randomUUID } from 'node:crypto';
import { ParleyError } from '../core/errors.js';
import { localizeParts } from '../core/translate-parts.js';
import type { Part } from '../core/message.js';
import type { Conversation } from '../core/store.js';
import { assign } from './assignment.js';
import { type Desk, apply, conversationOf, emit, mustOwn, notify } from './desk.js';
import { ratingRequest, text } from './notices.js';
import type { Agent, HandoffRecord, Note } from './store.js';

export async function take(desk: Desk, agent: Agent, id: string): Promise<void> {
  const conv = await conversationOf(desk, id);
  const record = await desk.deps.handoffs.getHandoff(id);
  if (conv.state === 'assigned' && record.agentId !== agent.id && agent.role !== 'admin') {
    throw new ParleyError('NOT_YOURS', 'Another agent owns this conversation. Only an admin can take it over.');
  }
  await assign(desk, conv, agent, 'take');
}

/** To another agent (who joins at once), or back to the queue, optionally a team's. */
export async function transfer(desk: Desk, agent: Agent, id: string, to: { agentId?: string; teamId?: string }): Promise<void> {
  const conv = await conversationOf(desk, id);
  const record = await desk.deps.handoffs.getHandoff(id);
  mustOwn(agent, record.agentId, conv.state);
  const now = desk.deps.now();
  if (to.agentId) return transferToAgent(desk, conv, record, to.agentId, now);
  return transferToQueue(desk, conv, record, to.teamId, now);
}

async function transferToAgent(desk: Desk, conv: Conversation, record: HandoffRecord, agentId: string, now: number): Promise<void> {
  const { deps } = desk;
  const target = await deps.handoffs.getAgent(agentId);
  if (!target || target.disabled) throw new ParleyError('BAD_AGENT', `No active agent "${agentId}".`);
  apply(conv, record.agentId, { type: 'transfer', agentId: target.id, at: now });
  if (conv.state !== 'assigned') {
    await assign(desk, conv, target, 'take');
    return;
  }
  await deps.handoffs.patchHandoff(conv.id, { agentId: target.id, assignedAt: now }, now);
  const t = deps.localize(conv.language);
  await notify(desk, conv, text(t('handoff.agent_joined', { name: target.name })), 'system');
  emit(desk, { type: 'assigned', conversationId: conv.id, agentId: target.id });
  emit(desk, { type: 'queue' });
}

async function transferToQueue(desk: Desk, conv: Conversation, record: HandoffRecord, teamId: string | undefined, now: number): Promise<void> {
  const { deps } = desk;
  if (teamId && !desk.teams.some((t) => t.id === teamId)) throw new ParleyError('BAD_TEAM', `No team "${teamId}".`);
  if (conv.state === 'assigned') apply(conv, record.agentId, { type: 'unassign', at: now });
  await deps.handoffs.patchHandoff(conv.id, { agentId: null, queuedAt: now, timeoutNotified: false, waitingAcked: false, ...(teamId ? { teamId } : {}) }, now);
  await deps.store.updateConversation(conv.id, { state: 'awaiting_agent' }, now);
  deps.bus.emit({ type: 'state', conversation: { ...conv, state: 'awaiting_agent' }, previous: conv.state });
}

/** Release (back to the bot) or resolve: the shopper is told, and asked for a rating when feedback is on. */
export async function finish(desk: Desk, agent: Agent, id: string, how: 'release' | 'resolve'): Promise<void> {
  const { deps } = desk;
  const conv = await conversationOf(desk, id);
  const record = await deps.handoffs.getHandoff(id);
  mustOwn(agent, record.agentId, conv.state);
  const next = apply(conv, record.agentId, { type: how, askFeedback: deps.settings.feedback });
  const t = deps.localize(conv.language);
  const lead = t(how === 'release' ? 'handoff.released' : 'handoff.resolved');
  await deps.handoffs.patchHandoff(id, { queuedAt: null, timeoutNotified: false, ...(next.agentId ? { agentId: next.agentId } : {}) }, deps.now());
  if (how === 'resolve') {
    const teamId = record.teamId ?? agent.teamId;
    await deps.handoffs.addReportEvent({ conversationId: id, kind: 'resolved', agentId: agent.id, ...(teamId ? { teamId } : {}), at: deps.now() });
  }
  await notify(desk, conv, next.state === 'feedback' ? ratingRequest(t, lead) : text(lead), 'bot', next.state);
  deps.bus.emit({ type: 'typing', conversation: conv, role: 'agent', on: false });
}

/**
 * Sends an agent's reply. `language` is what `body` is written in: the agent's own by
 * default, or the shopper's for a canned reply the shop wrote in it (never translated).
 * `attachments` (stored photos and files) follow the text; `body` may be empty with them.
 */
export async function reply(desk: Desk, agent: Agent, id: string, body: string, clientId?: string, language?: string, attachments: Part[] = []) {
  const { deps } = desk;
  const conv = await conversationOf(desk, id);
  const record = await deps.handoffs.getHandoff(id);
  mustOwn(agent, record.agentId, conv.state);
  const written = writtenIn(desk, agent, conv, language);
  // Replying to a conversation nobody owns takes it.
  if (conv.state !== 'assigned') await assign(desk, conv, agent, 'take');
  const messageId = `a-${clientId ? `${agent.id.slice(0, 8)}-${clientId}` : randomUUID()}`;
  await deps.handoffs.setAuthor(messageId, agent.id, written);
  // A person answered: the shopper is no longer waiting, and needs no "we'll reply" note.
  if (!record.waitingAcked) await deps.handoffs.patchHandoff(id, { waitingAcked: true }, deps.now());
  const { messages } = await deps.send(id, {
    id: messageId,
    role: 'agent',
    parts: [...(body ? [{ kind: 'text' as const, text: body }] : []), ...attachments],
    language: written,
  });
  await deps.handoffs.addFirstAnswer(id, agent.id, record.teamId ?? agent.teamId, deps.now());
  deps.bus.emit({ type: 'typing', conversation: conv, role: 'agent', on: false });
  return messages;
}

/** Exactly what the shopper will read if the agent sends `body` (the same path as {@link reply}). */
export async function preview(desk: Desk, agent: Agent, id: string, body: string, language?: string) {
  const { deps } = desk;
  const conv = await conversationOf(desk, id);
  const to = conv.language ?? deps.shop.defaultLanguage;
  const out = await localizeParts([{ kind: 'text', text: body }], {
    from: writtenIn(desk, agent, conv, language),
    to,
    translator: deps.translator,
    t: deps.localize(to),
    conversationId: id,
  });
  // Texts as degrade joins them into one message: the note, a blank line, the reply.
  const text = out.parts.flatMap((p) => (p.kind === 'text' ? [p.text] : [])).join('\n\n');
  return { text, language: to, provider: out.provider ?? 'none', ...(out.untranslated ? { untranslated: true } : {}) };
}

/** The language an agent's text is in: theirs, or the shopper's when they say so (canned replies). */
function writtenIn(desk: Desk, agent: Agent, conv: Conversation, language: string | undefined): string {
  if (!language || language.toLowerCase() === agent.language.toLowerCase()) return agent.language;
  const shopper = conv.language ?? desk.deps.shop.defaultLanguage;
  if (language.toLowerCase() === shopper.toLowerCase()) return shopper;
  throw new ParleyError('BAD_LANGUAGE', `A reply is written in your language (${agent.language}) or the shopper's (${shopper}), not "${language}".`);
}

export async function addNote(desk: Desk, agent: Agent, id: string, body: string): Promise<Note> {
  await conversationOf(desk, id);
  const note = await desk.deps.handoffs.addNote({ id: randomUUID(), conversationId: id, agentId: agent.id, text: body, createdAt: desk.deps.now() });
  emit(desk, { type: 'note', conversationId: id, note });
  return note;
}

export async function typing(desk: Desk, agent: Agent, id: string, on: boolean): Promise<void> {
  const conv = await conversationOf(desk, id);
  desk.deps.bus.emit({ type: 'typing', conversation: conv, role: 'agent', on });
  // Other channels show the platform's own indicator, where they have one.
  const channel = desk.deps.channel(conv.channelId);
  if (on && channel?.type !== 'webchat' && channel?.sendTyping) await channel.sendTyping(conv.ref).catch(() => undefined);
}
