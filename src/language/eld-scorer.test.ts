import { eld } from 'eld/large';
import { describe, expect, it } from 'vitest';
import { loadEldModel } from './eld-model.js';
import { createEldScorer } from './eld-scorer.js';

const LANGUAGES = ['en', 'es', 'pt', 'fr', 'de', 'it', 'nl', 'ru', 'uk', 'ar', 'fa', 'zh', 'ja', 'ms', 'tr', 'vi'];
const TEXTS = [
  'Where is my order?',
  "I don't know, it's late.",
  '¿Dónde está mi pedido?',
  'Parece raro.',
  'Où est ma commande ?',
  'Wo ist meine Bestellung?',
  "Stavo sudando un po'.",
  'Waar is mijn bestelling?',
  'Где мой заказ?',
  'Де моє замовлення?',
  'متى سيصل طلبي؟',
  'سفارش من کی می‌رسد؟',
  '我想退货',
  '注文はいつ届きますか',
  'Saya nak beli kereta',
  'Siparişim nerede?',
  'Đơn hàng của tôi ở đâu?',
  'ok',
  '',
];

describe('eld scorer over the compact table', () => {
  it('picks what eld itself picks', () => {
    const instance = eld.newInstance();
    instance.setLanguageSubset(LANGUAGES);
    const scorer = createEldScorer(loadEldModel(), LANGUAGES);
    for (const text of TEXTS) {
      const { raw, languages } = scorer.score(text);
      let best = -1;
      raw.forEach((value, i) => {
        if (value > 0 && value > (raw[best] ?? 0)) best = i;
      });
      expect(best < 0 ? '' : languages[best], text).toBe(instance.detect(text).language);
    }
  });
});
