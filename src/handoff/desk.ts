/**
 * What the parts of the handoff service share: its ports, the consoles listening, who is
 * online, the teams; and the steps every agent action takes (load the conversation, check the
 * move against ./state.ts, tell the shopper).
 */
import { randomUUID } from 'node:crypto';
import type { ChannelAdapter } from '../core/adapter.js';
import { ParleyError } from '../core/errors.js';
import type { ConversationBus, ConversationEvent } from '../core/events.js';
import type { Part } from '../core/message.js';
import type { Localize, Logger, TranslatorPort } from '../core/ports.js';
import type { Sender } from '../core/send.js';
import type { Conversation, Store } from '../core/store.js';
import type { HandoffSettings } from './config.js';
import type { AgentPresence } from './presence.js';
import { type HandoffAction, transition } from './state.js';
import type { Agent, HandoffStore, Note, Team } from './store.js';

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
  /** Who is online, in the database every instance shares. */
  presence: AgentPresence;
  /** This gateway instance: it holds the auto-assignment lease in its name. */
  instanceId: string;
}

/** The service's state, shared by its parts: one per service. */
export interface Desk {
  deps: HandoffServiceDeps;
  listeners: Set<(e: ConsoleEvent) => void>;
  teams: Team[];
  /** The last auto-assignment pass: the next one starts after it. */
  assigning: Promise<void>;
  /** Set by `stop`: a pass waiting for the assignment lease gives up. */
  stopping: boolean;
}

export function emit(desk: Desk, e: ConsoleEvent): void {
  for (const l of desk.listeners) {
    try {
      l(e);
    } catch (err) {
      desk.deps.log.warn({ err }, 'console listener failed');
    }
  }
}

export async function conversationOf(desk: Desk, id: string): Promise<Conversation> {
  const conv = await desk.deps.store.getConversation(id);
  if (!conv) throw new ParleyError('NOT_FOUND', `No conversation "${id}".`);
  return conv;
}

/** The state after `action`; `INVALID_STATE` (409) when the conversation's state does not allow it. */
export function apply(conv: Conversation, agentId: string | undefined, action: HandoffAction) {
  return transition({ state: conv.state, ...(agentId ? { agentId } : {}) }, action);
}

/** Sends a handoff notice into the conversation in the shopper's language, with a state change. */
export async function notify(desk: Desk, conv: Conversation, parts: Part[], role: 'bot' | 'system', state?: Conversation['state']): Promise<void> {
  const { deps } = desk;
  const language = conv.language ?? deps.shop.defaultLanguage;
  const id = `h-${randomUUID()}`;
  await deps.send(conv.id, { id, role, parts, language, ...(state ? { patch: { state } } : {}) });
  await deps.handoffs.setAuthor(id, undefined, language);
}

export function mustOwn(agent: Agent, owner: string | undefined, state: Conversation['state']): void {
  if (agent.role === 'admin') return;
  if (state === 'assigned' && owner !== agent.id)
    throw new ParleyError('NOT_YOURS', 'Another agent owns this conversation. Ask them or an admin to transfer it.');
}
