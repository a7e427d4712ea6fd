/**
 * The offline responder: answers from the best knowledge-base section, or asks the shopper to
 * rephrase and offers a person when nothing fits well enough.
 */
import type { Answer, Answerer, AnswerRequest } from '../core/answerer.js';
import type { Localize } from '../core/ports.js';
import { HANDOFF_PAYLOAD } from './intents.js';
import type { KnowledgeBase, Retrieval } from './knowledge.js';

/**
 * The confidence below which the knowledge base does not answer. With the formula in
 * {@link KnowledgeBase.search}, a question whose content words are only half found (one of
 * two words, e.g. "weather today" -> a section saying "today") scores at most 0.5, while
 * clear shop questions, typos included, score 0.6–1.0 (see kb-answerer.test.ts).
 */
export const DEFAULT_MIN_CONFIDENCE = 0.55;

/** Options of {@link createKnowledgeAnswerer}. */
export interface KnowledgeAnswererOptions {
  /** 0..1; below it the shopper is asked to rephrase. Default {@link DEFAULT_MIN_CONFIDENCE}. */
  minConfidence: number;
}

/** The section's text, ending with a localised citation line. */
function sectionAnswer(best: Retrieval, t: Localize): Answer {
  const { title, body } = best.section;
  const text = `${body.trim()}\n\n_${t('bot.source', { title })}_`;
  return {
    parts: [{ kind: 'text', text, markup: 'markdown' }],
    confidence: best.confidence,
    sources: [title],
  };
}

/** "Could you rephrase?" with a button to reach a person; the pipeline owns the handoff. */
export function rephraseAnswer(confidence: number, t: Localize): Answer {
  return {
    parts: [
      { kind: 'text', text: t('bot.rephrase') },
      { kind: 'choices', choices: [{ label: t('bot.talk_to_person'), payload: HANDOFF_PAYLOAD }] },
    ],
    confidence,
    sources: [],
  };
}

/**
 * An {@link Answerer} over a {@link KnowledgeBase}: the best section answers when its
 * confidence reaches `minConfidence`; otherwise the shopper is asked to rephrase and offered
 * a "talk to a person" button (payload `handoff.request`).
 *
 * @example
 * ```ts
 * const kb = await KnowledgeBase.load('config/knowledge');
 * const answerer = createKnowledgeAnswerer(kb, { minConfidence: DEFAULT_MIN_CONFIDENCE });
 * const answer = await answerer.answer({ conversationId, text: 'How long does shipping to Germany take?', language: 'en', t, capabilities });
 * answer.sources; // ['Shipping to Germany']
 * ```
 */
export function createKnowledgeAnswerer(
  kb: KnowledgeBase,
  opts: KnowledgeAnswererOptions = { minConfidence: DEFAULT_MIN_CONFIDENCE },
): Answerer {
  return {
    async answer({ text, t }: AnswerRequest): Promise<Answer> {
      const [best] = kb.search(text, 2);
      if (!best || best.confidence < opts.minConfidence) return rephraseAnswer(best?.confidence ?? 0, t);
      return sectionAnswer(best, t);
    },
  };
}
