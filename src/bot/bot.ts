import type { Answer, AnswerDelta, Answerer, AnswerRequest } from '../core/answerer.js';
import { detectHandoffRequest, isHandoffPayload } from './intents.js';

/**
 * The bot in front of any responder: a shopper who asks for a person (in words or with the
 * "talk to a person" button) is handed off before the responder is asked anything. A
 * responder that streams keeps streaming behind the same check.
 *
 * @example
 * ```ts
 * const bot = createBot(createKnowledgeAnswerer(kb));
 * (await bot.answer({ ...req, text: 'I want to talk to a human' })).handoff; // { reason: 'shopper_request' }
 * ```
 */
export function createBot(responder: Answerer): Answerer {
  const askedForPerson = (request: AnswerRequest): Answer | undefined => {
    const asked = request.payload ? isHandoffPayload(request.payload) : detectHandoffRequest(request.text);
    return asked ? { parts: [], confidence: 1, sources: [], handoff: { reason: 'shopper_request' } } : undefined;
  };
  const bot: Answerer = {
    async answer(request: AnswerRequest): Promise<Answer> {
      return askedForPerson(request) ?? responder.answer(request);
    },
  };
  const stream = responder.answerStream?.bind(responder);
  if (stream) bot.answerStream = async (request: AnswerRequest, onDelta: (delta: AnswerDelta) => void) => askedForPerson(request) ?? stream(request, onDelta);
  return bot;
}
