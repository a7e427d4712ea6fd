/**
 * Numbers written as words ("ninety days", "vingt pour cent", "dua puluh persen", "zwanzig
 * Prozent") read as digits, so a spelled-out "90-day return" is the same claim as "90 days".
 * The word forms come from `written-number` (en, es, pt, fr, it, vi, tr, ru, id, ar); German,
 * Dutch, Korean and Thai compose theirs from a table of units and tens below. Chinese and
 * Japanese numerals are read by `nzh` (quantities.ts). 0 and 1 are left alone: "a", "un",
 * "one" are articles and pronouns as often as numbers.
 */
import writtenNumber from 'written-number';

const WRITTEN: Readonly<Record<string, string>> = { en: 'en', es: 'es', pt: 'pt', fr: 'fr', it: 'it', vi: 'vi', tr: 'tr', ru: 'ru', id: 'id', ar: 'ar' };

/** Units and tens of the languages `written-number` lacks, and how they join (tens × 10 + unit). */
const COMPOSED: Readonly<Record<string, { units: string[]; tens: string[]; join: (unit: string, ten: string) => string[]; hundred: string }>> = {
  de: {
    units: [
      '',
      'ein',
      'zwei',
      'drei',
      'vier',
      'fünf',
      'sechs',
      'sieben',
      'acht',
      'neun',
      'zehn',
      'elf',
      'zwölf',
      'dreizehn',
      'vierzehn',
      'fünfzehn',
      'sechzehn',
      'siebzehn',
      'achtzehn',
      'neunzehn',
    ],
    tens: ['', '', 'zwanzig', 'dreißig', 'vierzig', 'fünfzig', 'sechzig', 'siebzig', 'achtzig', 'neunzig'],
    join: (unit, ten) => [`${unit}und${ten}`],
    hundred: 'hundert',
  },
  nl: {
    units: [
      '',
      'een',
      'twee',
      'drie',
      'vier',
      'vijf',
      'zes',
      'zeven',
      'acht',
      'negen',
      'tien',
      'elf',
      'twaalf',
      'dertien',
      'veertien',
      'vijftien',
      'zestien',
      'zeventien',
      'achttien',
      'negentien',
    ],
    tens: ['', '', 'twintig', 'dertig', 'veertig', 'vijftig', 'zestig', 'zeventig', 'tachtig', 'negentig'],
    join: (unit, ten) => [`${unit}en${ten}`, `${unit}ën${ten}`],
    hundred: 'honderd',
  },
  ko: {
    units: ['', '일', '이', '삼', '사', '오', '육', '칠', '팔', '구', '십', '십일', '십이', '십삼', '십사', '십오', '십육', '십칠', '십팔', '십구'],
    tens: ['', '', '이십', '삼십', '사십', '오십', '육십', '칠십', '팔십', '구십'],
    join: (unit, ten) => [`${ten}${unit}`],
    hundred: '백',
  },
  th: {
    units: ['', 'หนึ่ง', 'สอง', 'สาม', 'สี่', 'ห้า', 'หก', 'เจ็ด', 'แปด', 'เก้า', 'สิบ', 'สิบเอ็ด', 'สิบสอง', 'สิบสาม', 'สิบสี่', 'สิบห้า', 'สิบหก', 'สิบเจ็ด', 'สิบแปด', 'สิบเก้า'],
    tens: ['', '', 'ยี่สิบ', 'สามสิบ', 'สี่สิบ', 'ห้าสิบ', 'หกสิบ', 'เจ็ดสิบ', 'แปดสิบ', 'เก้าสิบ'],
    join: (unit, ten) => [`${ten}${unit === 'หนึ่ง' ? 'เอ็ด' : unit}`],
    hundred: 'ร้อย',
  },
};

/** Korean and Thai numbers join the words around them: read inside words, like CJK. */
const INSIDE_WORDS = new Set(['ko', 'th']);

function forms(language: string): Map<string, number> {
  const out = new Map<string, number>();
  const add = (word: string, n: number) => {
    const key = word.toLowerCase().normalize('NFC').trim();
    if (key && !out.has(key)) out.set(key, n);
  };
  const lang = WRITTEN[language];
  if (lang) {
    for (let n = 2; n <= 100; n++) {
      const word = writtenNumber(n, { lang });
      // French "cent" is also the "cent" of "pour cent".
      if (language === 'fr' && n === 100) continue;
      add(word, n);
      // "quatre-vingt-dix" / "quatre vingt dix", "thirty-five" / "thirty five".
      if (word.includes('-')) add(word.replace(/-/g, ' '), n);
    }
    for (const n of [200, 300, 365, 500, 1000]) add(writtenNumber(n, { lang }), n);
    return out;
  }
  const table = COMPOSED[language];
  if (!table) return out;
  // Inside words, a lone unit is a syllable of other words (Korean 이 in 이내, Thai สาม in สามารถ):
  // only tens and their compounds count there, and not those ending in 1 (Korean 구십일 is "90 days").
  const inside = INSIDE_WORDS.has(language);
  for (let n = inside ? 12 : 2; n < 20; n++) add(table.units[n] as string, n);
  if (language === 'de') add('eins', 1);
  for (let t = 2; t <= 9; t++) {
    add(table.tens[t] as string, t * 10);
    for (let u = inside ? 2 : 1; u <= 9; u++) for (const word of table.join(table.units[u] as string, table.tens[t] as string)) add(word, t * 10 + u);
  }
  add(table.hundred, 100);
  return out;
}

const patterns = new Map<string, { re: RegExp; values: Map<string, number> } | null>();

function pattern(language: string): { re: RegExp; values: Map<string, number> } | null {
  const primary = language.split('-')[0]?.toLowerCase() ?? '';
  let p = patterns.get(primary);
  if (p === undefined) {
    const values = forms(primary);
    if (values.size === 0) p = null;
    else {
      const alternatives = [...values.keys()].sort((a, b) => b.length - a.length).map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      const body = `(?:${alternatives.join('|')})`;
      p = { re: new RegExp(INSIDE_WORDS.has(primary) ? body : `(?<![\\p{L}])${body}(?![\\p{L}])`, 'giu'), values };
    }
    patterns.set(primary, p);
  }
  return p;
}

/**
 * `text` with the numbers of `language` written as words replaced by digits.
 *
 * @example
 * ```ts
 * numberWordsToDigits('returns within ninety days', 'en'); // 'returns within 90 days'
 * numberWordsToDigits('vingt pour cent de remise', 'fr');   // '20 pour cent de remise'
 * ```
 */
export function numberWordsToDigits(text: string, language: string): string {
  const p = pattern(language);
  if (!p) return text;
  return text.replace(p.re, (word) => String(p.values.get(word.toLowerCase().normalize('NFC')) ?? word));
}
