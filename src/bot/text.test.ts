import { describe, expect, it } from 'vitest';
import { fold, words } from './text.js';

/** Deterministic pseudo-random strings over an alphabet, so a failure can be replayed. */
function randomStrings(alphabet: string, count: number, seed = 11): string[] {
  let state = seed;
  const random = (n: number): number => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % n;
  };
  return Array.from({ length: count }, () => {
    let text = '';
    for (let n = 1 + random(14); n > 0; n -= 1) text += alphabet[random(alphabet.length)];
    return text;
  });
}

const PRINTABLE_ASCII = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('') + '\t\n\r\v\f';
/** Letters, digits and the separators that may join them, so joins actually get tested. */
const JOINERS = "ab1'.,;:  -x9Z";

describe('fold', () => {
  it('lower-cases and strips diacritics', () => {
    expect(fold('Café ÉTÉ')).toBe('cafe ete');
    expect(fold('ＰａｙＰａｌ')).toBe('paypal');
    expect(fold('don’t')).toBe("don't");
  });

  it('takes the plain-ASCII shortcut without changing the result', () => {
    const slow = (text: string) =>
      text
        .normalize('NFKC')
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .normalize('NFC')
        .toLowerCase();
    for (const text of randomStrings(PRINTABLE_ASCII, 2000)) expect(fold(text)).toBe(slow(text));
  });
});

describe('words', () => {
  /** words() as it was: every text through Intl.Segmenter. */
  const segmenter = new Intl.Segmenter('und', { granularity: 'word' });
  const segmented = (text: string): string[] =>
    [...segmenter.segment(fold(text))]
      .filter((s) => s.isWordLike)
      .map((s) =>
        s.segment
          .replace(/^(?:qu|[cdjlmnst])'(?=\p{L}{2})/u, '')
          .replace(/'s$/, '')
          .replace(/'/g, ''),
      )
      .filter(Boolean);

  it('splits like the word segmenter, elisions and contractions included', () => {
    expect(words("What's the price? e.g. €3.95, 17:00 or 1,000 l'eau don't")).toEqual([
      'what',
      'the',
      'price',
      'e.g',
      '3.95',
      '17',
      '00',
      'or',
      '1,000',
      'eau',
      'dont',
    ]);
    expect(words('退货需要多久')).toEqual(segmented('退货需要多久'));
  });

  it.each([
    ['printable ASCII', PRINTABLE_ASCII],
    ['letters, digits and joiners', JOINERS],
    ['ASCII with underscores', `${JOINERS}_`],
  ])('splits plain ASCII exactly as Intl.Segmenter does: %s', (_name, alphabet) => {
    for (const text of randomStrings(alphabet, 5000)) expect(words(text), JSON.stringify(text)).toEqual(segmented(text));
  });
});
