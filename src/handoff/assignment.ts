/**
 * Who answers which queued conversation: agents' presence and load, the auto-assignment pass
 * (one at a time across every instance, under a lease in the database), the no-agent timeout;
 * and the queue as the console lists it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ParleyError } from '../core/errors.js';
import type { Conversation } from '../core/store.js';
import { type Desk, apply, emit, notify } from './desk.js';
import { noAgentNotice, text } from './notices.js';
import { type AgentLoad, assignQueue, type QueuedConversation } from './routing.js';
import { overdue } from './state.js';
import type { Agent } from './store.js';

/** The lease one instance's auto-assignment pass holds; renewed before each assignment. */
const ASSIGN_LEASE = 'handoff:auto-assign';
const ASSIGN_LEASE_MS = 10_000;
/** A pass waits for another instance's pass this often, at most one lease long. */
const LEASE_RETRY_MS = 50;

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

/**
 * Gives `conv` to `agent`, if nobody changed it since it was read. An auto pass that lost the
 * race (another instance's pass, an agent's take, the shopper cancelling) gets false and moves on;
 * an agent's take is told the conversation changed.
 */
export async function assign(desk: Desk, conv: Conversation, agent: Agent, by: 'take' | 'auto'): Promise<boolean> {
  const { deps } = desk;
  const record = await deps.handoffs.getHandoff(conv.id);
  const next = apply(conv, record.agentId, { type: 'assign', agentId: agent.id, at: deps.now() });
  const changed = conv.state !== 'assigned' || record.agentId !== agent.id;
  const seen = { state: conv.state, ...(record.agentId ? { agentId: record.agentId } : {}) };
  if (!(await deps.handoffs.claim(conv.id, agent.id, seen, next.queuedAt ?? deps.now(), deps.now()))) {
    if (by === 'auto') return false;
    throw new ParleyError('INVALID_STATE', 'The conversation changed while you took it (another agent may have it). Reload it and try again.');
  }
  if (!changed) return true;
  deps.bus.emit({ type: 'state', conversation: { ...conv, state: 'assigned' }, previous: conv.state });
  const t = deps.localize(conv.language);
  await notify(desk, conv, text(t('handoff.agent_joined', { name: agent.name })), 'system');
  deps.log.info({ conversation: conv.id, agent: agent.id, by }, 'conversation assigned');
  emit(desk, { type: 'assigned', conversationId: conv.id, agentId: agent.id });
  return true;
}

/** Online on any instance (a console socket open, not away). */
export function isOnline(desk: Desk, agentId: string): Promise<boolean> {
  return desk.deps.presence.isOnline(agentId);
}

/** Presence: a console socket opened or closed here, or the agent set themselves away. */
export async function setPresence(desk: Desk, agentId: string, change: { sockets?: number; away?: boolean }): Promise<void> {
  await desk.deps.presence.change(agentId, change);
  emit(desk, { type: 'queue' });
  if (await isOnline(desk, agentId).catch(() => false)) void autoAssign(desk);
}

/** Gives queued conversations to online agents with room (serialised: one pass at a time, on every instance). */
export function autoAssign(desk: Desk): Promise<void> {
  if (desk.deps.settings.assignment !== 'auto') return Promise.resolve();
  desk.assigning = desk.assigning.then(() => leasedPass(desk)).catch((err) => desk.deps.log.error({ err }, 'auto-assignment failed'));
  return desk.assigning;
}

/** Runs a pass under the database lease, waiting while another instance's pass holds it. */
async function leasedPass(desk: Desk): Promise<void> {
  const { store, instanceId, now } = desk.deps;
  if ((await desk.deps.handoffs.handoffsIn('awaiting_agent')).length === 0) return;
  const hold = () => store.acquireLease(ASSIGN_LEASE, instanceId, ASSIGN_LEASE_MS, now());
  for (let waited = 0; !(await hold()); waited += LEASE_RETRY_MS) {
    // Past one lease the holder is gone or stuck: the tick tries again later.
    if (desk.stopping || waited > ASSIGN_LEASE_MS) return;
    await sleep(LEASE_RETRY_MS);
  }
  try {
    await assignPass(desk, hold);
  } finally {
    await store.releaseLease(ASSIGN_LEASE, instanceId).catch(() => undefined);
  }
}

/** One pass; `hold` renews the lease and says whether it is still ours. */
async function assignPass(desk: Desk, hold: () => Promise<boolean>): Promise<void> {
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
    if (!conv || !agent) continue;
    if (!(await hold())) return desk.deps.log.warn({ conversation: conversationId }, 'auto-assignment lease lost mid-pass: the next pass goes on');
    await assign(desk, conv, agent, 'auto');
  }
}

async function agentLoads(desk: Desk): Promise<{ agents: Agent[]; loads: AgentLoad[] }> {
  const { handoffs } = desk.deps;
  const [agents, active, online] = await Promise.all([handoffs.listAgents(), handoffs.activeCounts(), desk.deps.presence.online()]);
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
      online: online.has(a.id),
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
