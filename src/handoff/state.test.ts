import { describe, expect, it } from 'vitest';
import { ParleyError } from '../core/errors.js';
import { humanOwned, overdue, transition, type HandoffSnapshot } from './state.js';

describe('handoff state machine', () => {
  it('goes bot → queued → assigned → feedback → bot', () => {
    let s: HandoffSnapshot = { state: 'bot' };
    s = transition(s, { type: 'request', reason: 'shopper_request', at: 10 });
    expect(s).toEqual({ state: 'awaiting_agent', queuedAt: 10, reason: 'shopper_request' });
    expect(humanOwned(s.state)).toBe(true);
    s = transition(s, { type: 'assign', agentId: 'a1', at: 20 });
    expect(s).toMatchObject({ state: 'assigned', agentId: 'a1' });
    s = transition(s, { type: 'resolve', askFeedback: true });
    expect(s).toEqual({ state: 'feedback', agentId: 'a1' });
    expect(humanOwned(s.state)).toBe(false);
    expect(transition(s, { type: 'feedback_done' })).toEqual({ state: 'bot' });
  });

  it('transfers between agents and unassigns back to the queue', () => {
    const assigned = transition({ state: 'awaiting_agent', queuedAt: 1 }, { type: 'assign', agentId: 'a1', at: 2 });
    const moved = transition(assigned, { type: 'transfer', agentId: 'a2', at: 3 });
    expect(moved).toMatchObject({ state: 'assigned', agentId: 'a2' });
    expect(transition(moved, { type: 'unassign', at: 4 })).toEqual({ state: 'awaiting_agent', queuedAt: 4 });
  });

  it('releases to the bot, asking for feedback only when an agent helped', () => {
    expect(transition({ state: 'assigned', agentId: 'a1' }, { type: 'release', askFeedback: true })).toEqual({ state: 'feedback', agentId: 'a1' });
    expect(transition({ state: 'awaiting_agent' }, { type: 'release', askFeedback: true })).toEqual({ state: 'bot' });
    expect(transition({ state: 'assigned', agentId: 'a1' }, { type: 'resolve', askFeedback: false })).toEqual({ state: 'resolved', agentId: 'a1' });
  });

  it('lets the shopper cancel only while queued, and refuses moves the state does not allow', () => {
    expect(transition({ state: 'awaiting_agent', queuedAt: 1 }, { type: 'cancel' })).toEqual({ state: 'bot' });
    expect(() => transition({ state: 'assigned', agentId: 'a1' }, { type: 'cancel' })).toThrow(ParleyError);
    expect(() => transition({ state: 'bot' }, { type: 'resolve', askFeedback: true })).toThrow(/Cannot resolve/);
    let refused: unknown;
    try {
      transition({ state: 'bot' }, { type: 'transfer', agentId: 'a2', at: 1 });
    } catch (err) {
      refused = err;
    }
    expect(refused).toMatchObject({ code: 'INVALID_STATE', statusCode: 409, details: { from: 'bot', action: 'transfer' } });
    // Asking again while queued changes nothing (the queue position is kept).
    const queued: HandoffSnapshot = { state: 'awaiting_agent', queuedAt: 5, reason: 'emotion' };
    expect(transition(queued, { type: 'request', reason: 'shopper_request', at: 9 })).toBe(queued);
  });

  it('times out a queued conversation once, after the configured wait', () => {
    const queued: HandoffSnapshot = { state: 'awaiting_agent', queuedAt: 1_000 };
    expect(overdue(queued, 1_000 + 299_999, 300_000, false)).toBe(false);
    expect(overdue(queued, 1_000 + 300_000, 300_000, false)).toBe(true);
    expect(overdue(queued, 1_000 + 300_000, 300_000, true)).toBe(false);
    expect(overdue(queued, 1_000 + 999_999, 0, false)).toBe(false);
    expect(overdue({ state: 'assigned', agentId: 'a', queuedAt: 0 }, 999_999, 1, false)).toBe(false);
  });
});
