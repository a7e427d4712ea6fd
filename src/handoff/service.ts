/**
 * The handoff service: the queue, assignment, and everything an agent does to a conversation
 * (take over, transfer, release, resolve, reply, notes, typing). State moves go through the
 * pure machine in ./state.ts; shopper-facing texts come from `locales/<lng>/handoff.json`.
 */
import { randomUUID } from 'node:crypto';
import type { ChannelAdapter } from '../core/adapter.js';
import type { ConversationBus, ConversationEvent } from '../core/events.js';
import type { Part } from '../core/message.js';
import { localizeParts } from '../core/translate-parts.js';
import type { Localize, Logger, TranslatorPort } from '../core/ports.js';
import type { Sender } from '../core/send.js';
import type { Conversation, Store } from '../core/store.js';
import type { HandoffSettings } from './config.js';
import { noAgentNotice, ratingRequest, text } from './notices.js';
import { type AgentLoad, assignQueue, type QueuedConversation } from './routing.js';
import { type HandoffAction, HandoffTransitionError, overdue, transition } from './state.js';
import type { Agent, HandoffStore, Note, Team } from './store.js';

/** A refusal the console API turns into an HTTP status. */
export class HandoffError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HandoffError';
  }
}

/** What consoles are told about (the socket layer filters and translates per agent). */
export type ConsoleEvent =
  ConversationEvent | { type: 'queue' } | { type: 'note'; conversationId: string; note: Note } | { type: 'assigned'; conversationId: string; agentId: string };

export interface HandoffServiceDeps {
  store: Store;
  handoffs: HandoffStore;
  bus: ConversationBus;
  send: Sender;
  translator: TranslatorPort;
  channel(id: string): ChannelAdapter | undefined;
  localize(language: string | undefined): Localize;
  shop: { workingLanguage: string; defaultLanguage: string };
  settings: HandoffSettings;
  now(): number;
  log: Logger;
}

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

