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
  /** Contacts the channel has verified for this shopper (order lookups are disclosed only to their buyer). */
  shopper?: ShopperContext;
}

/**
 * What the channel identity proves about the shopper: a WhatsApp number, a logged-in web chat
 * user's email. Only set from the platform or the shop's login, never from message text.
 *
 * @example
 * ```ts
 * const shopper: ShopperContext = { phone: '+31612345678' }; // WhatsApp sender
 * ```
 */
export interface ShopperContext {
  /** E.164 or national format; compared after normalisation. */
  phone?: string;
  email?: string;
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
  /** BCP 47 tag: the shopper asked to be answered in this language from now on. */
  language?: string;
}

/** A piece of a reply streamed while it is written; `text` is appended to the pieces before it. */
export interface AnswerDelta {
  text: string;
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
  /**
   * Optional: like {@link Answerer.answer}, calling `onDelta` as checked text arrives. The
   * resolved Answer is authoritative and replaces whatever was streamed.
   */
  answerStream?(request: AnswerRequest, onDelta: (delta: AnswerDelta) => void): Promise<Answer>;
}
