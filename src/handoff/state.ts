/**
 * The handoff state machine of one conversation, pure: who owns it (the bot, the queue, an
 * agent) and which moves are allowed. The service applies the result to the store; nothing
 * here does I/O.
 *
 * ```
 *   bot ──request──▶ awaiting_agent ──assign──▶ assigned ──resolve──▶ feedback ──rate/skip──▶ bot
 *    ▲                 │   ▲                     │  │ ▲                  (resolved when feedback is off)
 *    └──cancel/timeout─┘   └──────unassign───────┘  └─transfer
 *    └────────────────────────release──────────────┘ (asks for feedback too)
 * ```
 */
import { ParleyError } from '../core/errors.js';
import type { ConversationState } from '../core/store.js';

/** Where a conversation's handoff is, and who holds it. */
export interface HandoffSnapshot {
  state: ConversationState;
  /** The agent who owns it (state `assigned`), or who owned it last (`feedback`, `resolved`). */
  agentId?: string;
  /** When it entered the queue (ms since epoch). */
  queuedAt?: number;
  reason?: string;
}

/** What can happen to a conversation. */
export type HandoffAction =
  | { type: 'request'; reason: string; at: number }
  | { type: 'assign'; agentId: string; at: number }
  | { type: 'transfer'; agentId: string; at: number }
  /** Back to the queue (the agent went away, or a transfer to a team). */
  | { type: 'unassign'; at: number }
  | { type: 'release'; askFeedback: boolean }
  | { type: 'resolve'; askFeedback: boolean }
  /** The shopper cancelled the request, or went back to the bot after the no-agent timeout. */
  | { type: 'cancel' }
  /** The shopper rated, commented or simply moved on. */
  | { type: 'feedback_done' };

const humanStates: readonly ConversationState[] = ['awaiting_agent', 'assigned'];

/** Whether a person owns the conversation or is about to: the bot stays silent. */
export function humanOwned(state: ConversationState): boolean {
  return humanStates.includes(state);
}

/**
 * Applies one action; throws `INVALID_STATE` (answered 409 in the console API) when the state
 * does not allow it, with `details.from` and `details.action`.
 *
 * @example
 * ```ts
 * let s: HandoffSnapshot = { state: 'bot' };
 * s = transition(s, { type: 'request', reason: 'shopper_request', at: now });  // awaiting_agent
 * s = transition(s, { type: 'assign', agentId: 'a1', at: now });              // assigned to a1
 * s = transition(s, { type: 'resolve', askFeedback: true });                  // feedback
 * ```
 */
export function transition(s: HandoffSnapshot, action: HandoffAction): HandoffSnapshot {
  const fail = (): never => {
    throw new ParleyError('INVALID_STATE', `Cannot ${action.type} a conversation that is "${s.state}".`, { details: { from: s.state, action: action.type } });
  };
  switch (action.type) {
    case 'request':
      // Asking again while queued or assigned changes nothing.
      if (humanOwned(s.state)) return s;
      return { state: 'awaiting_agent', queuedAt: action.at, reason: action.reason };
    case 'assign':
      if (s.state === 'assigned' && s.agentId === action.agentId) return s;
      if (s.state !== 'awaiting_agent' && s.state !== 'bot' && s.state !== 'feedback' && s.state !== 'resolved') fail();
      return { ...s, state: 'assigned', agentId: action.agentId, queuedAt: s.queuedAt ?? action.at };
    case 'transfer':
      if (s.state !== 'assigned' && s.state !== 'awaiting_agent') fail();
      return { ...s, state: 'assigned', agentId: action.agentId };
    case 'unassign': {
      if (s.state !== 'assigned') fail();
      const { agentId: _gone, ...rest } = s;
      return { ...rest, state: 'awaiting_agent', queuedAt: action.at };
    }
    case 'release':
      if (!humanOwned(s.state)) fail();
      return s.agentId && action.askFeedback ? { state: 'feedback', agentId: s.agentId } : { state: 'bot' };
    case 'resolve':
      if (!humanOwned(s.state)) fail();
      return action.askFeedback
        ? { state: 'feedback', ...(s.agentId ? { agentId: s.agentId } : {}) }
        : { state: 'resolved', ...(s.agentId ? { agentId: s.agentId } : {}) };
    case 'cancel':
      if (s.state !== 'awaiting_agent') fail();
      return { state: 'bot' };
    case 'feedback_done':
      if (s.state !== 'feedback' && s.state !== 'resolved') fail();
      return { state: 'bot' };
  }
}

/**
 * Whether a queued conversation has waited longer than `timeoutMs` without an agent and the
 * shopper has not been told yet. A timeout of 0 turns the rule off.
 *
 * @example
 * ```ts
 * overdue({ state: 'awaiting_agent', queuedAt: 0 }, 301_000, 300_000, false); // true
 * ```
 */
export function overdue(s: HandoffSnapshot, now: number, timeoutMs: number, notified: boolean): boolean {
  return timeoutMs > 0 && !notified && s.state === 'awaiting_agent' && s.queuedAt !== undefined && now - s.queuedAt >= timeoutMs;
}
