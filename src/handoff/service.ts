/**
 * The handoff service: the queue, assignment, and everything an agent does to a conversation
 * (take over, transfer, release, resolve, reply, notes, typing). State moves go through the
 * pure machine in ./state.ts; shopper-facing texts come from `locales/<lng>/handoff.json`.
 *
 * The parts: ./desk.ts (the state they share, and the steps every action takes),
 * ./assignment.ts (presence, auto-assignment, the no-agent timeout, the queue list) and
 * ./agent-actions.ts (what an agent does). This file wires them into one object.
 */
import type { Part } from '../core/message.js';
import * as actions from './agent-actions.js';
import * as assignment from './assignment.js';
import { type ConsoleEvent, conversationOf, type Desk, emit, type HandoffServiceDeps } from './desk.js';
import type { Agent, Team } from './store.js';

export type { ConsoleEvent, HandoffServiceDeps } from './desk.js';
export function createHandoffService(deps: HandoffServiceDeps) {
  const desk: Desk = { deps, listeners: new Set(), teams: [], assigning: Promise.resolve(), stopping: false };
  let timer: NodeJS.Timeout | undefined;

  const offBus = deps.bus.on((e) => {
    emit(desk, e);
    if (e.type === 'state') {
      emit(desk, { type: 'queue' });
      if (e.conversation.state === 'awaiting_agent') void assignment.autoAssign(desk);
    }
  });

  return {
    on(listener: (e: ConsoleEvent) => void): () => void {
      desk.listeners.add(listener);
      return () => desk.listeners.delete(listener);
    },
    emit: (e: ConsoleEvent) => emit(desk, e),
    queue: () => assignment.queueEntries(desk),
    autoAssign: () => assignment.autoAssign(desk),
    tick: () => assignment.tick(desk),
    /** Online on any instance sharing the database. */
    isOnline: (agentId: string) => assignment.isOnline(desk, agentId),
    /** Every agent online on any instance. */
    online: () => deps.presence.online(),
    teams: () => desk.teams,
    async loadTeams(): Promise<Team[]> {
      desk.teams = await deps.handoffs.listTeams();
      return desk.teams;
    },
    /** Presence: a console socket opened or closed, or the agent set themselves away. */
    presence: (agentId: string, change: { sockets?: number; away?: boolean }) => assignment.setPresence(desk, agentId, change),
    conversation: (id: string) => conversationOf(desk, id),
    take: (agent: Agent, id: string) => actions.take(desk, agent, id),
    transfer: (agent: Agent, id: string, to: { agentId?: string; teamId?: string }) => actions.transfer(desk, agent, id, to),
    release: (agent: Agent, id: string) => actions.finish(desk, agent, id, 'release'),
    resolve: (agent: Agent, id: string) => actions.finish(desk, agent, id, 'resolve'),
    /**
     * Sends an agent's reply. `language` is what `body` is written in: the agent's own by
     * default, or the shopper's for a canned reply the shop wrote in it (never translated).
     */
    reply: (agent: Agent, id: string, body: string, clientId?: string, language?: string, attachments?: Part[]) =>
      actions.reply(desk, agent, id, body, clientId, language, attachments),
    note: (agent: Agent, id: string, body: string) => actions.addNote(desk, agent, id, body),
    /** Exactly what the shopper will read if the agent sends `body` (the same path as `reply`). */
    preview: (agent: Agent, id: string, body: string, language?: string) => actions.preview(desk, agent, id, body, language),
    typing: (agent: Agent, id: string, on: boolean) => actions.typing(desk, agent, id, on),
    start(): void {
      const every = Math.max(250, Math.min(5000, Math.floor((deps.settings.noAgentTimeoutMs || 10_000) / 2)));
      timer = setInterval(() => void assignment.tick(desk).catch((err) => deps.log.error({ err }, 'handoff tick failed')), every);
      timer.unref();
      deps.presence.start();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      offBus();
      desk.stopping = true;
      await desk.assigning;
      await deps.presence.stop();
    },
  };
}

/** The handoff service (see {@link createHandoffService}). */
export type HandoffService = ReturnType<typeof createHandoffService>;
