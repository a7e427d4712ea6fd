import { describe, expect, it } from 'vitest';
import { detectHandoffRequest, HANDOFF_PAYLOAD, isHandoffPayload } from './intents.js';

describe('detectHandoffRequest', () => {
  it.each([
    'human',
    'Human please!',
    'agent',
    'real person',
    'talk to a person',
    'customer service',
    'I want to talk to a human',
    'Can I speak to someone?',
    'where is my order? I need a human',
    '人工',
    '转人工',
    '客服',
    '真人',
    '我要人工客服',
    '请帮我转人工',
    'hablar con una persona',
    'un agente',
    'humano',
    'Quiero hablar con un agente, por favor',
    'parler à un conseiller',
    'Je voudrais parler à un conseiller',
    'mit einem Menschen sprechen',
    'Ich möchte mit einem Mitarbeiter sprechen',
    'オペレーター',
    'オペレーターと話したい',
    '상담원',
    '상담원 연결해주세요',
    'atendente',
    'quero falar com um atendente',
    'оператор',
    'Позовите оператора',
    'Mag ik met een medewerker spreken?',
  ])('fires on %s', (text) => {
    expect(detectHandoffRequest(text)).toBe(true);
  });

  it.each([
    'my agent said the parcel is delayed',
    'the person who delivered it was rude',
    'Is customer service open on Saturday?',
    '客服电话是多少',
    '人工草坪有卖吗',
    'How long does shipping to Germany take?',
    'hola',
    '',
  ])('does not fire on %s', (text) => {
    expect(detectHandoffRequest(text)).toBe(false);
  });
});

describe('isHandoffPayload', () => {
  it('recognises only the handoff button payload', () => {
    expect(isHandoffPayload(HANDOFF_PAYLOAD)).toBe(true);
    expect(isHandoffPayload('handoff.request')).toBe(true);
    expect(isHandoffPayload('size.s')).toBe(false);
  });
});
