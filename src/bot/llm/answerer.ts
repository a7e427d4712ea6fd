/**
 * The LLM responder: grounded in the knowledge base, with order tools, personal data masked
 * before anything leaves, every reply checked before the shopper sees it, and the offline
 * responder taking over on failures and over budget.
 *
 * A turn runs in ./turn.ts (prepare, model rounds with tools, finish); ./answers.ts decides
 * what the shopper gets from the model's reply.
 */
import type { CountryCode } from 'libphonenumber-js';
import type { Answer, AnswerDelta, Answerer, AnswerRequest } from '../../core/answerer.js';
import type { Clock, Logger } from '../../core/ports.js';
import type { KnowledgeBase } from '../knowledge/index.js';
import type { OrderAccessControl } from '../orders/index.js';
import { createMemory, createSectionCache } from './grounding.js';
import { type ConversationUsage, createMeter, type LlmMetrics, type Meter, type Pricing, type TokenBudget } from './meter.js';
import type { ChatModel, ToolSpec } from './model.js';
import { createPromptBuilder } from './prompt.js';
import { toolSpecs } from './tools.js';
import { finishTurn, modelRounds, prepareTurn } from './turn.js';

/** Settings of {@link createLlmAnswerer} (from the `llm` config block). */
export interface LlmSettings {
  temperature: number;
  maxTokens: number;
  budget: TokenBudget;
  pricing?: Pricing;
  /** Knowledge answers below this confidence are not offered as the safe answer. Default 0.55. */
  minConfidence?: number;
  /** Wait before the one retry (429 Retry-After is honoured up to `maxRetryWaitMs`). Default 250. */
  retryBackoffMs?: number;
  maxRetryWaitMs?: number;
  /** Consecutive turns without a usable answer before a person takes over. Default 3. */
  handoffAfter?: number;
  /** Model rounds per turn (tool calls included). Default 4. */
  maxRounds?: number;
  defaultCountry?: CountryCode;
  /** The shop's own domains (`shop.domains`): the only hosts besides tracking links a reply may link to. */
  shopDomains?: readonly string[];
  /** The model sees photos (`llm.vision`): the shopper's photos go with the message as image parts. */
  vision?: boolean;
}

/** What {@link createLlmAnswerer} needs. */
export interface LlmAnswererDeps {
  model: ChatModel;
  /** The knowledge base, or a getter when it can be reloaded at run time. */
  kb: KnowledgeBase | (() => KnowledgeBase);
  /** The offline responder: answers when the model fails or the budget is spent. */
  fallback: Answerer;
  /** Order lookups with buyer verification; without it no order tools are offered. */
  access?: OrderAccessControl;
  shopName: string;
  settings: LlmSettings;
  clock: Clock;
  log: Logger;
  /** Tests: deterministic sleeps. */
  sleep?: (ms: number) => Promise<void>;
}

/** The LLM answerer: an {@link Answerer} that also streams and reports usage. */
export interface LlmAnswerer extends Answerer {
  answerStream(request: AnswerRequest, onDelta: (delta: AnswerDelta) => void): Promise<Answer>;
  /** Counters for operators: failures, fallbacks, guardrail blocks, today's tokens and cost. */
  metrics(): LlmMetrics;
  /** Tokens and cost of one conversation so far. */
  usage(conversationId: string): ConversationUsage | undefined;
}

/** What the answerer's turns run on: the deps, the settings with their defaults, and what lasts across turns. */
export interface Llm {
  deps: LlmAnswererDeps;
  settings: LlmSettings;
  kb(): KnowledgeBase;
  log: Logger;
  minConfidence: number;
  handoffAfter: number;
  maxRounds: number;
  sleep(ms: number): Promise<void>;
  meter: Meter;
  counters: Meter['counters'];
  memory: ReturnType<typeof createMemory>;
  /** Knowledge sections ready for the model: injected sentences cut, personal data located. */
  prepare: ReturnType<typeof createSectionCache>;
  /** The system prompt for a channel's capabilities. */
  prompts: ReturnType<typeof createPromptBuilder>;
  tools: ToolSpec[];
}

/**
 * An {@link Answerer} backed by a chat model.
 *
 * @example
 * ```ts
 * const llm = createLlmAnswerer({ model, kb, fallback: createKnowledgeAnswerer(kb), access, shopName: 'Pawsome Supplies', settings, clock, log });
 * const answer = await llm.answerStream(request, ({ text }) => socket.send({ type: 'delta', id, text }));
 * ```
 */
export function createLlmAnswerer(deps: LlmAnswererDeps): LlmAnswerer {
  const { settings } = deps;
  const meter = createMeter(settings.budget, deps.clock, settings.pricing);
  const llm: Llm = {
    deps,
    settings,
    kb: typeof deps.kb === 'function' ? deps.kb : () => deps.kb as KnowledgeBase,
    log: deps.log.child({ component: 'llm' }),
    minConfidence: settings.minConfidence ?? 0.55,
    handoffAfter: settings.handoffAfter ?? 3,
    maxRounds: settings.maxRounds ?? 4,
    sleep: deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms))),
    meter,
    counters: meter.counters,
    memory: createMemory({
      idleMs: 3600_000,
      max: 20_000,
      historyMessages: 6,
      ...(settings.defaultCountry ? { defaultCountry: settings.defaultCountry } : {}),
    }),
    prepare: createSectionCache(settings.defaultCountry),
    prompts: createPromptBuilder(deps.shopName),
    tools: toolSpecs(Boolean(deps.access)),
  };

  return {
    answer: (request) => run(llm, request),
    answerStream(request, onDelta) {
      // Channels that cannot edit a sent message get the whole, checked reply at once.
      if (!request.capabilities.edit) return run(llm, request);
      return run(llm, request, onDelta);
    },
    metrics: () => meter.snapshot(),
    usage: (conversationId) => meter.conversation(conversationId),
  };
}

/** One turn: the offline answer when the budget is spent; else prepare, run the model rounds, finish. */
async function run(llm: Llm, request: AnswerRequest, onDelta?: (delta: AnswerDelta) => void): Promise<Answer> {
  const started = llm.deps.clock.now();
  llm.counters.turns++;
  const mem = llm.memory.get(request.conversationId, started);
  const budget = llm.meter.allows(request.conversationId);
  if (budget !== 'ok') {
    llm.counters.fallbacks.budget++;
    llm.log.info({ budget }, 'llm budget spent: offline answer');
    return llm.deps.fallback.answer(request);
  }
  const turn = await prepareTurn(llm, request, mem, onDelta);
  const rounds = await modelRounds(llm, turn, started);
  return 'answer' in rounds ? rounds.answer : finishTurn(llm, turn, rounds, started);
}
