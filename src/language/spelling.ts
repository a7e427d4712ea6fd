/**
 * How shoppers may type a word other than the dictionary spelling, for the lexicons and search
 * that match words: without accents, and with Arabic letter variants unified.
 */

/**
 * The usual Arabic normalisation for matching, shared by search, the handoff lexicons and the
 * language-request lexicon: no diacritics or tatweel; alef forms, alef maqsura, teh marbuta and
 * hamza seats unified, so "إرجاع" and "ارجاع", "مجاني" and "مجانى" are one word.
 */
export const ARABIC_FOLDED = /[\u0622\u0623\u0625\u0671\u0629\u0649\u0624\u0626\u0640]|[\u064b-\u065f\u0670]/gu;

const PLAIN: Readonly<Record<string, string>> = {
  '\u0622': 'ا',
  '\u0623': 'ا',
  '\u0625': 'ا',
  '\u0671': 'ا',
  '\u0629': 'ه',
  '\u0649': 'ي',
  '\u0624': 'و',
  '\u0626': 'ي',
};

/**
 * Arabic text folded for matching (letters outside Arabic are left alone).
 *
 * @example
 * ```ts
 * foldArabic('إرجاعُ المنتجات'); // 'ارجاع المنتجات'
 * ```
 */
export function foldArabic(text: string): string {
  return text.replace(ARABIC_FOLDED, (c) => PLAIN[c] ?? '');
}

/**
 * A Latin word as shoppers type it without accents: "pésimo" -> "pesimo", "lừa đảo" -> "lua dao",
 * "kızgın" -> "kizgin".
 */
function unaccented(word: string): string {
  return word
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ı/g, 'i')
    .replace(/đ/g, 'd')
    .normalize('NFC');
}

const LATIN = /\p{Script=Latin}/u;

/**
 * A word as it may also be typed: Latin also without accents ("inglés" -> "ingles"), Arabic
 * letters folded; other scripts as they are.
 *
 * @example
 * ```ts
 * spellings('inglés'); // ['inglés', 'ingles']
 * ```
 */
export function spellings(word: string): string[] {
  if (!LATIN.test(word)) return [foldArabic(word)];
  const bare = unaccented(word);
  return bare === word ? [word] : [word, bare];
}
