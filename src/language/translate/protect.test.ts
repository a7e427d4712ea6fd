import { describe, expect, it } from 'vitest';
import { Glossary } from './glossary.js';
import { hasTranslatableText, protect, restore } from './protect.js';

const spansOf = (text: string) => protect(text).spans;

describe('protect', () => {
  it.each([
    ['Where is my order PS-100234?', ['PS-100234']],
    ['Order #A1234 and ref 1234567890', ['#A1234', '1234567890']],
    ['SKU AB12345 or SKU-4411-BLU in size L', ['AB12345', 'SKU-4411-BLU']],
    ['Track it at https://track.example.com/PS-100234.', ['https://track.example.com/PS-100234']],
    ['查看 https://track.example.com/PS-100234。谢谢', ['https://track.example.com/PS-100234']],
    ['请在https://track.example.com/PS-100234查询', ['https://track.example.com/PS-100234']],
    ['Mail support@pawsome.example or call +31 30 555 0142', ['support@pawsome.example', '+31 30 555 0142']],
    ['It costs €12.90, or 12,90 €, $5, ¥1,200 and 5.95 EUR', ['€12.90', '12,90 €', '$5', '¥1,200', '5.95 EUR']],
    ['Thanks @maria 👍🏽 see you 🇪🇸', ['@maria', '👍🏽', '🇪🇸']],
    ['订单PS-100234已发货', ['PS-100234']],
  ])('masks the spans of %s', (text, spans) => {
    expect(spansOf(text)).toEqual(spans);
  });

  it('numbers placeholders in order and leaves the words to translate', () => {
    const masked = protect('Order PS-100234 (€12.90) shipped: https://track.example.com/PS-100234');
    expect(masked.text).toBe('Order ⟦1⟧ (⟦2⟧) shipped: ⟦3⟧');
    expect(hasTranslatableText(masked)).toBe(true);
    expect(hasTranslatableText(protect('PS-100234 👍'))).toBe(false);
  });

  it('masks the text’s own brackets so they cannot pose as placeholders', () => {
    const masked = protect('literally ⟦1⟧ here');
    expect(masked.text).toBe('literally ⟦1⟧ here');
    expect(restore('literalmente ⟦1⟧ aquí', masked)).toEqual({ ok: true, text: 'literalmente ⟦1⟧ aquí' });
  });

  it('masks glossary terms: do-not-translate keeps the writing, terms take the target form', () => {
    const glossary = new Glossary({ doNotTranslate: ['Pawsome'], terms: { 'Snuggle Bed': { es: 'Cama Nido', 'zh-CN': '暖窝床' } } }, 'en');
    const toEs = protect('Is the pawsome snuggle bed washable?', glossary.entries('en', 'es'));
    expect(toEs.text).toBe('Is the ⟦1⟧ ⟦2⟧ washable?');
    expect(restore('¿Se puede lavar la ⟦2⟧ de ⟦1⟧?', toEs)).toEqual({ ok: true, text: '¿Se puede lavar la Cama Nido de pawsome?' });
    const fromZh = protect('暖窝床可以洗吗', glossary.entries('zh-CN', 'en'));
    expect(fromZh.spans).toEqual(['Snuggle Bed']);
    expect(glossary.entries('zh-TW', 'en').map((e) => e.source)).toEqual(['Pawsome']);
  });
});

describe('restore', () => {
  const masked = protect('Order PS-100234 ships to @maria');

  it('puts every span back, tolerating spaces and full-width digits inside the brackets', () => {
    expect(restore('Pedido ⟦ 1 ⟧ enviado a ⟦２⟧', masked)).toEqual({ ok: true, text: 'Pedido PS-100234 enviado a @maria' });
  });

  it.each([
    ['Pedido enviado a ⟦2⟧', 'placeholder ⟦1⟧ missing'],
    ['Pedido ⟦1⟧ ⟦1⟧ enviado a ⟦2⟧', 'placeholder ⟦1⟧ repeated 2 times'],
    ['Pedido ⟦1⟧ enviado a ⟦2⟧ ⟦3⟧', 'unknown placeholder ⟦3⟧'],
    ['Pedido ⟦1⟧ enviado a ⟦2', 'placeholder ⟦2⟧ missing'],
    ['Pedido ⟦1⟧ enviado a ⟦2⟧⟧', 'mangled placeholder'],
    ['Pedido [1] enviado a ⟦2⟧', 'placeholder ⟦1⟧ missing'],
  ])('rejects %s', (translated, problem) => {
    expect(restore(translated, masked)).toEqual({ ok: false, problem });
  });
});
