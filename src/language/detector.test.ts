import { describe, expect, it } from 'vitest';
import { createLanguageDetector } from './detector.js';
import { hanTables } from './han.js';
import { malayEvidence } from './malay.js';

const detector = createLanguageDetector({
  languages: ['en', 'es', 'pt', 'fr', 'de', 'zh-CN', 'zh-TW', 'ja', 'ko', 'ar', 'fa', 'he', 'hi', 'th', 'el', 'ru', 'uk', 'id', 'ms'],
  defaultLanguage: 'en',
});
const lang = (text: string, ctx?: Parameters<typeof detector.detect>[1]) => detector.detect(text, ctx).language;

describe('precedence', () => {
  it('puts the explicit choice above everything', () => {
    expect(detector.detect('/lang fr', { explicit: 'es', sticky: 'en' })).toMatchObject({ language: 'es', source: 'explicit' });
  });

  it('puts a request in the text above sticky and the text itself', () => {
    expect(detector.detect('/lang es', { sticky: 'en' })).toMatchObject({
      language: 'es',
      source: 'command',
    });
    expect(detector.detect('English please', { sticky: 'es' })).toMatchObject({
      language: 'en',
      source: 'command',
    });
    expect(detector.detect('en español por favor', { sticky: 'en' })).toMatchObject({ language: 'es', source: 'command' });
    expect(detector.detect('请说中文', { sticky: 'en' })).toMatchObject({
      language: 'zh-CN',
      source: 'command',
    });
    expect(detector.detect('日本語でお願いします')).toMatchObject({
      language: 'ja',
      source: 'command',
    });
    expect(lang('/lang zh-TW')).toBe('zh-TW');
  });

  it('does not mistake a sentence about a language for a request', () => {
    expect(detector.detect('说英语很有用。').language).toBe('zh-CN');
    expect(detector.detect('My son is learning English at school').source).toBe('text');
  });

  it('ignores requests and explicit choices for languages the shop does not offer', () => {
    expect(detector.detect('/lang sv', { sticky: 'de' })).toMatchObject({
      language: 'de',
      source: 'sticky',
    });
    expect(detector.detect('ok', { explicit: 'sv', hints: { locale: 'pt-BR' } })).toMatchObject({ language: 'pt', source: 'hint' });
  });

  it('falls back to the locale hint, then the phone country, then the default', () => {
    expect(detector.detect('👍', { hints: { locale: 'es-MX' } })).toMatchObject({ language: 'es', source: 'hint' });
    expect(detector.detect('#A1234', { hints: { country: 'TW' } })).toMatchObject({ language: 'zh-TW', source: 'hint' });
    expect(detector.detect('12345')).toMatchObject({
      language: 'en',
      source: 'default',
    });
  });
});

describe('sticky conversation language', () => {
  it.each(['ok', '👍', '谢谢', 'thanks', 'ok gracias', '#A1234', 'PO-88812', 'https://shop.example/orders/42', '2024', '🙏🙏'])(
    'keeps Spanish for %j',
    (text) => {
      expect(detector.detect(text, { sticky: 'es' })).toMatchObject({
        language: 'es',
        source: 'sticky',
      });
    },
  );

  it('flips on a clear sentence in another language', () => {
    expect(detector.detect('Where is my parcel? It was supposed to arrive yesterday.', { sticky: 'es' })).toMatchObject({ language: 'en', source: 'text' });
    expect(detector.detect('我想退货', { sticky: 'es' })).toMatchObject({
      language: 'zh-CN',
      source: 'script',
    });
  });

  it('does not flip on a single same-script word', () => {
    expect(lang('Refund', { sticky: 'es' })).toBe('es');
  });

  it('keeps the conversation when Indonesian and Malay cannot be told apart', () => {
    expect(lang('Dia tinggal di Jakarta.', { sticky: 'ms' })).toBe('ms');
    expect(lang('Dia tinggal di Jakarta.', { sticky: 'id' })).toBe('id');
  });
});

describe('script decisions', () => {
  it.each([
    ['안녕하세요, 주문 확인 부탁드립니다', 'ko'],
    ['注文はいつ届きますか', 'ja'],
    ['สั่งซื้อเมื่อไหร่จะมาถึง', 'th'],
    ['מתי תגיע ההזמנה שלי?', 'he'],
    ['मेरा ऑर्डर कब आएगा?', 'hi'],
    ['Πότε θα φτάσει η παραγγελία μου;', 'el'],
    ['متى سيصل طلبي؟', 'ar'],
    ['سفارش من کی می‌رسد؟', 'fa'],
    ['Коли прийде моє замовлення?', 'uk'],
    ['Когда придёт мой заказ?', 'ru'],
  ])('%s -> %s', (text, expected) => {
    expect(detector.detect(text)).toMatchObject({
      language: expected,
      source: 'script',
    });
  });

  it('reads two Han characters as Chinese, not Japanese', () => {
    expect(lang('退货')).toBe('zh-CN');
  });

  it('tells Simplified from Traditional Chinese', () => {
    expect(lang('我想退货')).toBe('zh-CN');
    expect(lang('我想退貨，請問怎麼辦')).toBe('zh-TW');
    expect(lang('這個多少錢')).toBe('zh-TW');
    expect(lang('这个多少钱')).toBe('zh-CN');
  });

  it('keeps the conversation variant when the text reads the same in both scripts', () => {
    expect(lang('我想要一个大的', { sticky: 'zh-TW' })).toBe('zh-CN');
    expect(lang('我想要大的', { sticky: 'zh-TW' })).toBe('zh-TW');
    expect(lang('我想要大的', { hints: { locale: 'zh-HK' } })).toBe('zh-TW');
  });

  it('returns plain zh when only zh is configured', () => {
    const zhOnly = createLanguageDetector({
      languages: ['en', 'zh'],
      defaultLanguage: 'en',
    });
    expect(zhOnly.detect('我想退貨').language).toBe('zh');
  });

  it('keeps its character tables disjoint', () => {
    for (const ch of hanTables.simplified) expect(hanTables.traditional.has(ch)).toBe(false);
    for (const ch of hanTables.japanese) expect(hanTables.simplified.has(ch) || hanTables.traditional.has(ch)).toBe(false);
  });
});

