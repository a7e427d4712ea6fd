/** Folding for retrieval: how a question and the knowledge base are made comparable. */
import { simplified } from '../../language/han.js';
import { foldArabic } from '../../language/spelling.js';

/** Only ASCII: no UTF-16 unit from U+0080 up. */
export const ASCII = /^[^\u0080-\uffff]*$/;

/**
 * Folds text the way retrieval compares it: NFKC (full-width letters and digits), lower case,
 * Latin and Cyrillic diacritics dropped (shoppers often type without them; Vietnamese đ too),
 * Arabic letter variants unified, Traditional Chinese read as Simplified (OpenCC).
 */
export function foldFor(language: string, text: string): string {
  const base = primary(language);
  let out = ASCII.test(text) ? text.toLowerCase() : text.normalize('NFKC').toLowerCase();
  if (ASCII.test(out)) return out;
  if (base === 'zh') out = simplified(out);
  if (base === 'ar' || /[\u0600-\u06ff]/.test(out)) out = foldArabic(out);
  return out
    .replace(/ı/g, 'i')
    .replace(/ß/g, 'ss')
    .replace(/đ/g, 'd')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFC')
    .replace(/[\u2018\u2019\u02bc]/g, "'");
}

/** The primary language subtag: `pt` of `pt-BR`. */
export function primary(language: string): string {
  return language.split(/[-_]/)[0]?.toLowerCase() ?? language.toLowerCase();
}
