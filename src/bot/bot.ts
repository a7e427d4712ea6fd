import type { Answer, Answerer, AnswerRequest } from '../core/answerer.js';
import { detectHandoffRequest, isHandoffPayload } from './intents.js';

/**
 * The bot in front of any responder: a shopper who asks for a person (in words or with the
 * "talk to a person" button) is handed off before the responder is asked anything.
 *
 * @example
 * ```ts
 * const bot = createBot(createKnowledgeAnswerer(kb));
 * (await bot.answer({ ...req, text: 'I want to talk to a human' })).handoff; // { reason: 'shopper_request' }
 * ```
 */
export function createBot(responder: Answerer): Answerer {
  return {
    async answer(request: AnswerRequest): Promise<Answer> {
      const asked = request.payload ? isHandoffPayload(request.payload) : detectHandoffRequest(request.text);
      if (asked) return { parts: [], confidence: 1, sources: [], handoff: { reason: 'shopper_request' } };
      return responder.answer(request);
    },
  };
}
