import type { Capabilities } from './capabilities.js';
import type { Part } from './message.js';
import type { Localize } from './ports.js';

/**
 * What the bot is asked in one turn: the shopper's own words, in their language. Answers are
 * written in that language wherever the shop can (fixed strings from `t`, knowledge-base
 * variants, a model told which language to use); a text part written in another language says
 * so in its `language`, and the pipeline translates it or tells the shopper it could not.
 *
 * @example
 * ```ts
 * const request: AnswerRequest = {
 *   conversationId, text: '寄到德国要多久？', language: 'zh-CN',
 *   working: { text: 'How long does shipping to Germany take?', language: 'en' }, // with a translator
 *   t: localizer.forLanguage('zh-CN'), capabilities,
 * };
 * ```
 */
export interface AnswerRequest {
  conversationId: string;
  /** What the shopper wrote, as written (or the label of the button they pressed). */
  text: string;
  /** The shopper's language (BCP 47): the language the answer is written in wherever possible. */
  language: string;
  /** `text` in the shop's working language, when a translation provider made it. */
  working?: { text: string; language: string };
  /** A button payload, when the shopper pressed one. */
  payload?: string;
  /** Fixed strings in the shopper's language. */
  t: Localize;
  /** The channel's capabilities, so answers can fit them. */
  capabilities: Capabilities;
  /**
   * Looks up the contacts the shop and the channel have verified for this shopper (order
   * lookups are disclosed only to their buyer). Asked only when an order is looked up, so a
   * turn that needs none does not pay for the lookup.
   */
  shopper?: () => Promise<ShopperContext | undefined>;
  /**
   * The photos, videos, files and voice notes of the message, as the media stage left them
   * (src/media/understand): a voice note it transcribed is in `text` already. A responder that
   * cannot see or hear one of them says so and hands the turn to a person.
   */
  media?: readonly TurnMedia[];
}

/**
 * One photo, video, file or voice note of the shopper's message, for the responder.
 *
 * @example
 * ```ts
 * const photo: TurnMedia = { kind: 'image', mimeType: 'image/jpeg', load: () => media.get(id).then((m) => m!.data) };
 * const voice: TurnMedia = { kind: 'audio', transcribed: true }; // the transcript is the turn's text
 * const lost: TurnMedia = { kind: 'audio', problem: 'transcription_failed' };
 * ```
 */
export interface TurnMedia {
  kind: 'image' | 'video' | 'file' | 'audio';
  mimeType?: string;
  /** The bytes from Parley's media store; absent when the media could not be fetched or stored. */
  load?: () => Promise<Uint8Array>;
  /** A voice note whose words are the turn's text (the platform's transcript or Parley's transcriber). */
  transcribed?: boolean;
  /** Why Parley has neither bytes nor words: `no_transcriber`, `transcription_failed`, `transcription_empty`, `too_long`, or media intake's `too_large`, `type_not_allowed`, `fetch_failed`, `unsupported` (`not_stored` when the bytes are gone). */
  problem?: string;
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

/**
 * The bot's answer. Its parts are in the request's language, except text parts that name
 * another `language` (they are translated, or sent with a note that they could not be).
 */
export interface Answer {
  parts: Part[];
  /** 0..1: how sure the responder is that it answered the question. */
  confidence: number;
  /** Ids of the knowledge-base articles the answer came from (one id for all of an article's languages). */
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
