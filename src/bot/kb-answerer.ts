/**
 * The offline responder: answers from the best knowledge-base article, in the shopper's
 * language when the article has a variant in it, or asks the shopper to rephrase and offers a
 * person when nothing fits well enough.
 */
import type { Answer, Answerer, AnswerRequest } from '../core/answerer.js';
import type { Part } from '../core/message.js';
import type { Localize } from '../core/ports.js';
import { HANDOFF_PAYLOAD } from '../core/translate-parts.js';
import { type KnowledgeBase, type KnowledgeSection, type Retrieval, sameLanguage } from './knowledge/index.js';

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

/**
 * The section's text and a localised citation line. The body keeps the section's language
 * when it is not the shopper's (the pipeline translates it, or says it could not); the
 * citation is a fixed string in the shopper's language.
 */
export function sectionParts(section: KnowledgeSection, request: Pick<AnswerRequest, 'language' | 't'>, markup: 'markdown' | 'plain' = 'markdown'): Part[] {
  const italic = markup === 'markdown' ? '_' : '';
  const around = sourceLine(request.t);
  if (section.language.toLowerCase() === request.language.toLowerCase()) {
    const line = around ? `${around[0]}${section.title}${around[1]}` : request.t('bot.source', { title: section.title });
    return [
      { kind: 'text', text: section.body.trim(), markup },
      { kind: 'text', text: `${italic}${line}${italic}`, markup },
    ];
  }
  // The title is the section's, in its language; the words around it are Parley's, in the shopper's.
  const [before = '', after = ''] = around ?? request.t('bot.source', { title: '\u0000' }).split('\u0000');
  return [
    { kind: 'text', text: section.body.trim(), markup, language: section.language },
    { kind: 'text', text: `${italic}${before}`, markup },
    { kind: 'text', text: section.title, markup, language: section.language, inline: true },
    { kind: 'text', text: `${after}${italic}`, markup, inline: true },
  ];
}

/**
 * The words of the citation line before and after the title, by localizer: the line is asked
 * for on every answer, and an i18next lookup with interpolation was ~7% of an answer's CPU
 * (bench:kb-speed). `null`: the line does not hold the title exactly once; each answer asks `t`.
 */
const sourceLines = new WeakMap<Localize, readonly [string, string] | null>();

function sourceLine(t: Localize): readonly [string, string] | undefined {
  let around = sourceLines.get(t);
  if (around === undefined) {
    const parts = t('bot.source', { title: '\u0000' }).split('\u0000');
    around = parts.length === 2 ? [parts[0] as string, parts[1] as string] : null;
    sourceLines.set(t, around);
  }
  return around ?? undefined;
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
 * The articles that best answer a question, best first: searched in the shopper's language,
 * and in the working language (through the translation when there is one, else, when nothing
 * is written in the shopper's language, with their own words, which still match names,
 * numbers and loanwords), each returned in the shopper's language when the article has a
 * variant in it.
 *
 * @example
 * ```ts
 * const [best] = retrieve(kb, { text: '¿Cuánto cuesta el envío a China?', language: 'es' });
 * best?.section.id;       // 'shipping-asia-pacific'
 * best?.section.language; // 'es'
 * ```
 */
export function retrieve(kb: KnowledgeBase, request: Pick<AnswerRequest, 'text' | 'language' | 'working'>, limit = 2): Retrieval[] {
  const own = kb.search(request.text, request.language, limit);
  // The shopper's own words only go to the working language's articles when nothing is
  // written in their language: against variants in it, stray shared words would only add noise.
  const query = request.working?.text ?? (kb.serves(request.language) ? undefined : request.text);
  const working = query === undefined || sameLanguage(request.language, kb.workingLanguage) ? [] : kb.search(query, kb.workingLanguage, limit);
  // Each search's order stands (it weighs where a word matched: a title naming the country
  // asked about beats a body that mentions it); confidence decides between the two searches'
  // next candidates, as it is the one measure they share.
  const out = new Map<string, Retrieval>();
  let [i, j] = [0, 0];
  while (out.size < limit && (i < own.length || j < working.length)) {
    const a = own[i];
    const b = working[j];
    const r = (!b || (a && a.confidence >= b.confidence) ? own[i++] : working[j++]) as Retrieval;
    const had = out.get(r.section.id);
    if (!had) out.set(r.section.id, { ...r, section: kb.variant(r.section.id, request.language) ?? r.section });
    else if (r.confidence > had.confidence) out.set(r.section.id, { ...had, confidence: r.confidence });
  }
  return [...out.values()];
}

/**
 * An {@link Answerer} over a {@link KnowledgeBase}: the best article answers when its
 * confidence reaches `minConfidence`, in the shopper's language when it has a variant in it;
 * otherwise the shopper is asked to rephrase and offered a "talk to a person" button (payload
 * `handoff.request`).
 *
 * @example
 * ```ts
 * const kb = await KnowledgeBase.load('config/knowledge', { workingLanguage: 'en' });
 * const answerer = createKnowledgeAnswerer(kb, { minConfidence: DEFAULT_MIN_CONFIDENCE });
 * const answer = await answerer.answer({ conversationId, text: 'Wie lange dauert der Versand nach Deutschland?', language: 'de', t, capabilities });
 * answer.sources; // ['shipping-germany'], answered from the German variant
 * ```
 */
export function createKnowledgeAnswerer(kb: KnowledgeBase, opts: KnowledgeAnswererOptions = { minConfidence: DEFAULT_MIN_CONFIDENCE }): Answerer {
  return {
    async answer(request: AnswerRequest): Promise<Answer> {
      const [best] = retrieve(kb, request);
      if (!best || best.confidence < opts.minConfidence) return rephraseAnswer(best?.confidence ?? 0, request.t);
      return { parts: sectionParts(best.section, request), confidence: best.confidence, sources: [best.section.id] };
    },
  };
}
