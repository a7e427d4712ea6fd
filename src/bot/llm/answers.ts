/**
 * What the shopper gets from a model's reply: the reply itself once it is cited and passes
 * the guardrails; else what was already streamed with a note, the knowledge base's own section,
 * or a request to rephrase; and after too many such turns in a row, a person.
 */
import type { Answer, AnswerRequest } from '../../core/answerer.js';
import type { Localize } from '../../core/ports.js';
import { HANDOFF_PAYLOAD } from '../../core/translate-parts.js';
import { rephraseAnswer, sectionParts } from '../kb-answerer.js';
import type { Retrieval } from '../knowledge/index.js';
import type { Llm } from './answerer.js';
import type { ConversationMemory } from './grounding.js';
import { checkReply, type Violation } from './guardrails.js';
import { parseReply, replyShape } from './prompt.js';
import type { StreamGuard } from './stream-guard.js';
import type { Turn } from './turn.js';

/** The model's reply, parsed and checked against the turn's sources. */
export function acceptReply(llm: Llm, turn: Turn, content: string, toolsAnswered: boolean): Answer {
  const { request, mem, retrieved, guard } = turn;
  const { counters } = llm;
  const parsed = parseReply(content, turn.sectionTitles);
  const { plain } = replyShape(request.capabilities);
  const shown = Boolean(guard?.shown.trim());
  // An answer that names no section and used no tool is only accepted as small talk.
  const smallTalk = parsed.uncited && !toolsAnswered && parsed.body.length <= 160 && !/\d/.test(parsed.body);
  if (parsed.unknown || (parsed.uncited && !toolsAnswered && !smallTalk)) {
    counters.unknown++;
    return miss(llm, mem, guard && shown ? partialAnswer(request, mem, guard) : rephraseAnswer(retrieved[0]?.confidence ?? 0, request.t));
  }
  // Text shown in a round that then called tools stays part of the answer.
  const body = `${guard?.earlier ?? ''}${parsed.body}`;
  const violations: Violation[] = checkReply(body, turn.check);
  if (violations.length || guard?.blocked) {
    counters.guardrail.blocked++;
    llm.log.warn({ rules: [...new Set(violations.map((v) => v.rule))], streamed: shown }, 'reply blocked by guardrails');
    return miss(llm, mem, guard && shown ? partialAnswer(request, mem, guard) : safeAnswer(llm, request, retrieved));
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

function citation(titles: readonly string[], t: Localize, plain: boolean): string {
  return titles.map((title) => (plain ? t('bot.source', { title }) : `_${t('bot.source', { title })}_`)).join('\n');
}

/** The offline, verbatim section (injections cut) with a way to a person; or "rephrase". */
function safeAnswer(llm: Llm, request: AnswerRequest, retrieved: readonly Retrieval[]): Answer {
  const best = retrieved[0];
  if (!best || best.confidence < llm.minConfidence) return rephraseAnswer(best?.confidence ?? 0, request.t);
  const plain = replyShape(request.capabilities).plain;
  const section = { ...best.section, body: llm.prepare(best.section).body };
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
export function partialAnswer(request: AnswerRequest, mem: ConversationMemory, guard: StreamGuard): Answer {
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
function miss(llm: Llm, mem: ConversationMemory, answer: Answer): Answer {
  mem.streak += 1;
  if (mem.streak < llm.handoffAfter) return answer;
  mem.streak = 0;
  llm.counters.handoffs++;
  return { parts: [], confidence: answer.confidence, sources: [], handoff: { reason: 'low_confidence' } };
}
