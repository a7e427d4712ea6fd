import type { Capabilities } from './capabilities.js';
import type { Part } from './message.js';
import type { Localize } from './ports.js';

/** What the bot is asked in one turn (text already in the shop's working language). */
export interface AnswerRequest {
  conversationId: string;
  /** The shopper's text, translated into the working language. */
  text: string;
  /** A button payload, when the shopper pressed one. */
  payload?: string;
  /** The working language the text is in (BCP 47). */
  language: string;
  /** Fixed strings in the working language. */
  t: Localize;
  /** The channel's capabilities, so answers can fit them. */
  capabilities: Capabilities;
}

/** The bot's answer. */
export interface Answer {
  parts: Part[];
  /** 0..1: how sure the responder is that it answered the question. */
  confidence: number;
  /** Titles of the knowledge-base sections the answer came from. */
  sources: string[];
  /** Set when the responder wants a person to take over. */
  handoff?: { reason: string };
}

/**
 * A responder: the offline knowledge base, or a model. Ports keep the pipeline blind to which.
 *
 * @example
 * ```ts
 * const answer = await answerer.answer({ conversationId, text: 'shipping to Germany?', language: 'en', t, capabilities });
 * if (answer.handoff) await handoff.request(conversationId, answer.handoff.reason);
 * ```
 */
export interface Answerer {
  answer(request: AnswerRequest): Promise<Answer>;
}
