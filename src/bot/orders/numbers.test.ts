import { describe, expect, it } from 'vitest';
import { findCode, findOrderNumbers, normalizeDigits, withoutCode } from './numbers.js';

describe('order numbers as shoppers type them', () => {
  it.each([
    ['Where is my order PS-100234?', ['PS-100234']],
    ['wo ist ps100234', ['PS-100234']],
    ['Bestellung PS 100234 bitte', ['PS-100234']],
    ['我的订单 PS-100236 到哪了？', ['PS-100236']],
    ['ＰＳ－１００２３４ はどこ', ['PS-100234']],
    ['order #1042', ['1042']],
    ['#PS-100234 and PS-100235', ['PS-100234', 'PS-100235']],
  ])('%s -> %j', (text, ids) => {
    expect(findOrderNumbers(text)).toEqual(ids);
  });

  it('reads bare digits only when the shopper talks about an order, and never a price, a year or a word and a number', () => {
    expect(findOrderNumbers('where is my order 1042')).toEqual([]);
    expect(findOrderNumbers('where is my order 1042', { bare: true })).toEqual(['1042']);
    expect(findOrderNumbers('I paid 1042 € for it', { bare: true })).toEqual([]);
    expect(findOrderNumbers('ordered in 2025', { bare: true })).toEqual([]);
    expect(findOrderNumbers('the code is 652230')).toEqual([]);
    expect(findOrderNumbers('el 1042 no llega')).toEqual([]);
  });
});

describe('one-time codes', () => {
  it.each([
    ['443911', '443911'],
    ['the code is 443 911', '443911'],
    ['443-911', '443911'],
    ['４４３９１１', '443911'],
    ['٤٤٣٩١١', '443911'],
    ['code 443911 for order PS-100234', '443911'],
    ['PS-100234 code: 443 911', '443911'],
  ])('%s -> %s', (text, code) => {
    expect(findCode(text)).toBe(code);
  });

  it('never takes an order number for a code', () => {
    expect(findCode('where is PS-100234')).toBeUndefined();
    expect(findCode('#100234')).toBeUndefined();
    expect(findCode('1234567')).toBeUndefined();
  });

  it('takes the code out of what may leave for a model, in whatever digits it was typed', () => {
    expect(withoutCode('my code is 443 911 for PS-100234')).toBe('my code is [CODE] for PS-100234');
    expect(withoutCode('コードは４４３９１１です')).toBe('コードは[CODE]です');
    expect(normalizeDigits('١٢٣ ۴۵۶ १२३ ๑๒๓')).toBe('123 456 123 123');
  });
});
