import { describe, expect, it } from 'vitest';
import type { Answer, Answerer, AnswerRequest } from '../core/answerer.js';
import { richCapabilities } from '../core/capabilities.js';
import { createBot } from './bot.js';

const request = (text: string): AnswerRequest => ({ conversationId: 'c1', text, language: 'en', t: (key) => key, capabilities: richCapabilities });
const answer: Answer = { parts: [{ kind: 'text', text: 'Shipped in 2 days.' }], confidence: 0.9, sources: ['Shipping'] };

/** A streaming responder that records what it was asked. */
function streamingResponder(): Answerer & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    answer: async (r) => (asked.push(`answer:${r.text}`), answer),
    answerStream: async (r, onDelta) => {
      asked.push(`stream:${r.text}`);
      onDelta({ text: 'Shipped ' });
      onDelta({ text: 'in 2 days.' });
      return answer;
    },
  };
}

describe('createBot', () => {
  it('forwards streaming to a responder that streams', async () => {
    const responder = streamingResponder();
    const deltas: string[] = [];
    const result = await createBot(responder).answerStream?.(request('How fast is shipping?'), (d) => deltas.push(d.text));
    expect(result).toEqual(answer);
    expect(deltas).toEqual(['Shipped ', 'in 2 days.']);
    expect(responder.asked).toEqual(['stream:How fast is shipping?']);
  });

  it('hands off a shopper who asks for a person without asking the responder, streaming included', async () => {
    const responder = streamingResponder();
    const deltas: string[] = [];
    const result = await createBot(responder).answerStream?.(request('I want to talk to a human'), (d) => deltas.push(d.text));
    expect(result?.handoff).toEqual({ reason: 'shopper_request' });
    expect(deltas).toEqual([]);
    expect(responder.asked).toEqual([]);
  });

  it('does not stream when the responder cannot', () => {
    expect(createBot({ answer: async () => answer }).answerStream).toBeUndefined();
  });
});
