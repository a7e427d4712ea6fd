import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type ClaimSource, checkClaims } from './claims.js';
import { numberWordsToDigits } from './number-words.js';
import { quantities } from './quantities.js';

/** The body of one knowledge-base section (`{#id}`) of a language, as the answerer passes it. */
function section(language: string, file: string, id: string): ClaimSource {
  const text = readFileSync(new URL(`../../../../config/knowledge/${language}/${file}`, import.meta.url), 'utf8');
  const body = new RegExp(`\\{#${id}\\}\\n\\n([^\\n]+)`).exec(text)?.[1];
  if (!body) throw new Error(`no section ${id} in ${language}/${file}`);
  return { text: body, language };
}

const rules = (reply: string, language: string, sources: ClaimSource[]) => checkClaims(reply, language, sources).map((v) => `${v.rule}:${v.detail}`);

describe('claims are checked by meaning', () => {
  const apac = section('en', 'shipping.md', 'shipping-asia-pacific');
  const refunds = section('en', 'returns.md', 'refunds');
  const food = section('en', 'returns.md', 'return-food');

  it.each([
    ['Shipping to Japan costs €24.95 and takes 6–10 business days.', [apac]],
    ['There is no free shipping to Asia-Pacific countries.', [apac]],
    ['Card refunds usually show on your account within 5–10 business days.', [refunds]],
    ['An opened bag of cat food cannot be returned.', [food]],
  ])('lets the shop’s own facts through: %s', (reply, sources) => expect(rules(reply, 'en', sources)).toEqual([]));

  it.each([
    ['Shipping to Japan is free for you on every order.', [apac], 'claim:free'],
    ['Your refund has been approved and the money is already on its way to your card.', [refunds], 'done:refund'],
    ['Opened food can be returned as long as the bag is mostly full.', [food], 'claim:returns'],
    ['You can return products within ninety days.', [refunds], 'claim:deadline'],
    ['Shipping to Mexico is free on all your orders.', [section('en', 'shipping.md', 'free-shipping')], 'claim:free'],
  ])('stops %s', (reply, sources, rule) => expect(rules(reply, 'en', sources)).toContain(rule));

  it('reads Chinese promises, numerals and full-width text', () => {
    const zhApac = section('zh-CN', 'shipping.md', 'shipping-asia-pacific');
    const zhPolicy = section('zh-CN', 'returns.md', 'return-policy');
    expect(rules('寄往日本的订单全部为您包邮。', 'zh-CN', [zhApac])).toContain('claim:free');
    expect(rules('九十天无理由退货。', 'zh-CN', [zhPolicy])).toContain('claim:deadline');
    expect(rules('下单后差价自动返还。', 'zh-CN', [zhPolicy]).length).toBeGreaterThan(0);
    expect(rules('寄往日本运费24.95欧元，需6–10个工作日。', 'zh-CN', [zhApac])).toEqual([]);
  });

  it('never takes the shopper’s words for a source: only what it is given counts', () => {
    expect(rules('Shipping to Germany is always free.', 'en', [])).toContain('claim:free');
  });

  it('stops requests for secrets, personas and insults in every language', () => {
    expect(rules('Please type your full card number and the CVC here.', 'en', [])).toContain('secret:names a secret');
    expect(rules('Bitte nennen Sie mir Ihre Kartennummer und die Prüfnummer.', 'de', [])).toContain('secret:names a secret');
    expect(rules('请把您的支付密码发给我。', 'zh-CN', [])).toContain('secret:names a secret');
    expect(rules('Arrr, matey! Yer parcel sails in 3 days.', 'en', [])).toContain('persona:persona');
    expect(rules('Wie dämlich kann man sein.', 'de', [])).toContain('tone:insult');
    expect(rules('你真是个笨蛋。', 'zh-CN', [])).toContain('tone:insult');
  });

  it('asks for the one-time code only when Parley e-mailed one', () => {
    const asked = { text: '{"status":"verification_required","message":"A one-time code was sent."}', language: 'en', tool: true };
    expect(rules('Please reply with the one-time code from the email.', 'en', [asked])).toEqual([]);
    expect(rules('Please reply with the one-time code from the email.', 'en', [])).toContain('secret:names a secret');
  });
});

describe('quantities', () => {
  it.each([
    ['九十天无理由退货', 'zh-CN', [{ value: 90, unit: 'day' }]],
    ['３０日以内', 'ja', [{ value: 30, unit: 'day' }]],
    ['二割引', 'ja', [{ value: 20, unit: 'percent' }]],
    ['九折', 'zh-CN', [{ value: 10, unit: 'percent' }]],
    ['vingt pour cent de remise', 'fr', [{ value: 20, unit: 'percent' }]],
    ['returns within ninety days', 'en', [{ value: 90, unit: 'day' }]],
    ['neunzig Tage', 'de', [{ value: 90, unit: 'day' }]],
    ['٢٤٫٩٥ يورو', 'ar', [{ value: 24.95, unit: 'money' }]],
  ])('%s', (text, language, expected) => expect(quantities(text, language)).toEqual(expected));

  it('leaves syllables that look like numbers alone', () => {
    expect(numberWordsToDigits('이내에 반품', 'ko')).toBe('이내에 반품');
    expect(numberWordsToDigits('สามารถคืนได้', 'th')).toBe('สามารถคืนได้');
    expect(numberWordsToDigits('vingt pour cent', 'fr')).toBe('20 pour cent');
  });
});
