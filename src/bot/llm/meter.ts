/**
 * Token budgets and counters for operators: tokens and cost per conversation and per day, and
 * how often the model failed, was over budget or was overruled by the guardrails. In memory;
 * the getters are what a metrics endpoint or a store would read.
 */
import type { Clock } from '../../core/ports.js';
import type { ModelFailureKind, TokenUsage } from './model.js';

/** Budgets in tokens (prompt + completion); 0 means no limit. */
export interface TokenBudget {
  tokensPerConversation: number;
  tokensPerDay: number;
}

/** Price per 1,000 tokens, in the shop's accounting currency. */
export interface Pricing {
  inputPer1k: number;
  outputPer1k: number;
}

/** What one conversation has used. */
export interface ConversationUsage {
  promptTokens: number;
  completionTokens: number;
  cost: number;
  calls: number;
}

/** Counters for operators (a snapshot: safe to serialise). */
export interface LlmMetrics {
  turns: number;
  modelCalls: number;
  retries: number;
  failures: Record<ModelFailureKind, number>;
  fallbacks: { failure: number; budget: number };
  guardrail: { blocked: number; injectionsSeen: number; kbSentencesCut: number };
  unknown: number;
  handoffs: number;
  day: { date: string; tokens: number; cost: number };
}

/**
 * Budgets and counters.
 *
 * @example
 * ```ts
 * const meter = createMeter({ tokensPerConversation: 30000, tokensPerDay: 2e6 }, clock, { inputPer1k: 0.00015, outputPer1k: 0.0006 });
 * if (meter.allows('c1') === 'ok') meter.record('c1', { promptTokens: 900, completionTokens: 120 });
 * meter.conversation('c1'); // { promptTokens: 900, completionTokens: 120, cost: 0.000207, calls: 1 }
 * ```
 */
export function createMeter(budget: TokenBudget, clock: Clock, pricing?: Pricing, maxConversations = 50_000) {
  const conversations = new Map<string, ConversationUsage>();
  const metrics: LlmMetrics = {
    turns: 0,
    modelCalls: 0,
    retries: 0,
    failures: { timeout: 0, rate_limit: 0, server: 0, connection: 0, refused: 0 },
    fallbacks: { failure: 0, budget: 0 },
    guardrail: { blocked: 0, injectionsSeen: 0, kbSentencesCut: 0 },
    unknown: 0,
    handoffs: 0,
    day: { date: '', tokens: 0, cost: 0 },
  };
  const today = () => new Date(clock.now()).toISOString().slice(0, 10);
  const rollDay = () => {
    const date = today();
    if (metrics.day.date !== date) metrics.day = { date, tokens: 0, cost: 0 };
  };

  return {
    /** Live counters (mutated by the answerer). */
    counters: metrics,

    /** Whether another model call fits the budgets. */
    allows(conversationId: string): 'ok' | 'conversation' | 'day' {
      rollDay();
      if (budget.tokensPerDay > 0 && metrics.day.tokens >= budget.tokensPerDay) return 'day';
      const used = conversations.get(conversationId);
      if (budget.tokensPerConversation > 0 && used && used.promptTokens + used.completionTokens >= budget.tokensPerConversation) return 'conversation';
      return 'ok';
    },

    /** Counts one model call's tokens and cost. */
    record(conversationId: string, usage: TokenUsage): void {
      rollDay();
      const cost = pricing ? (usage.promptTokens * pricing.inputPer1k + usage.completionTokens * pricing.outputPer1k) / 1000 : 0;
      const prev = conversations.get(conversationId) ?? { promptTokens: 0, completionTokens: 0, cost: 0, calls: 0 };
      conversations.delete(conversationId);
      conversations.set(conversationId, {
        promptTokens: prev.promptTokens + usage.promptTokens,
        completionTokens: prev.completionTokens + usage.completionTokens,
        cost: prev.cost + cost,
        calls: prev.calls + 1,
      });
      // Oldest conversations are forgotten first; a store can persist them before that.
      if (conversations.size > maxConversations) conversations.delete(conversations.keys().next().value as string);
      metrics.day.tokens += usage.promptTokens + usage.completionTokens;
      metrics.day.cost += cost;
    },

    conversation(conversationId: string): ConversationUsage | undefined {
      const u = conversations.get(conversationId);
      return u ? { ...u } : undefined;
    },

    snapshot(): LlmMetrics {
      rollDay();
      return structuredClone(metrics);
    },
  };
}

/** What {@link createMeter} returns. */
export type Meter = ReturnType<typeof createMeter>;
