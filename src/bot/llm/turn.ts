/**
 * One turn of the LLM answerer, in three steps: prepare the prompt and what a reply may rest
 * on, run the model rounds (tool calls answered in between), and finish with the checked reply.
 */
import type { Answer, AnswerDelta, AnswerRequest } from '../../core/answerer.js';
import { languageName } from '../../core/translate-parts.js';
import { retrieve } from '../kb-answerer.js';
import type { Retrieval } from '../knowledge/index.js';
import { normalizeOrderId, type OrderAccessControl } from '../orders/index.js';
import { findCode, normalizeDigits, withoutCode } from '../orders/numbers.js';
import { visible } from '../media.js';
import type { Llm } from './answerer.js';
import { acceptReply, partialAnswer } from './answers.js';
import type { ClaimSource } from './claims/index.js';
import type { ConversationMemory } from './grounding.js';
import { buildCorpus, checkReply, detectInjection, type GroundingText, type PromptFingerprint, type ReplyCheckContext } from './guardrails.js';
import { type ChatMessage, type ChatResult, ModelError } from './model.js';
import { shopperBlock, userMessage } from './prompt.js';
import { StreamGuard } from './stream-guard.js';
import { runTools, type ToolEffects } from './tools.js';

const ORDER_IN_TEXT = /\b[A-Za-z]{1,4}[- ]?\d{4,12}\b/g;

/** A turn's prompt and what its reply may rest on; tool results add to both. */
export interface Turn {
  request: AnswerRequest;
  mem: ConversationMemory;
  /** The shopper's text as the model reads it: personal data masked. */
  maskedText: string;
  retrieved: readonly Retrieval[];
  messages: ChatMessage[];
  /** Titles of the sections given to the model: what a reply may cite. */
  sectionTitles: string[];
  grounds: Grounds;
  check: ReplyCheckContext;
  /** Checks streamed text before the shopper sees it; none when the turn is not streamed. */
  guard?: StreamGuard;
}

/** What a reply may rest on; `check` is built from it, again after each round of tool results. */
interface Grounds {
  /** The sections given to the model, each with its title. */
  titled: GroundingText[];
  /** The same sections' bodies. */
  given: ClaimSource[];
  toolResults: ClaimSource[];
  /** Parley's own note to the model (a one-time code checked). */
  notes: string[];
}

/** How the model rounds ended: with the model's last reply, or with an answer already settled (a handoff, the offline answer). */
export type Rounds = { reply: string; language: string | undefined; toolsAnswered: boolean } | { answer: Answer };

/** Reads the shopper's text, finds the sections, masks personal data and builds the prompt and its checks. */
export async function prepareTurn(llm: Llm, request: AnswerRequest, mem: ConversationMemory, onDelta?: (delta: AnswerDelta) => void): Promise<Turn> {
  // Read as the guardrails read: full-width digits and letters, digits of any script, NFKC.
  const { text, note } = await codeNote(llm.deps.access, { ...request, text: normalizeDigits(request.text) });
  const injected = detectInjection(text);
  if (injected) llm.counters.guardrail.injectionsSeen++;
  const photos = await photosOf(llm, request);
  const retrieved = photos.length ? withPhotoPolicy(llm, request, retrieve(llm.kb(), { ...request, text }, 3)) : retrieve(llm.kb(), { ...request, text }, 4);
  const sections = retrieved.map((r) => llm.prepare(r.section));
  const cut = sections.reduce((n, s) => n + s.removed, 0);
  llm.counters.guardrail.kbSentencesCut += cut;
  const masked = sections.map((s) => ({ title: s.title, body: mem.vault.maskSpans(s.body, s.spans) }));
  const maskedText = mem.vault.mask(text);
  const system = llm.prompts(request.capabilities);
  const messages: ChatMessage[] = [
    { role: 'system', content: system.text },
    ...mem.history,
    {
      role: 'user',
      content: userMessage(
        masked,
        maskedText,
        [note, photos.length ? photoNote(photos.length) : undefined].filter(Boolean).join('\n') || undefined,
        languageName(request.language, 'en'),
      ),
      ...(photos.length ? { images: photos } : {}),
    },
  ];
  // What a reply may rest on: the sections given to the model and the tool results (Parley's
  // own note backs numbers, never a commitment). The shopper's words are never a source. The
  // stream and the final answer are checked against the same sources, so nothing shown is
  // taken back.
  // A section's title names a topic ("Returning food, treats and opened products"): its numbers
  // count, but only its body states what the shop commits to.
  const grounds: Grounds = {
    titled: retrieved.map((r, i) => ({ text: `${masked[i]?.title}\n${masked[i]?.body}`, language: r.section.language })),
    given: retrieved.map((r, i) => ({ text: masked[i]?.body ?? '', language: r.section.language })),
    toolResults: [],
    notes: note ? [note] : [],
  };
  const turn: Turn = {
    request,
    mem,
    maskedText,
    retrieved,
    messages,
    sectionTitles: [...new Set(masked.map((s) => s.title))],
    grounds,
    check: replyCheck(llm, request, mem, grounds, system.fingerprint, text),
  };
  // A turn carrying injected instructions is not streamed: the whole reply is checked first.
  if (onDelta && !injected && cut === 0) {
    turn.guard = new StreamGuard(
      (soFar) => checkReply(soFar, turn.check).length === 0,
      (s) => mem.vault.restore(s),
      (s) => onDelta({ text: s }),
    );
  }
  return turn;
}

