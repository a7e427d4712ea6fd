import { describe, expect, it } from 'vitest';
import { type AgentLoad, assignQueue, chooseTeam, orderQueue, pickAgent } from './routing.js';

const agent = (id: string, o: Partial<AgentLoad> = {}): AgentLoad => ({ id, languages: ['en'], skills: [], capacity: 3, active: 0, online: true, ...o });

describe('routing', () => {
  it('picks the least-busy online agent who speaks the language, else anyone', () => {
    const agents = [
      agent('en1', { active: 0 }),
      agent('es1', { languages: ['es'], active: 2 }),
      agent('es2', { languages: ['es-MX', 'en'], active: 1 }),
      agent('off', { languages: ['es'], online: false }),
    ];
    expect(pickAgent({ conversationId: 'c', language: 'es', queuedAt: 0 }, agents)?.id).toBe('es2');
    expect(pickAgent({ conversationId: 'c', language: 'zh-CN', queuedAt: 0 }, agents)?.id).toBe('en1');
    expect(pickAgent({ conversationId: 'c', language: 'es', queuedAt: 0 }, [agent('full', { languages: ['es'], active: 3 })])).toBeUndefined();
  });

  it('prefers the conversation team and required skills', () => {
    const agents = [agent('a', { teamId: 'eu' }), agent('b', { teamId: 'vip', skills: ['refunds'], active: 2 })];
    expect(pickAgent({ conversationId: 'c', language: 'en', teamId: 'vip', queuedAt: 0 }, agents)?.id).toBe('b');
    expect(pickAgent({ conversationId: 'c', language: 'en', skills: ['refunds'], queuedAt: 0 }, agents)?.id).toBe('b');
  });

  it('chooses a team by language, with a catch-all', () => {
    const teams = [
      { id: 'cn', languages: ['zh'], skills: [] },
      { id: 'eu', languages: ['en', 'de'], skills: [] },
      { id: 'all', languages: [], skills: [] },
    ];
    expect(chooseTeam(teams, 'zh-TW')).toBe('cn');
    expect(chooseTeam(teams, 'de')).toBe('eu');
    expect(chooseTeam(teams, 'th')).toBe('all');
    expect(chooseTeam([], 'th')).toBeUndefined();
  });

  it('serves the queue in order (VIP first, then longest wait) within capacity', () => {
    const queue = [
      { conversationId: 'late', language: 'en', queuedAt: 30 },
      { conversationId: 'early', language: 'en', queuedAt: 10 },
      { conversationId: 'vip', language: 'en', queuedAt: 50, priority: 1 },
    ];
    expect(orderQueue(queue).map((q) => q.conversationId)).toEqual(['vip', 'early', 'late']);
    const result = assignQueue(queue, [agent('a', { capacity: 1 }), agent('b', { capacity: 1 })]);
    expect(result).toEqual([
      { conversationId: 'vip', agentId: 'a' },
      { conversationId: 'early', agentId: 'b' },
    ]);
  });
});
