import { describe, expect, it } from 'vitest';
import { emotionSignals, evaluateTriggers, isCancel, lowConfidence, upsetScore } from './triggers.js';

const rules = { keywords: [], vipCustomerRefs: [], vipIdentities: [] };

describe('handoff triggers', () => {
  it.each([
    ['This is a SCAM, I want my money back!!!', 'en'],
    ['¡Esto es una estafa, estoy harto!', 'es'],
    ['太差了，我要投诉你们！', 'zh'],
    ['Das ist eine Frechheit, ich bin wütend', 'de'],
    ['C’est inacceptable, je suis furieux', 'fr'],
    ['Isso é um absurdo, péssimo atendimento', 'pt'],
    ['最悪です。ふざけるな', 'ja'],
    ['진짜 최악이에요 짜증나', 'ko'],
    ['Это безобразие, вы мошенники', 'ru'],
    ['هذا نصب و احتيال', 'ar'],
    ['Saya sangat marah, ini penipuan', 'id'],
    ['โกรธมาก ห่วยแตก', 'th'],
    ['Tôi rất tức giận, lừa đảo', 'vi'],
    ['Bu tam bir rezalet, dolandırıcı', 'tr'],
    ['هذا سخيف، أريد استرداد أموالي الآن', 'ar'],
    ['خصمتوا المبلغ مرتين، ايش هالمهزلة؟؟؟', 'ar'],
    ['什麼爛客服，一直沒人回', 'zh-TW'],
    ['你們根本是騙子', 'zh-TW'],
    ['很生氣，我要退錢', 'zh-TW'],
    ['dolandırıcılık yapıyorsunuz', 'tr'],
    ['shop lua dao', 'vi'],
  ])('hands an upset shopper to a person: %s (%s)', (text) => {
    expect(evaluateTriggers({ text }, rules)).toEqual({ reason: 'emotion' });
  });

  it('leaves calm questions with the bot, and counts shouting and repeated complaints', () => {
    expect(evaluateTriggers({ text: 'How long does shipping to Germany take?' }, rules)).toBeUndefined();
    expect(emotionSignals('WHERE IS MY PARCEL').caps).toBe(true);
    expect(upsetScore(emotionSignals('WHERE IS MY PARCEL???'))).toBe(2);
    expect(evaluateTriggers({ text: 'My order still not here' }, rules)).toBeUndefined();
    expect(evaluateTriggers({ text: 'My order still not here', recentUpset: [1] }, rules)).toEqual({ reason: 'repeated_complaint' });
    expect(evaluateTriggers({ text: 'This is terrible!!!' }, rules, false)).toBeUndefined();
  });

  it('leaves ordinary questions that merely touch a lexicon word with the bot', () => {
    for (const text of [
      'my parcel arrived damaged, what do I do?',
      'kiện hàng của tôi đang ở đâu vậy', // kiện hàng: a parcel, not a lawsuit
      '사기 전에 사이즈 문의드려요', // 사기 전에: before buying, not fraud
      '고소한 맛 있나요?', // 고소한: nutty, not suing
      '最低注文金額はいくらですか', // 最低: minimum, not "the worst"
      'will this upset my dog’s stomach?',
    ]) {
      expect(evaluateTriggers({ text }, rules), text).toBeUndefined();
    }
    expect(upsetScore(emotionSignals('my parcel arrived damaged, what do I do?'))).toBe(1);
  });

  it('reads Traditional Chinese as Simplified, Arabic in any spelling, words without accents, stems and proclitics', () => {
    expect(emotionSignals('氣死我了').anger).toBe(emotionSignals('气死我了').anger);
    expect(emotionSignals('انا غاضبه').anger).toBe(1);
    expect(emotionSignals('الطلب وصل مكسور ومحد رد').complaint).toBe(2);
    expect(emotionSignals('pesimo servicio').anger).toBe(1); // pésim*, typed without its accent
    expect(emotionSignals('rezillik').anger).toBe(1);
    expect(emotionSignals('rezilim değil').anger).toBe(1);
    expect(emotionSignals('ужасный сервис').anger).toBe(1);
    expect(emotionSignals('最悪です。ふざけるな').anger).toBe(2); // Japanese kanji stay as written
  });

  it('finds lexicon words as their case-insensitive patterns do: any case, whole words, beside emoji', () => {
    expect(emotionSignals('ЭТО БЕЗОБРАЗИЕ')).toMatchObject({ anger: 1, caps: true });
    expect(emotionSignals('😡😡 ARNAQUE 😡😡')).toMatchObject({ anger: 1, caps: true });
    expect(emotionSignals('«arnaque»😡').anger).toBe(1);
    expect(emotionSignals('ſcam').anger).toBe(1); // long s is s to an `iu` pattern
    expect(emotionSignals('scammer').anger).toBe(0);
    expect(emotionSignals('最悪最悪').anger).toBe(1);
    expect(emotionSignals('Furioso').anger).toBe(2); // listed for Spanish and Portuguese
    expect(emotionSignals('NEVER ARRIVED, still not here').complaint).toBe(2);
  });

  it('applies operator rules: keywords, VIP shoppers, big orders', () => {
    const r = { keywords: ['refund', '退款'], vipCustomerRefs: ['C-1'], vipIdentities: ['telegram:42'], orderValueAbove: 500 };
    expect(evaluateTriggers({ text: 'Quiero un reembolso', workingText: 'I want a refund' }, r)).toEqual({ reason: 'keyword:refund' });
    expect(evaluateTriggers({ text: '我要退款' }, r)).toEqual({ reason: 'keyword:退款' });
    expect(evaluateTriggers({ text: 'hi', customerRef: 'C-1' }, r)).toEqual({ reason: 'vip' });
    expect(evaluateTriggers({ text: 'hi', identities: ['telegram:42'] }, r)).toEqual({ reason: 'vip' });
    expect(evaluateTriggers({ text: 'PS-100234?', orderTotals: [899] }, r)).toEqual({ reason: 'order_value' });
    expect(evaluateTriggers({ text: 'PS-100234?', orderTotals: [99] }, r)).toBeUndefined();
  });

  it('hands off after three unsure answers in a row; a confident answer resets the streak', () => {
    let streak = 0;
    const results = [0.2, 0.3, 0.9, 0.1, 0.2, 0.4].map((c) => {
      const r = lowConfidence(streak, c, 0.55, 3);
      streak = r.streak;
      return r.handoff;
    });
    expect(results).toEqual([false, false, false, false, false, true]);
  });

  it('recognises a cancel in several languages', () => {
    for (const text of ['cancel', 'Cancelar', '取消', 'annuler!', 'キャンセル']) expect(isCancel(text)).toBe(true);
    expect(isCancel('cancel my order PS-100234')).toBe(false);
  });
});