/** The turn's photos as `data:` URLs, when the model is a vision model (`llm.vision`). */
async function photosOf(llm: Llm, request: AnswerRequest): Promise<string[]> {
  if (!llm.settings.vision) return [];
  const photos = (request.media ?? []).filter(visible);
  return Promise.all(photos.map(async (m) => `data:${m.mimeType};base64,${Buffer.from((await m.load?.()) ?? []).toString('base64')}`));
}

/** Shoppers send photos mostly of damaged, faulty or wrong items, often with no words: that policy goes with every photo. */
const PHOTO_TOPIC = 'item arrived damaged, broken, cracked, faulty or wrong: photo of the damage';

function withPhotoPolicy(llm: Llm, request: AnswerRequest, retrieved: Retrieval[]): Retrieval[] {
  const kb = llm.kb();
  const have = new Set(retrieved.map((r) => r.section.id));
  const policy = retrieve(kb, { text: PHOTO_TOPIC, language: kb.workingLanguage }, 1).filter((r) => !have.has(r.section.id));
  return [...retrieved, ...policy.map((r) => ({ ...r, section: kb.variant(r.section.id, request.language) ?? r.section }))];
}

/** Parley's note on a turn with photos: what they are for, and that a person decides what a photo shows. */
function photoNote(count: number): string {
  return [
    `The shopper attached ${count === 1 ? 'a photo' : `${count} photos`} to this message; ${count === 1 ? 'it follows' : 'they follow'} the message.`,
    'Look at the photos only to understand the shop question. If a photo shows a damaged, faulty or wrong item, or anything else a person must judge, call handoff_to_human with reason complex_case: a person decides, with the photo in front of them.',
  ].join(' ');
}

/** What every reply of the turn, streamed or final, is checked against. */
function replyCheck(llm: Llm, request: AnswerRequest, mem: ConversationMemory, grounds: Grounds, prompt: PromptFingerprint, text: string): ReplyCheckContext {
  return {
    ...grounding(grounds),
    language: request.language,
    shopDomains: llm.settings.shopDomains ?? [],
    prompt,
    shopperOrderIds: new Set([...text.matchAll(ORDER_IN_TEXT)].flatMap((m) => normalizeOrderId(m[0]) ?? [])),
    knownPlaceholder: (p) => mem.vault.has(p),
    knownPii: (kind, value) => mem.vault.knows(kind, value),
    ...(llm.settings.defaultCountry ? { defaultCountry: llm.settings.defaultCountry } : {}),
  };
}

function grounding(g: Grounds): Pick<ReplyCheckContext, 'corpus' | 'sources'> {
  return { corpus: buildCorpus([...g.titled, ...g.toolResults.map((s) => s.text), ...g.notes]), sources: [...g.given, ...g.toolResults] };
}

