/**
 * The LLM responder: grounded in the knowledge base, with order tools, personal data masked
 * before anything leaves, every reply checked before the shopper sees it, and the offline
 * responder taking over on failures and over budget.
 */
import type { CountryCode } from 'libphonenumber-js';
import type { Answer, AnswerDelta, Answerer, AnswerRequest } from '../../core/answerer.js';
import type { Clock, Localize, Logger } from '../../core/ports.js';
import { HANDOFF_PAYLOAD, languageName } from '../../core/translate-parts.js';
import { rephraseAnswer, retrieve, sectionParts } from '../kb-answerer.js';
import type { KnowledgeBase, Retrieval } from '../knowledge/index.js';
import { normalizeOrderId, type OrderAccessControl } from '../orders/index.js';
import { findCode, normalizeDigits, withoutCode } from '../orders/numbers.js';
import type { ClaimSource } from './claims/index.js';
import { buildCorpus, checkReply, detectInjection, type ReplyCheckContext, type Violation } from './guardrails.js';
import { type ConversationMemory, createMemory, createSectionCache } from './grounding.js';
import { type ConversationUsage, createMeter, type LlmMetrics, type Pricing, type TokenBudget } from './meter.js';
import { type ChatMessage, type ChatModel, type ChatResult, ModelError, type ToolSpec } from './model.js';
import { createPromptBuilder, parseReply, replyShape, shopperBlock, userMessage } from './prompt.js';
import { StreamGuard } from './stream-guard.js';
import { runTools, toolSpecs } from './tools.js';

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

const ORDER_IN_TEXT = /\b[A-Za-z]{1,4}[- ]?\d{4,12}\b/g;