export function createHandoffService(deps: HandoffServiceDeps) {
  const { store, handoffs, settings } = deps;
  const listeners = new Set<(e: ConsoleEvent) => void>();
  const presence = new Map<string, { sockets: number; away: boolean }>();
  let teams: Team[] = [];
  let assigning: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;

  const emit = (e: ConsoleEvent) => {
    for (const l of listeners) {
      try {
        l(e);
      } catch (err) {
        deps.log.warn({ err }, 'console listener failed');
      }
    }
  };

  const offBus = deps.bus.on((e) => {
    emit(e);
    if (e.type === 'state') {
      emit({ type: 'queue' });
      if (e.conversation.state === 'awaiting_agent') void autoAssign();
    }
  });

  async function conversation(id: string): Promise<Conversation> {
    const conv = await store.getConversation(id);
    if (!conv) throw new HandoffError(404, 'not_found', `No conversation "${id}".`);
    return conv;
  }

  function apply(conv: Conversation, agentId: string | undefined, action: HandoffAction) {
    try {
      return transition({ state: conv.state, ...(agentId ? { agentId } : {}) }, action);
    } catch (err) {
      if (err instanceof HandoffTransitionError) throw new HandoffError(409, 'invalid_state', err.message);
      throw err;
    }
  }

  /** Sends a handoff notice into the conversation in the shopper's language, with a state change. */
  async function notify(conv: Conversation, parts: Part[], role: 'bot' | 'system', state?: Conversation['state']) {
    const language = conv.language ?? deps.shop.defaultLanguage;
    const id = `h-${randomUUID()}`;
    await deps.send(conv.id, { id, role, parts, language, ...(state ? { patch: { state } } : {}) });
    await handoffs.setAuthor(id, undefined, language);
  }

  function mustOwn(agent: Agent, owner: string | undefined, state: Conversation['state']) {
    if (agent.role === 'admin') return;
    if (state === 'assigned' && owner !== agent.id)
      throw new HandoffError(403, 'not_yours', 'Another agent owns this conversation. Ask them or an admin to transfer it.');
  }

  async function assign(conv: Conversation, agent: Agent, by: 'take' | 'auto') {
    const record = await handoffs.getHandoff(conv.id);
    const next = apply(conv, record.agentId, { type: 'assign', agentId: agent.id, at: deps.now() });
    const changed = conv.state !== 'assigned' || record.agentId !== agent.id;
    await handoffs.patchHandoff(conv.id, { agentId: agent.id, assignedAt: deps.now(), queuedAt: next.queuedAt ?? deps.now(), ratingId: null }, deps.now());
    if (!changed) return;
    const t = deps.localize(conv.language);
    await notify(conv, text(t('handoff.agent_joined', { name: agent.name })), 'system', 'assigned');
    deps.log.info({ conversation: conv.id, agent: agent.id, by }, 'conversation assigned');
    emit({ type: 'assigned', conversationId: conv.id, agentId: agent.id });
  }

  async function loads(): Promise<{ agents: Agent[]; loads: AgentLoad[] }> {
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
        online: isOnline(a.id),
      })),
    };
  }

  function isOnline(agentId: string): boolean {
    const p = presence.get(agentId);
    return Boolean(p && p.sockets > 0 && !p.away);
  }

  /** Gives queued conversations to online agents with room (serialised: one pass at a time). */
  function autoAssign(): Promise<void> {
    if (settings.assignment !== 'auto') return Promise.resolve();
    assigning = assigning.then(assignPass).catch((err) => deps.log.error({ err }, 'auto-assignment failed'));
    return assigning;
  }

  async function assignPass(): Promise<void> {
    const queued = await handoffs.handoffsIn('awaiting_agent');
    if (queued.length === 0) return;
    const { agents, loads: current } = await loads();
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
    for (const { conversationId, agentId } of assignQueue(items, current)) {
      const conv = convs.get(conversationId);
      const agent = agents.find((a) => a.id === agentId);
      if (conv && agent) await assign(conv, agent, 'auto');
    }
  }

  /** Tells shoppers who waited too long, and retries assignment. */
  async function tick(): Promise<void> {
    const now = deps.now();
    for (const q of await handoffs.handoffsIn('awaiting_agent')) {
      const conv = await store.getConversation(q.conversationId);
      if (
        !conv ||
        !overdue(
          { state: conv.state, ...(q.handoff.queuedAt !== undefined ? { queuedAt: q.handoff.queuedAt } : {}) },
          now,
          settings.noAgentTimeoutMs,
          q.handoff.timeoutNotified,
        )
      )
        continue;
      await handoffs.patchHandoff(conv.id, { timeoutNotified: true }, now);
      await notify(conv, noAgentNotice(deps.localize(conv.language)), 'bot');
      deps.log.info({ conversation: conv.id }, 'no agent in time: shopper told');
    }
    await autoAssign();
  }

  async function queue(): Promise<QueueEntry[]> {
    const now = deps.now();
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

  return {
    on(listener: (e: ConsoleEvent) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit,
    queue,
    autoAssign,
    tick,
    isOnline,
    teams: () => teams,
    async loadTeams(): Promise<Team[]> {
      teams = await handoffs.listTeams();
      return teams;
    },
    /** Presence: a console socket opened or closed, or the agent set themselves away. */
    presence(agentId: string, change: { sockets?: number; away?: boolean }) {
      const p = presence.get(agentId) ?? { sockets: 0, away: false };
      p.sockets = Math.max(0, p.sockets + (change.sockets ?? 0));
      if (change.away !== undefined) p.away = change.away;
      presence.set(agentId, p);
      emit({ type: 'queue' });
      if (isOnline(agentId)) void autoAssign();
    },
    conversation,
    async take(agent: Agent, id: string): Promise<void> {
      const conv = await conversation(id);
      const record = await handoffs.getHandoff(id);
      if (conv.state === 'assigned' && record.agentId !== agent.id && agent.role !== 'admin') {
        throw new HandoffError(403, 'not_yours', 'Another agent owns this conversation. Only an admin can take it over.');
      }
      await assign(conv, agent, 'take');
    },
    async transfer(agent: Agent, id: string, to: { agentId?: string; teamId?: string }): Promise<void> {
      const conv = await conversation(id);
      const record = await handoffs.getHandoff(id);
      mustOwn(agent, record.agentId, conv.state);
      const now = deps.now();
      if (to.agentId) {
        const target = await handoffs.getAgent(to.agentId);
        if (!target || target.disabled) throw new HandoffError(400, 'bad_agent', `No active agent "${to.agentId}".`);
        apply(conv, record.agentId, { type: 'transfer', agentId: target.id, at: now });
        if (conv.state !== 'assigned') return assign(conv, target, 'take');
        await handoffs.patchHandoff(id, { agentId: target.id, assignedAt: now }, now);
        const t = deps.localize(conv.language);
        await notify(conv, text(t('handoff.agent_joined', { name: target.name })), 'system');
        emit({ type: 'assigned', conversationId: id, agentId: target.id });
        emit({ type: 'queue' });
        return;
      }
      if (to.teamId && !teams.some((t) => t.id === to.teamId)) throw new HandoffError(400, 'bad_team', `No team "${to.teamId}".`);
      if (conv.state === 'assigned') apply(conv, record.agentId, { type: 'unassign', at: now });
      await handoffs.patchHandoff(
        id,
        { agentId: null, queuedAt: now, timeoutNotified: false, waitingAcked: false, ...(to.teamId ? { teamId: to.teamId } : {}) },
        now,
      );
      await store.updateConversation(id, { state: 'awaiting_agent' }, now);
      deps.bus.emit({ type: 'state', conversation: { ...conv, state: 'awaiting_agent' }, previous: conv.state });
    },
    async release(agent: Agent, id: string): Promise<void> {
      await finish(agent, id, 'release');
    },
    async resolve(agent: Agent, id: string): Promise<void> {
      await finish(agent, id, 'resolve');
    },
    /**
     * Sends an agent's reply. `language` is what `body` is written in: the agent's own by
     * default, or the shopper's for a canned reply the shop wrote in it (never translated).
     */
    async reply(agent: Agent, id: string, body: string, clientId?: string, language?: string) {
      const conv = await conversation(id);
      const record = await handoffs.getHandoff(id);
      mustOwn(agent, record.agentId, conv.state);
      const written = writtenIn(agent, conv, language);
      // Replying to a conversation nobody owns takes it.
      if (conv.state !== 'assigned') await assign(conv, agent, 'take');
      const messageId = `a-${clientId ? `${agent.id.slice(0, 8)}-${clientId}` : randomUUID()}`;
      await handoffs.setAuthor(messageId, agent.id, written);
      // A person answered: the shopper is no longer waiting, and needs no "we'll reply" note.
      if (!record.waitingAcked) await handoffs.patchHandoff(id, { waitingAcked: true }, deps.now());
      const { messages } = await deps.send(id, { id: messageId, role: 'agent', parts: [{ kind: 'text', text: body }], language: written });
      deps.bus.emit({ type: 'typing', conversation: conv, role: 'agent', on: false });
      return messages;
    },
    async note(agent: Agent, id: string, body: string): Promise<Note> {
      await conversation(id);
      const note = await handoffs.addNote({ id: randomUUID(), conversationId: id, agentId: agent.id, text: body, createdAt: deps.now() });
      emit({ type: 'note', conversationId: id, note });
      return note;
    },
    /** Exactly what the shopper will read if the agent sends `body` (the same path as {@link reply}). */
    async preview(agent: Agent, id: string, body: string, language?: string) {
      const conv = await conversation(id);
      const to = conv.language ?? deps.shop.defaultLanguage;
      const out = await localizeParts([{ kind: 'text', text: body }], {
        from: writtenIn(agent, conv, language),
        to,
        translator: deps.translator,
        t: deps.localize(to),
        conversationId: id,
      });
      // Texts as degrade joins them into one message: the note, a blank line, the reply.
      const text = out.parts.flatMap((p) => (p.kind === 'text' ? [p.text] : [])).join('\n\n');
      return { text, language: to, provider: out.provider ?? 'none', ...(out.untranslated ? { untranslated: true } : {}) };
    },
    async typing(agent: Agent, id: string, on: boolean): Promise<void> {
      const conv = await conversation(id);
      deps.bus.emit({ type: 'typing', conversation: conv, role: 'agent', on });
      // Other channels show the platform's own indicator, where they have one.
      const channel = deps.channel(conv.channelId);
      if (on && channel?.type !== 'webchat' && channel?.sendTyping) await channel.sendTyping(conv.ref).catch(() => undefined);
    },
    start(): void {
      const every = Math.max(250, Math.min(5000, Math.floor((settings.noAgentTimeoutMs || 10_000) / 2)));
      timer = setInterval(() => void tick().catch((err) => deps.log.error({ err }, 'handoff tick failed')), every);
      timer.unref();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      offBus();
      await assigning;
    },
  };

  /** The language an agent's text is in: theirs, or the shopper's when they say so (canned replies). */
  function writtenIn(agent: Agent, conv: Conversation, language: string | undefined): string {
    if (!language || language.toLowerCase() === agent.language.toLowerCase()) return agent.language;
    const shopper = conv.language ?? deps.shop.defaultLanguage;
    if (language.toLowerCase() === shopper.toLowerCase()) return shopper;
    throw new HandoffError(400, 'bad_language', `A reply is written in your language (${agent.language}) or the shopper's (${shopper}), not "${language}".`);
  }

  async function finish(agent: Agent, id: string, how: 'release' | 'resolve'): Promise<void> {
    const conv = await conversation(id);
    const record = await handoffs.getHandoff(id);
    mustOwn(agent, record.agentId, conv.state);
    const next = apply(conv, record.agentId, { type: how, askFeedback: settings.feedback });
    const t = deps.localize(conv.language);
    const lead = t(how === 'release' ? 'handoff.released' : 'handoff.resolved');
    await handoffs.patchHandoff(id, { queuedAt: null, timeoutNotified: false, ...(next.agentId ? { agentId: next.agentId } : {}) }, deps.now());
    await notify(conv, next.state === 'feedback' ? ratingRequest(t, lead) : text(lead), 'bot', next.state);
    deps.bus.emit({ type: 'typing', conversation: conv, role: 'agent', on: false });
  }
}

/** The handoff service (see {@link createHandoffService}). */
export type HandoffService = ReturnType<typeof createHandoffService>;
