/**
 * Builds the bot's responder from the configuration: the knowledge base, with the order help in
 * front of it when an orders connector is configured, and the LLM answerer on top when
 * `llm.enabled` (the offline responder is then its fallback). Both paths see orders through one
 * {@link OrderAccessControl}: one verification, one disclosure rule.
 */
import type { CountryCode } from 'libphonenumber-js';
import type { Answerer } from '../../core/answerer.js';
import { type Clock, type Logger, systemClock } from '../../core/ports.js';
import type { GatewaySettings } from '../../config/schema.js';
import { createKnowledgeAnswerer } from '../kb-answerer.js';
import { visible, withMediaReview } from '../media.js';
import type { KnowledgeBase } from '../knowledge/index.js';
import { createOrderHelp } from '../orders/help.js';
import {
  type AccessState,
  createLogOtpSender,
  createOrderAccess,
  createOrderConnector,
  memoryAccessState,
  type OrderConnector,
  type OtpSender,
} from '../orders/index.js';
import { createLlmAnswerer, type LlmAnswerer } from './answerer.js';
import type { ChatModel, ChatResult } from './model.js';
import { createOpenAiModel } from './openai-provider.js';
import { type ModelObserver, timedModel } from './timed.js';

/** What {@link createAnswerer} needs besides the configuration. */
export interface AnswererDeps {
  /** The knowledge base, or a getter when the gateway reloads it at run time. */
  kb: KnowledgeBase | (() => KnowledgeBase);
  log: Logger;
  clock?: Clock;
  fetch?: typeof fetch;
  /** Mails one-time codes (the shop's mailer); default logs that none could be sent. */
  otpSender?: OtpSender;
  /** The orders connector (the composition root builds it once); default from `orders`. */
  orders?: OrderConnector;
  /** Where codes, grants and the order flow's state live (the store); default in memory. */
  state?: AccessState;
  /** Told every model call (operator metrics). */
  observeModel?: ModelObserver;
  /** Told the tokens (prompt + completion) of every model answer: the usage report (docs/reports.md). */
  countTokens?: (tokens: number) => void;
}

/** A model whose answers' tokens are told to `count`; what it returns and throws is the model's own. */
function countedModel(model: ChatModel, count: (tokens: number) => void): ChatModel {
  const counted = (result: ChatResult) => (count(result.usage.promptTokens + result.usage.completionTokens), result);
  return {
    complete: async (request) => counted(await model.complete(request)),
    stream: async (request, onText) => counted(await model.stream(request, onText)),
  };
}

/** The configuration blocks the responder reads. */
export type AnswererConfig = Pick<GatewaySettings, 'llm' | 'orders' | 'knowledge' | 'shop'>;

async function orderConnector(config: AnswererConfig, deps: AnswererDeps): Promise<OrderConnector | undefined> {
  if (deps.orders) return deps.orders;
  return createOrderConnector(config.orders, deps.fetch ? { fetch: deps.fetch } : {});
}

/**
 * The responder for the pipeline (wrap it in `createBot`). With `llm.enabled` the result is an
 * {@link LlmAnswerer}: it also has `answerStream`, `metrics()` and `usage(conversationId)`.
 *
 * @example
 * ```ts
 * const answerer = await createAnswerer(config, { kb, log, clock, fetch, orders, state, otpSender });
 * createPipeline({ ..., answerer: createBot(answerer) });
 * ```
 */
export async function createAnswerer(config: AnswererConfig, deps: AnswererDeps): Promise<Answerer | LlmAnswerer> {
  const currentKb = typeof deps.kb === 'function' ? deps.kb : () => deps.kb as KnowledgeBase;
  const minConfidence = config.knowledge.minConfidence;
  const clock = deps.clock ?? systemClock;
  const knowledge: Answerer = { answer: (request) => createKnowledgeAnswerer(currentKb(), { minConfidence }).answer(request) };
  const defaultCountry = (config.llm.defaultCountry ?? undefined) as CountryCode | undefined;
  const orders = await orderConnector(config, deps);
  const state = deps.state ?? memoryAccessState(clock);
  const access = orders
    ? createOrderAccess({
        orders,
        sender: deps.otpSender ?? createLogOtpSender(deps.log.child({ component: 'otp' })),
        clock,
        state,
        codeTtlMs: config.orders.codeTtlMs,
        ...(defaultCountry ? { defaultCountry } : {}),
      })
    : undefined;
  // The offline responder hears transcribed voice notes and sees nothing: photos and the rest go to a person.
  const offline = withMediaReview(
    access
      ? (await createOrderHelp({ access, kb: currentKb, state, clock, log: deps.log.child({ component: 'orders' }), minConfidence })).around(knowledge)
      : knowledge,
    () => false,
  );
  const llm = config.llm;
  if (!llm.enabled) return offline;
  const openai = createOpenAiModel({
    model: llm.model,
    timeoutMs: llm.timeoutMs,
    apiKeyHeader: llm.apiKeyHeader,
    ...(llm.baseURL ? { baseURL: llm.baseURL } : {}),
    ...(llm.apiKey ? { apiKey: llm.apiKey } : {}),
    ...(llm.apiVersion ? { apiVersion: llm.apiVersion } : {}),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
  const timed = deps.observeModel ? timedModel(openai, clock, deps.observeModel) : openai;
  const model = deps.countTokens ? countedModel(timed, deps.countTokens) : timed;
  deps.log.info({ model: llm.model, orders: config.orders.connector, vision: llm.vision }, 'llm answerer enabled');
  const answerer = createLlmAnswerer({
    model,
    kb: currentKb,
    fallback: offline,
    ...(access ? { access } : {}),
    shopName: config.shop.name,
    settings: {
      temperature: llm.temperature,
      maxTokens: llm.maxTokens,
      budget: llm.budget,
      minConfidence: config.knowledge.minConfidence,
      shopDomains: config.shop.domains,
      ...(llm.pricing ? { pricing: llm.pricing } : {}),
      ...(defaultCountry ? { defaultCountry } : {}),
      vision: llm.vision,
    },
    clock,
    log: deps.log,
  });
  return withMediaReview(answerer, llm.vision ? visible : () => false, deps.log);
}