/** Checks a code the shopper typed while one is awaited; the code itself never reaches the model. */
async function codeNote(access: OrderAccessControl | undefined, request: AnswerRequest): Promise<{ text: string; note?: string }> {
  const pending = access ? await access.pendingOrder(request.conversationId) : undefined;
  const code = pending ? findCode(request.text) : undefined;
  if (!access || !code) return { text: pending ? withoutCode(request.text) : request.text };
  const text = withoutCode(request.text);
  const check = await access.checkCode(request.conversationId, code);
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

/** Calls the model until it answers without tools (or `maxRounds` is reached), running the tools it asks for in between. */
export async function modelRounds(llm: Llm, turn: Turn, started: number): Promise<Rounds> {
  const { request, mem, guard } = turn;
  let language: string | undefined;
  let toolsAnswered = false;
  try {
    for (let round = 0; round < llm.maxRounds; round++) {
      const result = await callModel(llm, request.conversationId, turn.messages, guard);
      if (result.toolCalls.length === 0 || round === llm.maxRounds - 1) return { reply: result.content, language, toolsAnswered };
      guard?.reset();
      turn.messages.push({ role: 'assistant', content: result.content || null, toolCalls: result.toolCalls });
      const effects = await runTools(result.toolCalls, {
        conversationId: request.conversationId,
        ...(request.shopper ? { shopper: request.shopper } : {}),
        ...(llm.deps.access ? { access: llm.deps.access } : {}),
        log: llm.log,
        hint: (email) => mem.vault.placeholder('EMAIL', email),
      });
      if (effects.handoff) {
        llm.counters.handoffs++;
        mem.streak = 0;
        llm.log.info({ ms: llm.deps.clock.now() - started, rounds: round + 1, outcome: 'handoff' }, 'llm turn');
        return {
          answer: { parts: [], confidence: 1, sources: [], handoff: { reason: effects.handoff }, ...(effects.language ? { language: effects.language } : {}) },
        };
      }
      language = effects.language ?? language;
      toolsAnswered = addToolResults(turn, effects.results) || toolsAnswered;
    }
  } catch (err) {
    if (!(err instanceof ModelError)) throw err;
    llm.counters.fallbacks.failure++;
    llm.log.warn({ kind: err.kind, status: err.status, ms: llm.deps.clock.now() - started, streamed: Boolean(guard?.shown) }, 'model failed: offline answer');
    // What was already shown stays: the answer continues it with a way to a person.
    if (guard?.shown.trim()) return { answer: partialAnswer(request, mem, guard) };
    return { answer: await llm.deps.fallback.answer(request) };
  }
  return { reply: '', language, toolsAnswered };
}

/** Hands the tool results (masked) to the model and to the checks; says whether a tool answered the question. */
function addToolResults(turn: Turn, results: ToolEffects['results']): boolean {
  let answered = false;
  for (const { call, content: raw } of results) {
    const maskedResult = turn.mem.vault.mask(raw);
    turn.messages.push({ role: 'tool', toolCallId: call.id, content: maskedResult });
    turn.grounds.toolResults.push({ text: maskedResult, language: 'en', tool: true });
    answered ||= /"status":"(ok|verification_required|not_available)"/.test(raw);
  }
  turn.check = { ...turn.check, ...grounding(turn.grounds) };
  return answered;
}

async function callModel(llm: Llm, conversationId: string, messages: ChatMessage[], guard?: StreamGuard): Promise<ChatResult> {
  const { model } = llm.deps;
  for (let attempt = 0; ; attempt++) {
    llm.counters.modelCalls++;
    try {
      const request = { messages, tools: llm.tools, temperature: llm.settings.temperature, maxTokens: llm.settings.maxTokens };
      const result = guard ? await model.stream(request, (text) => guard.push(text)) : await model.complete(request);
      llm.meter.record(conversationId, result.usage);
      return result;
    } catch (err) {
      const failure = err instanceof ModelError ? err : new ModelError('connection', 'The model call failed.', undefined, undefined, { cause: err });
      llm.counters.failures[failure.kind]++;
      // Text already shown cannot be taken back by a retry: the final answer replaces it instead.
      if (!failure.retryable || attempt >= 1 || guard?.shown) throw failure;
      llm.counters.retries++;
      const wait = Math.min(failure.retryAfterMs ?? llm.settings.retryBackoffMs ?? 250, llm.settings.maxRetryWaitMs ?? 2000);
      llm.log.warn({ kind: failure.kind, status: failure.status, waitMs: wait }, 'model call failed, retrying once');
      await llm.sleep(wait * (0.8 + Math.random() * 0.4));
      guard?.reset();
    }
  }
}

/** The checked answer; the exchange is remembered when it answered something. */
export function finishTurn(llm: Llm, turn: Turn, { reply, language, toolsAnswered }: Extract<Rounds, { reply: string }>, started: number): Answer {
  const answer = acceptReply(llm, turn, reply, toolsAnswered);
  if (answer.sources.length || answer.confidence >= 0.5) llm.memory.remember(turn.mem, shopperBlock(turn.maskedText), reply.trim() || 'UNKNOWN');
  llm.log.info(
    {
      ms: llm.deps.clock.now() - started,
      promptChars: turn.messages.reduce((n, m) => n + (m.content?.length ?? 0), 0),
      replyChars: reply.length,
      usage: llm.meter.conversation(turn.request.conversationId),
    },
    'llm turn',
  );
  return language ? { ...answer, language } : answer;
}
