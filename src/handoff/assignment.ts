/**
 * Who answers which queued conversation: agents' presence and load, the auto-assignment pass
 * (one at a time), the no-agent timeout; and the queue as the console lists it.
 */
import type { Conversation } from '../core/store.js';
import { type Desk, apply, emit, notify } from './desk.js';
import { noAgentNotice, text } from './notices.js';
import { type AgentLoad, assignQueue, type QueuedConversation } from './routing.js';
import { overdue } from './state.js';
import type { Agent } from './store.js';

/** One queued or assigned conversation as the console lists it. */
export interface QueueEntry {
  conversationId: string;
  channelId: string;
  language?: string;
  state: Conversation['state'];
  reason?: string;
  teamId?: string;
  agentId?: string;
  queuedAt?: number;
  waitingMs?: number;
  preview?: string;
}

export async function assign(desk: Desk, conv: Conversation, agent: Agent, by: 'take' | 'auto'): Promise<void> {
  const { deps } = desk;
  const record = await deps.handoffs.getHandoff(conv.id);
  const next = apply(conv, record.agentId, { type: 'assign', agentId: agent.id, at: deps.now() });
  const changed = conv.state !== 'assigned' || record.agentId !== agent.id;
  await deps.handoffs.patchHandoff(conv.id, { agentId: agent.id, assignedAt: deps.now(), queuedAt: next.queuedAt ?? deps.now(), ratingId: null }, deps.now());
  if (!changed) return;
  const t = deps.localize(conv.language);
  await notify(desk, conv, text(t('handoff.agent_joined', { name: agent.name })), 'system', 'assigned');
  deps.log.info({ conversation: conv.id, agent: agent.id, by }, 'conversation assigned');
  emit(desk, { type: 'assigned', conversationId: conv.id, agentId: agent.id });
}

export function isOnline(desk: Desk, agentId: string): boolean {
  const p = desk.presence.get(agentId);
  return Boolean(p && p.sockets > 0 && !p.away);
}

/** Presence: a console socket opened or closed, or the agent set themselves away. */
export function setPresence(desk: Desk, agentId: string, change: { sockets?: number; away?: boolean }): void {
  const p = desk.presence.get(agentId) ?? { sockets: 0, away: false };
  p.sockets = Math.max(0, p.sockets + (change.sockets ?? 0));
  if (change.away !== undefined) p.away = change.away;
  desk.presence.set(agentId, p);
  emit(desk, { type: 'queue' });
  if (isOnline(desk, agentId)) void autoAssign(desk);
}

/** Gives queued conversations to online agents with room (serialised: one pass at a time). */
export function autoAssign(desk: Desk): Promise<void> {
  if (desk.deps.settings.assignment !== 'auto') return Promise.resolve();
  desk.assigning = desk.assigning.then(() => assignPass(desk)).catch((err) => desk.deps.log.error({ err }, 'auto-assignment failed'));
  return desk.assigning;
}

async function assignPass(desk: Desk): Promise<void> {
  const { store, handoffs } = desk.deps;
  const queued = await handoffs.handoffsIn('awaiting_agent');
  if (queued.length === 0) return;
  const { agents, loads } = await agentLoads(desk);
  const items: QueuedConversation[] = [];
  const convs = new Map<string, Conversation>();
  for (const q of queued) {
    const conv = await store.getConversation(q.conversationId);
    if (!conv) continue;
    convs.set(conv.id, conv);
    items.push({
      conversationId: conv.id,
      ...(conv.language ? { language: conv.language } : {}),
      ...(q.handoff.teamId ? { teamId: q.handoff.teamId } : {}),
      queuedAt: q.handoff.queuedAt ?? conv.updatedAt,
      priority: q.handoff.reason === 'vip' ? 1 : 0,
    });
  }
  for (const { conversationId, agentId } of assignQueue(items, loads)) {
    const conv = convs.get(conversationId);
    const agent = agents.find((a) => a.id === agentId);
    if (conv && agent) await assign(desk, conv, agent, 'auto');
  }
}

async function agentLoads(desk: Desk): Promise<{ agents: Agent[]; loads: AgentLoad[] }> {
  const { handoffs } = desk.deps;
  const [agents, active] = await Promise.all([handoffs.listAgents(), handoffs.activeCounts()]);
  const usable = agents.filter((a) => !a.disabled);
  return {
    agents: usable,
    loads: usable.map((a) => ({
      id: a.id,
      languages: a.languages.length ? a.languages : [a.language],
      skills: a.skills,
      ...(a.teamId ? { teamId: a.teamId } : {}),
      capacity: a.capacity,
      active: active.get(a.id) ?? 0,
      online: isOnline(desk, a.id),
    })),
  };
}

/** Tells shoppers who waited too long, and retries assignment. */
export async function tick(desk: Desk): Promise<void> {
  const { deps } = desk;
  const now = deps.now();
  for (const q of await deps.handoffs.handoffsIn('awaiting_agent')) {
    const conv = await deps.store.getConversation(q.conversationId);
    if (
      !conv ||
      !overdue(
        { state: conv.state, ...(q.handoff.queuedAt !== undefined ? { queuedAt: q.handoff.queuedAt } : {}) },
        now,
        deps.settings.noAgentTimeoutMs,
        q.handoff.timeoutNotified,
      )
    )
      continue;
    await deps.handoffs.patchHandoff(conv.id, { timeoutNotified: true }, now);
    await notify(desk, conv, noAgentNotice(deps.localize(conv.language)), 'bot');
    deps.log.info({ conversation: conv.id }, 'no agent in time: shopper told');
  }
  await autoAssign(desk);
}

/** The queue as the console lists it: the waiting conversations, then the assigned ones. */
export async function queueEntries(desk: Desk): Promise<QueueEntry[]> {
  const { store, handoffs } = desk.deps;
  const now = desk.deps.now();
  const rows = [...(await handoffs.handoffsIn('awaiting_agent')), ...(await handoffs.handoffsIn('assigned'))];
  const out: QueueEntry[] = [];
  for (const { conversationId, handoff: h } of rows) {
    const conv = await store.getConversation(conversationId);
    if (!conv) continue;
    const last = await handoffs.lastShopperText(conv.id);
    const since = h.queuedAt ?? conv.updatedAt;
    out.push({
      conversationId: conv.id,
      channelId: conv.channelId,
      state: conv.state,
      queuedAt: since,
      waitingMs: Math.max(0, now - since),
      ...(conv.language ? { language: conv.language } : {}),
      ...(h.reason ? { reason: h.reason } : {}),
      ...(h.teamId ? { teamId: h.teamId } : {}),
      ...(conv.state === 'assigned' && h.agentId ? { agentId: h.agentId } : {}),
      ...(last ? { preview: last.text.slice(0, 140) } : {}),
    });
  }
  return out;
}
