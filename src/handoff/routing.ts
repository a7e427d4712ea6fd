/**
 * Routing, pure: which team a queued conversation belongs to, which agent gets it, and in
 * which order the queue is served. The service feeds it the current loads.
 */

/** An agent as routing sees them. */
export interface AgentLoad {
  id: string;
  /** Languages the agent works in (BCP 47); the first is their console language. */
  languages: readonly string[];
  skills: readonly string[];
  teamId?: string;
  /** Most conversations at once. */
  capacity: number;
  /** Conversations assigned now. */
  active: number;
  /** Has the console open and is not away. */
  online: boolean;
}

/** A team as routing sees it. */
export interface TeamRoute {
  id: string;
  languages: readonly string[];
  skills: readonly string[];
}

/** A conversation waiting for a person. */
export interface QueuedConversation {
  conversationId: string;
  language?: string;
  teamId?: string;
  skills?: readonly string[];
  queuedAt: number;
  /** VIP shoppers and operator rules put a conversation first. */
  priority?: number;
}

/** `zh-CN` speaks `zh`, `zh` speaks `zh-TW`: languages match on their base. */
function speaks(languages: readonly string[], language: string | undefined): boolean {
  if (!language) return true;
  const base = language.toLowerCase().split('-')[0];
  return languages.some((l) => l.toLowerCase() === language.toLowerCase() || l.toLowerCase().split('-')[0] === base);
}

/**
 * The team that serves a language (and skills): the first team listing the language and
 * every skill, else the first listing the language, else the first team with no languages
 * listed (a catch-all), else the first team.
 *
 * @example
 * ```ts
 * chooseTeam([{ id: 'eu', languages: ['en', 'de'], skills: [] }, { id: 'cn', languages: ['zh'], skills: [] }], 'zh-CN'); // 'cn'
 * ```
 */
export function chooseTeam(teams: readonly TeamRoute[], language: string | undefined, skills: readonly string[] = []): string | undefined {
  const withSkills = (t: TeamRoute) => skills.every((s) => t.skills.includes(s));
  return (
    teams.find((t) => t.languages.length > 0 && speaks(t.languages, language) && withSkills(t)) ??
    teams.find((t) => t.languages.length > 0 && speaks(t.languages, language)) ??
    teams.find((t) => t.languages.length === 0) ??
    teams[0]
  )?.id;
}

/** Agents who can take one more conversation now. */
function available(agents: readonly AgentLoad[]): AgentLoad[] {
  return agents.filter((a) => a.online && a.active < a.capacity);
}

/**
 * The agent for a queued conversation: among online agents with room, prefer (in order)
 * the conversation's team, the shopper's language, the required skills; then the least busy
 * (share of capacity in use, then fewest conversations). An agent who does not speak the
 * language still gets it when nobody else can: translation covers the gap.
 *
 * @example
 * ```ts
 * pickAgent({ conversationId: 'c1', language: 'es', queuedAt: 0 }, agents)?.id;
 * ```
 */
export function pickAgent(item: QueuedConversation, agents: readonly AgentLoad[]): AgentLoad | undefined {
  const skills = item.skills ?? [];
  const rank = (a: AgentLoad): number[] => [
    item.teamId && a.teamId === item.teamId ? 0 : 1,
    speaks(a.languages, item.language) ? 0 : 1,
    skills.every((s) => a.skills.includes(s)) ? 0 : 1,
    a.active / Math.max(1, a.capacity),
    a.active,
  ];
  let best: AgentLoad | undefined;
  let bestRank: number[] = [];
  for (const agent of available(agents)) {
    const r = rank(agent);
    if (!best || compareRanks(r, bestRank) < 0 || (compareRanks(r, bestRank) === 0 && agent.id < best.id)) {
      best = agent;
      bestRank = r;
    }
  }
  return best;
}

function compareRanks(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Queue order: higher priority first, then who waited longest. */
export function orderQueue<T extends QueuedConversation>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0) || a.queuedAt - b.queuedAt || a.conversationId.localeCompare(b.conversationId));
}

/**
 * Assigns as much of the queue as the online agents can take, in queue order, counting each
 * assignment against the agent's capacity.
 *
 * @example
 * ```ts
 * assignQueue(queue, agents); // [{ conversationId: 'c1', agentId: 'a2' }, ...]
 * ```
 */
export function assignQueue(queue: readonly QueuedConversation[], agents: readonly AgentLoad[]): { conversationId: string; agentId: string }[] {
  const loads = agents.map((a) => ({ ...a }));
  const out: { conversationId: string; agentId: string }[] = [];
  for (const item of orderQueue(queue)) {
    const agent = pickAgent(item, loads);
    if (!agent) continue;
    agent.active += 1;
    out.push({ conversationId: item.conversationId, agentId: agent.id });
  }
  return out;
}
