/**
 * The bot in front of a responder that cannot see or hear everything a shopper sends: a photo
 * without a vision model, a voice note without a transcriber (or one that failed), a video, a
 * file. The shopper is told honestly, in their language, that a person will look or listen, and
 * the turn goes to a person (`media_review`); words sent with it (a caption, a transcribed
 * voice note) are still answered when the knowledge base answers them.
 */
import type { Answer, AnswerDelta, Answerer, AnswerRequest, TurnMedia } from '../core/answerer.js';
import type { Part } from '../core/message.js';
import { type Logger, silentLogger } from '../core/ports.js';

/** The handoff reason agents see for a photo, voice note, video or file the bot could not take in. */
export const MEDIA_REVIEW = 'media_review';

/** Photo formats chat-completions vision models take (OpenAI, Qwen-VL, Llama vision on vLLM/Ollama); HEIC is not one. */
const VISION_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif']);

/** Whether a vision model can be shown this medium: a photo in a format it takes, with its bytes in the media store. */
export function visible(media: TurnMedia): boolean {
  return media.kind === 'image' && Boolean(media.load) && VISION_TYPES.has(media.mimeType ?? '');
}

/**
 * Wraps `responder`: `sees(m)` says which media it takes in itself (a vision model sees photos
 * it can load); a voice note is heard when transcribed. Everything else reaches a person. The
 * wrapped responder's own members (metrics, usage) are kept.
 *
 * @example
 * ```ts
 * const offline = withMediaReview(knowledge, () => false);
 * const vision = withMediaReview(llm, (m) => m.kind === 'image' && Boolean(m.load));
 * ```
 */
export function withMediaReview<A extends Answerer>(responder: A, sees: (media: TurnMedia) => boolean, log: Logger = silentLogger): A {
  const seen = (m: TurnMedia) => (m.kind === 'audio' ? Boolean(m.transcribed) : sees(m));
  const review = async (request: AnswerRequest, answer: (r: AnswerRequest) => Promise<Answer>): Promise<Answer> => {
    const media = request.media ?? [];
    const unseen = media.filter((m) => !seen(m));
    const shown = media.filter((m) => m.kind !== 'audio');
    if (!unseen.length && shown.length) {
      // The photo could not be read back or sent: a person looks instead of an apology.
      const answered = await answer(request).catch((err: unknown) => void log.error({ err }, 'answer on a photo turn failed: a person looks'));
      if (!answered) return { parts: notices(shown.map(unloaded), request), confidence: 1, sources: [], handoff: { reason: MEDIA_REVIEW } };
      // The model looked at the photo and wants a person, or could not tell: a person looks, and the queue says why.
      if (answered.handoff) return { ...answered, handoff: { reason: MEDIA_REVIEW } };
      return answered.confidence < 0.5 ? { parts: [], confidence: 1, sources: [], handoff: { reason: MEDIA_REVIEW } } : answered;
    }
    if (!unseen.length) return answer(request);
    const rest = media.filter(seen);
    const words = request.text.trim() ? await answer({ ...request, media: rest }) : undefined;
    // Only an answer from the shop's own articles is worth sending before the person: not "could you rephrase?".
    const kept = words && !words.handoff && words.sources.length ? words.parts : [];
    return {
      parts: [...notices(unseen, request), ...kept],
      confidence: 1,
      sources: kept.length ? (words?.sources ?? []) : [],
      handoff: { reason: MEDIA_REVIEW },
    };
  };
  const wrapped = { ...responder, answer: (request: AnswerRequest) => review(request, (r) => responder.answer(r)) };
  const stream = responder.answerStream?.bind(responder);
  if (stream) wrapped.answerStream = (request: AnswerRequest, onDelta: (d: AnswerDelta) => void) => review(request, (r) => stream(r, onDelta));
  return wrapped;
}

/** One sentence per kind of thing not taken in, in the shopper's language (fixed strings, never translated). */
function notices(unseen: readonly TurnMedia[], { t }: AnswerRequest): Part[] {
  const keys = new Set(unseen.map(noticeKey));
  return [...keys].map((key) => ({ kind: 'text' as const, text: t(key) }));
}

/** The medium as one whose bytes could not be had. */
function unloaded(m: TurnMedia): TurnMedia {
  const { load, ...rest } = m;
  void load;
  return rest;
}

/** Problems that mean Parley never had the bytes (media intake's codes): nothing was listened to or looked at. */
const NOT_RECEIVED = new Set(['too_large', 'type_not_allowed', 'fetch_failed', 'unsupported', 'not_stored']);

function noticeKey(m: TurnMedia): string {
  if (m.kind === 'audio' && !NOT_RECEIVED.has(m.problem ?? '')) return m.problem === 'no_transcriber' ? 'bot.media_voice' : 'bot.media_voice_failed';
  // Bytes Parley could not fetch or keep: a person opens the platform's link.
  if (!m.load) return 'bot.media_failed';
  return m.kind === 'image' ? 'bot.media_photo' : m.kind === 'video' ? 'bot.media_video' : 'bot.media_file';
}
