import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import en from '../../locales/en/bot.json' with { type: 'json' };
import type { Answerer, AnswerRequest } from '../core/answerer.js';
import type { Localize } from '../core/ports.js';
import { createKnowledgeAnswerer, DEFAULT_MIN_CONFIDENCE } from './kb-answerer.js';
import { KnowledgeBase } from './knowledge/index.js';

const KB_DIR = fileURLToPath(new URL('../../config/knowledge', import.meta.url));

/** A tiny i18next stand-in over the real English strings: `bot.<key>` with `{{var}}`. */
const t: Localize = (key, vars = {}) => {
  const template = (en as Record<string, string>)[key.replace(/^bot\./, '')];
  if (template === undefined) throw new Error(`missing locale key ${key}`);
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(vars[name]));
};

function ask(answerer: Answerer, text: string) {
  const request = { conversationId: 'c1', text, language: 'en', t, capabilities: {} } as unknown as AnswerRequest;
  return answerer.answer(request);
}

let answerer: Answerer;
beforeAll(async () => {
  answerer = createKnowledgeAnswerer(await KnowledgeBase.load(KB_DIR, { workingLanguage: 'en' }), { minConfidence: DEFAULT_MIN_CONFIDENCE });
});

describe('createKnowledgeAnswerer', () => {
  it('answers with the section body and a localised source line', async () => {
    const answer = await ask(answerer, 'How long does shipping to Germany take?');
    expect(answer.sources).toEqual(['shipping-germany']);
    expect(answer.parts).toHaveLength(2);
    const [body, source] = answer.parts;
    expect(body).toMatchObject({ kind: 'text', markup: 'markdown' });
    const text = body?.kind === 'text' ? body.text : '';
    expect(text).toContain('Germany');
    expect(text).toContain('2–3 business days');
    expect(source).toEqual({ kind: 'text', text: '_Source: Shipping to Germany_', markup: 'markdown' });
    expect(answer.confidence).toBeGreaterThanOrEqual(DEFAULT_MIN_CONFIDENCE);
    expect(answer.handoff).toBeUndefined();
  });

  it.each([
    'How long does shipping to Germany take?',
    'can I return an opened bag of cat food',
    'do you accept paypal',
    'shipping to germny',
    'when will I get my money back',
    'where is my parcel',
    'how do I clean the aquarium filter',
    'what is your phone number',
    'can I pay later',
    'do you ship to japan',
    'how many days for delivery to france',
    'can I change my delivery address',
    'Can I return a used dog toy?',
  ])('typical shopper question passes the default threshold: %s', async (question) => {
    const answer = await ask(answerer, question);
    expect(answer.sources).toHaveLength(1);
    expect(answer.confidence).toBeGreaterThanOrEqual(DEFAULT_MIN_CONFIDENCE);
  });

  it.each([
    "what's the capital of peru",
    'asdfgh',
    'tell me a joke',
    'who won the world cup',
    'what is the weather today',
    'how is the weather in amsterdam',
    'I love my dog',
    'what is bitcoin price',
    'recommend a good movie',
  ])('unrelated question asks to rephrase and offers a person: %s', async (question) => {
    const answer = await ask(answerer, question);
    expect(answer.confidence).toBeLessThan(DEFAULT_MIN_CONFIDENCE);
    expect(answer.sources).toEqual([]);
    expect(answer.parts).toEqual([
      { kind: 'text', text: en.rephrase },
      { kind: 'choices', choices: [{ label: 'Talk to a person', payload: 'handoff.request' }] },
    ]);
  });

  it('uses the threshold it is given', async () => {
    const strict = createKnowledgeAnswerer(await KnowledgeBase.load(KB_DIR, { workingLanguage: 'en' }), { minConfidence: 0.99 });
    expect((await ask(strict, 'shiping to germny')).sources).toEqual([]);
  });
});