describe('text detection', () => {
  it.each([
    ['¿Dónde está mi pedido?', 'es'],
    ['Onde está o meu pedido?', 'pt'],
    ['Où est ma commande ?', 'fr'],
    ['Wo ist meine Bestellung?', 'de'],
    ['Where is my order?', 'en'],
  ])('%s -> %s', (text, expected) => {
    expect(detector.detect(text)).toMatchObject({
      language: expected,
      source: 'text',
    });
  });

  it('tells Indonesian from Malay by their own words', () => {
    expect(lang('Saya mau beli mobil baru, bisa kirim ke kantor?')).toBe('id');
    expect(lang('Saya nak beli kereta baru, boleh hantar ke pejabat?')).toBe('ms');
    expect(lang('Kenapa pesanan saya belum sampai? Sudah seminggu nggak ada kabar.')).toBe('id');
    expect(lang('Kenapa pesanan saya belum sampai? Dah seminggu tak ada khabar.')).toBe('ms');
    expect(lang('Penghantaran percuma untuk kedai ini?')).toBe('ms');
    expect(lang('Apakah ongkos kirim gratis untuk toko ini?')).toBe('id');
  });

  it.each([
    // Everyday words and spellings the two standards do not share.
    ['Adakah awak sudah makan tengah hari?', 'ms'],
    ['Apakah kamu sudah makan siang?', 'id'],
    ['Saya tidak sedar bahawa kedai itu sudah tutup.', 'ms'],
    ['Saya tidak sadar bahwa toko itu sudah tutup.', 'id'],
    ['Kualiti barang ini sangat baik.', 'ms'],
    ['Kualitas barang ini sangat baik.', 'id'],
    ['Kami akan bercuti pada bulan Ogos.', 'ms'],
    ['Kami akan berlibur pada bulan Agustus.', 'id'],
    ['Berapakah ansuran bulanan untuk telefon bimbit ini?', 'ms'],
    ['Berapa cicilan per bulan untuk ponsel ini?', 'id'],
    // Verb roots with their affixes: dihantar, menyedari, mengunduh.
    ['Bilakah bungkusan saya akan dihantar?', 'ms'],
    ['Dia tidak menyedari kesilapan itu.', 'ms'],
    ['Saya belum bisa mengunduh aplikasinya.', 'id'],
    // Indonesian capitalises "Anda" mid-sentence; Malay writes "anda".
    ['Sudah berapa lama Anda tinggal di sini?', 'id'],
    ['Sudah berapa lama anda tinggal di sini?', 'ms'],
  ])('Indonesian or Malay: %s -> %s', (text, expected) => {
    expect(lang(text)).toBe(expected);
  });

  it('does not count words both standards use in these senses', () => {
    // Comparative "daripada", "kereta api" (train) and "terima kasih" are common to both.
    expect(malayEvidence('Kucing ini lebih besar daripada anjing itu.')).toBe(0);
    expect(malayEvidence('Kereta api itu sudah berangkat.')).toBe(0);
    expect(malayEvidence('Terima kasih atas bantuannya.')).toBe(0);
    expect(malayEvidence('Saya dapat hadiah ini daripada kawan saya.')).toBeGreaterThan(0);
  });

  it('uses the phone country for Indonesian/Malay text that shows neither', () => {
    expect(lang('Dia tinggal di sana.', { hints: { country: 'MY' } })).toBe('ms');
    expect(lang('Dia tinggal di sana.', { hints: { country: 'ID' } })).toBe('id');
  });

  it('only returns configured tags', () => {
    const small = createLanguageDetector({
      languages: ['en-US', 'es-MX'],
      defaultLanguage: 'en-US',
    });
    expect(small.detect('¿Dónde está mi pedido?').language).toBe('es-MX');
    expect(small.detect('Где мой заказ?').language).toBe('en-US');
  });

  it('stays fast enough for a busy gateway', () => {
    const texts = ['Where is my order?', '¿Dónde está mi pedido?', '我想退货', 'Saya nak beli kereta', 'ok', 'Wo ist meine Bestellung?'];
    for (const text of texts) detector.detect(text);
    const start = performance.now();
    let count = 0;
    while (performance.now() - start < 300) for (const text of texts) count += detector.detect(text) ? 1 : 0;
    // A guard against gross regressions only: test machines are shared and instrumented.
    // `bench/langid.ts` measures the real rate (target: 20,000/s).
    expect(count / ((performance.now() - start) / 1000)).toBeGreaterThan(2_000);
  });
});
