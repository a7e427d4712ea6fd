/**
 * What in a message says nothing about its language: order numbers, URLs, e-mails, digits, emoji,
 * and the handful of words shoppers type in every language ("ok", "thanks", "谢谢", "👍").
 * Such messages must not move a conversation out of the language it is in.
 */

// URLs, e-mails, @handles, and ASCII codes containing a digit (#A1234, PO-88812, 2:30, 15kg);
// codes are matched on ASCII only because CJK text has no spaces to end a token.
const NOISE = /(?:https?:\/\/|www\.)[\x21-\x7e]+|[\w.+-]+@[\w-]+\.[\w.-]+|@\w+|[#\w./:-]*\d[#\w./:-]*/giu;
// What every NOISE match contains (`://`, `www.`, `@` or a digit): most messages have none of it
// and skip the replacement.
const MAY_BE_NOISE = /[0-9@]|:\/\/|www\./i;
// A word: a run of letters, marks and apostrophes; anything else separates words.
const WORD = /[\p{L}\p{M}'’]+/gu;

/** Said the same way whatever the shopper's language; tells nothing even without context. */
const UNIVERSAL = new Set([
  'ok',
  'okay',
  'okey',
  'oke',
  'okie',
  'k',
  'kk',
  'lol',
  'haha',
  'hahaha',
  'hehe',
  'wow',
  'hm',
  'hmm',
  'xd',
  'omg',
  'emm',
  'ah',
  'oh',
]);

/** Short acknowledgements: language-specific, but too thin to switch a conversation. */
const ACKNOWLEDGEMENTS = new Set([
  ...UNIVERSAL,
  'yes',
  'yep',
  'yeah',
  'no',
  'nope',
  'thanks',
  'thank',
  'you',
  'thx',
  'ty',
  'tks',
  'tq',
  'please',
  'pls',
  'hi',
  'hello',
  'hey',
  'bye',
  'sure',
  'fine',
  'good',
  'great',
  'cool',
  'nice',
  'done',
  'si',
  'sí',
  'gracias',
  'vale',
  'hola',
  'oui',
  'non',
  'merci',
  'ja',
  'nein',
  'danke',
  'grazie',
  'ciao',
  'obrigado',
  'obrigada',
  'sim',
  'não',
  'nao',
  'da',
  'да',
  'нет',
  'спасибо',
  'дякую',
  'так',
  'ні',
  'evet',
  'hayır',
  'teşekkürler',
  'dank',
  'dankjewel',
  'bedankt',
  'tak',
  'dziękuję',
  'dzięki',
  'nie',
  'terima',
  'kasih',
  'makasih',
  'ya',
  'tidak',
  'baik',
  'cảm',
  'ơn',
  'vâng',
  'không',
  'شكرا',
  'شكراً',
  'نعم',
  'لا',
  'תודה',
  'כן',
  'לא',
  'مرسی',
  'ممنون',
  'بله',
  'धन्यवाद',
  'हाँ',
  'ขอบคุณ',
  'ครับ',
  'ค่ะ',
  '谢谢',
  '謝謝',
  '好',
  '好的',
  '嗯',
  '哦',
  '是',
  '是的',
  '对',
  '對',
  '行',
  '可以',
  'ありがとう',
  'はい',
  'いいえ',
  'どうも',
  '네',
  '예',
  '감사합니다',
  '고마워요',
  '아니요',
]);

/** The message without noise, and its words. */
export interface Cleaned {
  /** Codes, URLs and e-mails removed; punctuation kept, as the n-gram model expects it. */
  readonly text: string;
  /** Letter-only words. */
  readonly words: readonly string[];
}

/**
 * Removes what carries no language.
 *
 * @example
 * ```ts
 * clean('Order #A1234 👍 https://shop.test/o/1').words; // ['Order']
 * ```
 */
export function clean(text: string): Cleaned {
  const denoised = MAY_BE_NOISE.test(text) ? text.replace(NOISE, ' ') : text;
  return {
    text: denoised.trim(),
    // One pass over the text, the same words as blanking non-letters and splitting on spaces.
    words: denoised.match(WORD) ?? [],
  };
}

/** No letters at all, or only words every language uses ("ok", "lol"). */
export function isLanguageless(cleaned: Cleaned): boolean {
  return cleaned.words.every((word) => UNIVERSAL.has(word.toLowerCase()));
}

/** Too thin to switch a conversation's language: noise plus acknowledgements only. */
export function isAmbiguous(cleaned: Cleaned): boolean {
  return cleaned.words.every((word) => ACKNOWLEDGEMENTS.has(word.toLowerCase()));
}