function citation(titles: readonly string[], t: Localize, plain: boolean): string {
  return titles.map((title) => (plain ? t('bot.source', { title }) : `_${t('bot.source', { title })}_`)).join('\n');
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
  const { model, clock, settings } = deps;
  const kb = typeof deps.kb === 'function' ? deps.kb : () => deps.kb as KnowledgeBase;
  const log = deps.log.child({ component: 'llm' });
  const minConfidence = settings.minConfidence ?? 0.55;
  const handoffAfter = settings.handoffAfter ?? 3;
  const maxRounds = settings.maxRounds ?? 4;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const meter = createMeter(settings.budget, clock, settings.pricing);
  const counters = meter.counters;
  const memory = createMemory({
    idleMs: 3600_000,
    max: 20_000,
    historyMessages: 6,
    ...(settings.defaultCountry ? { defaultCountry: settings.defaultCountry } : {}),
  });
  const prepare = createSectionCache(settings.defaultCountry);
  const prompts = createPromptBuilder(deps.shopName);
  const tools: ToolSpec[] = toolSpecs(Boolean(deps.access));

  /** The offline, verbatim section (injections cut) with a way to a person; or "rephrase". */
  function safeAnswer(request: AnswerRequest, retrieved: readonly Retrieval[]): Answer {
    const best = retrieved[0];
    if (!best || best.confidence < minConfidence) return rephraseAnswer(best?.confidence ?? 0, request.t);
    const plain = replyShape(request.capabilities).plain;
    const section = { ...best.section, body: prepare(best.section).body };
    return {
      parts: [
        ...sectionParts(section, request, plain ? 'plain' : 'markdown'),
        { kind: 'choices', choices: [{ label: request.t('bot.talk_to_person'), payload: HANDOFF_PAYLOAD }] },
      ],
      confidence: best.confidence,
      sources: [best.section.id],
    };
  }

  /**
   * What the shopper gets when the stream already showed checked sentences and the rest cannot
   * be sent: the shown text stays (nothing is taken back), then a note and a way to a person.
   */
  function partialAnswer(request: AnswerRequest, mem: ConversationMemory, guard: StreamGuard): Answer {
    const { plain } = replyShape(request.capabilities);
    const before = mem.vault.restore(guard.shown);
    const text = `${before}${before.endsWith('\n\n') ? '' : before.endsWith('\n') ? '\n' : '\n\n'}${request.t('bot.unconfirmed_rest')}`;
    guard.complete(text);
    return {
      parts: [
        { kind: 'text', text, markup: plain ? 'plain' : 'markdown' },
        { kind: 'choices', choices: [{ label: request.t('bot.talk_to_person'), payload: HANDOFF_PAYLOAD }] },
      ],
      confidence: 0.5,
      sources: [],
    };
  }

  /** A turn without a usable answer: after `handoffAfter` in a row, a person takes over. */
  function miss(mem: ConversationMemory, answer: Answer): Answer {
    mem.streak += 1;
    if (mem.streak < handoffAfter) return answer;
    mem.streak = 0;
    counters.handoffs++;
    return { parts: [], confidence: answer.confidence, sources: [], handoff: { reason: 'low_confidence' } };
  }

  async function callModel(conversationId: string, messages: ChatMessage[], guard?: StreamGuard): Promise<ChatResult> {
    for (let attempt = 0; ; attempt++) {
      counters.modelCalls++;
      try {
        const request = { messages, tools, temperature: settings.temperature, maxTokens: settings.maxTokens };
        const result = guard ? await model.stream(request, (text) => guard.push(text)) : await model.complete(request);
        meter.record(conversationId, result.usage);
        return result;
      } catch (err) {
        const failure = err instanceof ModelError ? err : new ModelError('connection', 'The model call failed.', undefined, undefined, { cause: err });
        counters.failures[failure.kind]++;
        // Text already shown cannot be taken back by a retry: the final answer replaces it instead.
        if (!failure.retryable || attempt >= 1 || guard?.shown) throw failure;
        counters.retries++;
        const wait = Math.min(failure.retryAfterMs ?? settings.retryBackoffMs ?? 250, settings.maxRetryWaitMs ?? 2000);
        log.warn({ kind: failure.kind, status: failure.status, waitMs: wait }, 'model call failed, retrying once');
        await sleep(wait * (0.8 + Math.random() * 0.4));
        guard?.reset();
      }
    }
  }

  /** Checks a code the shopper typed while one is awaited; the code itself never reaches the model. */
  async function codeNote(request: AnswerRequest): Promise<{ text: string; note?: string }> {
    const pending = deps.access ? await deps.access.pendingOrder(request.conversationId) : undefined;
    const code = pending ? findCode(request.text) : undefined;
    if (!deps.access || !code) return { text: pending ? withoutCode(request.text) : request.text };
    const text = withoutCode(request.text);
    const check = await deps.access.checkCode(request.conversationId, code);
    switch (check.kind) {
      case 'verified':
        return {
          text,
          note: `The shopper typed the correct one-time code and is verified for order ${check.orderId}. Look the order up to answer their earlier question.`,
        };
      case 'wrong_code':
        return { text, note: `The one-time code for order ${check.orderId} is not correct (${check.attemptsLeft} attempts left). Share no order details.` };
      case 'expired':
        return { text, note: 'The one-time code has expired. The shopper can ask about the order again to get a new code.' };
      default:
        return { text };
    }
  }

  async function run(request: AnswerRequest, onDelta?: (delta: AnswerDelta) => void): Promise<Answer> {
    const started = clock.now();
    counters.turns++;
    const mem = memory.get(request.conversationId, started);
    const budget = meter.allows(request.conversationId);
    if (budget !== 'ok') {
      counters.fallbacks.budget++;
      log.info({ budget }, 'llm budget spent: offline answer');
      return deps.fallback.answer(request);
    }
    // Read as the guardrails read: full-width digits and letters, digits of any script, NFKC.
    const { text, note } = await codeNote({ ...request, text: normalizeDigits(request.text) });
    const injected = detectInjection(text);
    if (injected) counters.guardrail.injectionsSeen++;
    const retrieved = retrieve(kb(), { ...request, text }, 4);
    const sections = retrieved.map((r) => prepare(r.section));
    const cut = sections.reduce((n, s) => n + s.removed, 0);
    counters.guardrail.kbSentencesCut += cut;
    const masked = sections.map((s) => ({ title: s.title, body: mem.vault.maskSpans(s.body, s.spans) }));
    const maskedText = mem.vault.mask(text);
    const system = prompts(request.capabilities);
    const messages: ChatMessage[] = [
      { role: 'system', content: system.text },
      ...mem.history,
      { role: 'user', content: userMessage(masked, maskedText, note, languageName(request.language, 'en')) },
    ];
    const sectionTexts = new Map(masked.map((s) => [s.title, `${s.title}\n${s.body}`]));
    // What a reply may rest on: the sections given to the model and the tool results (Parley's
    // own note backs numbers, never a commitment). The shopper's words are never a source. The
    // stream and the final answer are checked against the same sources, so nothing shown is
    // taken back.
    // A section's title names a topic ("Returning food, treats and opened products"): its numbers
    // count, but only its body states what the shop commits to.
    const given: ClaimSource[] = retrieved.map((r, i) => ({ text: masked[i]?.body ?? '', language: r.section.language }));
    const toolResults: ClaimSource[] = [];
    const extras = note ? [note] : [];
    const shopperOrderIds = new Set([...text.matchAll(ORDER_IN_TEXT)].flatMap((m) => normalizeOrderId(m[0]) ?? []));
    const titled = retrieved.map((r, i) => ({ text: `${masked[i]?.title}\n${masked[i]?.body}`, language: r.section.language }));
    const grounding = () => ({ corpus: buildCorpus([...titled, ...toolResults.map((s) => s.text), ...extras]), sources: [...given, ...toolResults] });
    let check: ReplyCheckContext = {
      ...grounding(),
      language: request.language,
      shopDomains: settings.shopDomains ?? [],
      prompt: system.fingerprint,
      shopperOrderIds,
      knownPlaceholder: (p) => mem.vault.has(p),
      knownPii: (kind, value) => mem.vault.knows(kind, value),
      ...(settings.defaultCountry ? { defaultCountry: settings.defaultCountry } : {}),
    };
    // A turn carrying injected instructions is not streamed: the whole reply is checked first.
    const guard =
      onDelta && !injected && cut === 0
        ? new StreamGuard(
            (soFar) => checkReply(soFar, check).length === 0,
            (s) => mem.vault.restore(s),
            (s) => onDelta({ text: s }),
          )
        : undefined;

    let content = '';
    let language: string | undefined;
    let toolsAnswered = false;
    try {
      for (let round = 0; round < maxRounds; round++) {
        const result = await callModel(request.conversationId, messages, guard);
        if (result.toolCalls.length === 0 || round === maxRounds - 1) {
          content = result.content;
          break;
        }
        guard?.reset();
        messages.push({ role: 'assistant', content: result.content || null, toolCalls: result.toolCalls });
        const effects = await runTools(result.toolCalls, {
          conversationId: request.conversationId,
          ...(request.shopper ? { shopper: request.shopper } : {}),
          ...(deps.access ? { access: deps.access } : {}),
          log,
          hint: (email) => mem.vault.placeholder('EMAIL', email),
        });
        if (effects.handoff) {
          counters.handoffs++;
          mem.streak = 0;
          log.info({ ms: clock.now() - started, rounds: round + 1, outcome: 'handoff' }, 'llm turn');
          return { parts: [], confidence: 1, sources: [], handoff: { reason: effects.handoff }, ...(effects.language ? { language: effects.language } : {}) };
        }
        language = effects.language ?? language;
        for (const { call, content: raw } of effects.results) {
          const maskedResult = mem.vault.mask(raw);
          messages.push({ role: 'tool', toolCallId: call.id, content: maskedResult });
          toolResults.push({ text: maskedResult, language: 'en', tool: true });
          toolsAnswered ||= /"status":"(ok|verification_required|not_available)"/.test(raw);
        }
        check = { ...check, ...grounding() };
      }
    } catch (err) {
      if (!(err instanceof ModelError)) throw err;
      counters.fallbacks.failure++;
      log.warn({ kind: err.kind, status: err.status, ms: clock.now() - started, streamed: Boolean(guard?.shown) }, 'model failed: offline answer');
      // What was already shown stays: the answer continues it with a way to a person.
      if (guard?.shown.trim()) return partialAnswer(request, mem, guard);
      return deps.fallback.answer(request);
    }

    const answer = finish(request, mem, content, retrieved, { sectionTitles: [...sectionTexts.keys()], check }, toolsAnswered, guard);
    if (answer.sources.length || answer.confidence >= 0.5) memory.remember(mem, shopperBlock(maskedText), content.trim() || 'UNKNOWN');
    log.info(
      {
        ms: clock.now() - started,
        promptChars: messages.reduce((n, m) => n + (m.content?.length ?? 0), 0),
        replyChars: content.length,
        usage: meter.conversation(request.conversationId),
      },
      'llm turn',
    );
    return language ? { ...answer, language } : answer;
  }

  function finish(
    request: AnswerRequest,
    mem: ConversationMemory,
    content: string,
    retrieved: readonly Retrieval[],
    grounding: { sectionTitles: readonly string[]; check: ReplyCheckContext },
    toolsAnswered: boolean,
    guard: StreamGuard | undefined,
  ): Answer {
    const parsed = parseReply(content, grounding.sectionTitles);
    const { plain } = replyShape(request.capabilities);
    const shown = Boolean(guard?.shown.trim());
    // An answer that names no section and used no tool is only accepted as small talk.
    const smallTalk = parsed.uncited && !toolsAnswered && parsed.body.length <= 160 && !/\d/.test(parsed.body);
    if (parsed.unknown || (parsed.uncited && !toolsAnswered && !smallTalk)) {
      counters.unknown++;
      return miss(mem, guard && shown ? partialAnswer(request, mem, guard) : rephraseAnswer(retrieved[0]?.confidence ?? 0, request.t));
    }
    // Text shown in a round that then called tools stays part of the answer.
    const body = `${guard?.earlier ?? ''}${parsed.body}`;
    const violations: Violation[] = checkReply(body, grounding.check);
    if (violations.length || guard?.blocked) {
      counters.guardrail.blocked++;
      log.warn({ rules: [...new Set(violations.map((v) => v.rule))], streamed: shown }, 'reply blocked by guardrails');
      return miss(mem, guard && shown ? partialAnswer(request, mem, guard) : safeAnswer(request, retrieved));
    }
    mem.streak = 0;
    const restored = mem.vault.restore(body);
    const text = parsed.cited.length ? `${restored}\n\n${citation(parsed.cited, request.t, plain)}` : restored;
    guard?.complete(text);
    const confidence = parsed.cited.length
      ? Math.max(0.6, ...retrieved.filter((r) => parsed.cited.includes(r.section.title)).map((r) => r.confidence))
      : toolsAnswered
        ? 0.8
        : 0.5;
    const sources = retrieved.filter((r) => parsed.cited.includes(r.section.title)).map((r) => r.section.id);
    return { parts: [{ kind: 'text', text, markup: plain ? 'plain' : 'markdown' }], confidence, sources };
  }

  return {
    answer: (request) => run(request),
    answerStream(request, onDelta) {
      // Channels that cannot edit a sent message get the whole, checked reply at once.
      if (!request.capabilities.edit) return run(request);
      return run(request, onDelta);
    },
    metrics: () => meter.snapshot(),
    usage: (conversationId) => meter.conversation(conversationId),
  };
}
