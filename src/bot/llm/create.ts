/**
 * Builds the bot's responder from the configuration: the LLM answerer with the knowledge base
 * as its offline fallback when `llm.enabled`, else the knowledge base alone.
 */
import type { CountryCode } from 'libphonenumber-js';
import type { Answerer } from '../../core/answerer.js';
import { type Clock, type Logger, systemClock } from '../../core/ports.js';
import type { GatewaySettings } from '../../config/schema.js';
import { createKnowledgeAnswerer } from '../kb-answerer.js';
import type { KnowledgeBase } from '../knowledge.js';
import {
  createOrderConnector,
  createLogOtpSender,
  createOrderAccess,
  type OrderConnector,
  type OtpSender,
} from '../orders/index.js';
import { createLlmAnswerer, type LlmAnswerer } from './answerer.js';
import { createOpenAiModel } from './openai-provider.js';

/** What {@link createAnswerer} needs besides the configuration. */
export interface AnswererDeps {
  /** The knowledge base, or a getter when the gateway reloads it at run time. */
  kb: KnowledgeBase | (() => KnowledgeBase);
  log: Logger;
  clock?: Clock;
  fetch?: typeof fetch;
  /** Mails one-time codes; default logs them (development only). */
  otpSender?: OtpSender;
  /** Overrides `orders.connector` (tests). */
  orders?: OrderConnector;
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
 * const answerer = await createAnswerer(config, { kb, log, clock, fetch });
 * createPipeline({ ..., answerer: createBot(answerer) });
 * ```
 */
export async function createAnswerer(config: AnswererConfig, deps: AnswererDeps): Promise<Answerer | LlmAnswerer> {
  const currentKb = typeof deps.kb === 'function' ? deps.kb : () => deps.kb as KnowledgeBase;
  const minConfidence = config.knowledge.minConfidence;
  const offline: Answerer = { answer: (request) => createKnowledgeAnswerer(currentKb(), { minConfidence }).answer(request) };
  const llm = config.llm;
  if (!llm.enabled) return offline;
  const clock = deps.clock ?? systemClock;
  const defaultCountry = llm.defaultCountry as CountryCode | undefined;
  const orders = await orderConnector(config, deps);
  const access = orders
    ? createOrderAccess({
        orders,
        sender: deps.otpSender ?? createLogOtpSender(deps.log.child({ component: 'otp' })),
        clock,
        codeTtlMs: config.orders.codeTtlMs,
        ...(defaultCountry ? { defaultCountry } : {}),
      })
    : undefined;
  const model = createOpenAiModel({
    model: llm.model,
    timeoutMs: llm.timeoutMs,
    apiKeyHeader: llm.apiKeyHeader,
    ...(llm.baseURL ? { baseURL: llm.baseURL } : {}),
    ...(llm.apiKey ? { apiKey: llm.apiKey } : {}),
    ...(llm.apiVersion ? { apiVersion: llm.apiVersion } : {}),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
  deps.log.info({ model: llm.model, orders: config.orders.connector }, 'llm answerer enabled');
  return createLlmAnswerer({
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
      ...(llm.pricing ? { pricing: llm.pricing } : {}),
      ...(defaultCountry ? { defaultCountry } : {}),
    },
    clock,
    log: deps.log,
  });
}
