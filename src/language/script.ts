/**
 * Writing-system census. Most scripts name their language outright (Hangul is Korean, Thai is
 * Thai), so Parley decides those without a statistical model, which is both faster and right on
 * one-word messages where n-gram models guess.
 */

/** A writing system Parley tells apart. */
export type Script =
  | 'Latin'
  | 'Cyrillic'
  | 'Greek'
  | 'Arabic'
  | 'Hebrew'
  | 'Devanagari'
  | 'Bengali'
  | 'Gurmukhi'
  | 'Gujarati'
  | 'Oriya'
  | 'Tamil'
  | 'Telugu'
  | 'Kannada'
  | 'Malayalam'
  | 'Thai'
  | 'Lao'
  | 'Georgian'
  | 'Armenian'
  | 'Ethiopic'
  | 'Hangul'
  | 'Kana'
  | 'Han';

/** Base language codes written in each script (Latin: everything not listed elsewhere). */
const SCRIPT_LANGUAGES: Readonly<Partial<Record<Script, readonly string[]>>> = {
  Cyrillic: ['ru', 'uk', 'bg', 'be', 'sr', 'mk', 'kk', 'ky', 'mn', 'tg'],
  Greek: ['el'],
  Arabic: ['ar', 'fa', 'ur', 'ku', 'ps', 'sd', 'ug'],
  Hebrew: ['he', 'yi'],
  Devanagari: ['hi', 'mr', 'ne', 'sa'],
  Bengali: ['bn', 'as'],
  Gurmukhi: ['pa'],
  Gujarati: ['gu'],
  Oriya: ['or'],
  Tamil: ['ta'],
  Telugu: ['te'],
  Kannada: ['kn'],
  Malayalam: ['ml'],
  Thai: ['th'],
  Lao: ['lo'],
  Georgian: ['ka'],
  Armenian: ['hy'],
  Ethiopic: ['am', 'ti'],
  Hangul: ['ko'],
  Kana: ['ja'],
  Han: ['zh', 'ja'],
};

// [first code point, last code point, script], sorted; letters only (digits and marks excluded).
const RANGES: ReadonlyArray<readonly [number, number, Script]> = [
  [0x41, 0x5a, 'Latin'],
  [0x61, 0x7a, 'Latin'],
  [0xc0, 0xd6, 'Latin'],
  [0xd8, 0xf6, 'Latin'],
  [0xf8, 0x24f, 'Latin'],
  [0x370, 0x3ff, 'Greek'],
  [0x400, 0x52f, 'Cyrillic'],
  [0x531, 0x58f, 'Armenian'],
  [0x5d0, 0x5f2, 'Hebrew'],
  [0x620, 0x64a, 'Arabic'],
  [0x66e, 0x6d3, 'Arabic'],
  [0x6fa, 0x6ff, 'Arabic'],
  [0x750, 0x77f, 'Arabic'],
  [0x900, 0x97f, 'Devanagari'],
  [0x980, 0x9ff, 'Bengali'],
  [0xa00, 0xa7f, 'Gurmukhi'],
  [0xa80, 0xaff, 'Gujarati'],
  [0xb00, 0xb7f, 'Oriya'],
  [0xb80, 0xbff, 'Tamil'],
  [0xc00, 0xc7f, 'Telugu'],
  [0xc80, 0xcff, 'Kannada'],
  [0xd00, 0xd7f, 'Malayalam'],
  [0xe00, 0xe7f, 'Thai'],
  [0xe80, 0xeff, 'Lao'],
  [0x10a0, 0x10ff, 'Georgian'],
  [0x1100, 0x11ff, 'Hangul'],
  [0x1200, 0x139f, 'Ethiopic'],
  [0x1e00, 0x1eff, 'Latin'],
  [0x1f00, 0x1fff, 'Greek'],
  [0x3040, 0x30ff, 'Kana'],
  [0x3130, 0x318f, 'Hangul'],
  [0x31f0, 0x31ff, 'Kana'],
  [0x3400, 0x4dbf, 'Han'],
  [0x4e00, 0x9fff, 'Han'],
  [0xac00, 0xd7af, 'Hangul'],
  [0xf900, 0xfaff, 'Han'],
  [0xfb1d, 0xfb4f, 'Hebrew'],
  [0xfb50, 0xfdff, 'Arabic'],
  [0xfe70, 0xfeff, 'Arabic'],
  [0xff21, 0xff3a, 'Latin'],
  [0xff41, 0xff5a, 'Latin'],
  [0xff66, 0xff9f, 'Kana'],
  [0x20000, 0x2ffff, 'Han'],
];

// Kana or Hangul settle the language even beside many Han characters; one CJK character carries
// about as much as a short Latin word, so a brand name in Latin letters does not outvote it.
const WEIGHT: Partial<Record<Script, number>> = {
  Kana: 50,
  Hangul: 50,
  Han: 3,
};

/** Letter counts per script. */

/** The scripts of RANGES, numbered in order of first listing. */
const SCRIPTS: readonly Script[] = [...new Set(RANGES.map((range) => range[2]))];
const SCRIPT_WEIGHTS = SCRIPTS.map((script) => WEIGHT[script] ?? 1);

/**
 * RANGES unrolled over the Basic Multilingual Plane: index in SCRIPTS + 1 per UTF-16 code unit,
 * 0 for none. Detection classifies every character of every message; one array read is far
 * cheaper than a binary search (64 KB, filled once at load).
 */
const BMP_SCRIPTS = new Uint8Array(0x10000);
for (const [first, last, script] of RANGES) {
  if (first > 0xffff) continue;
  const number = SCRIPTS.indexOf(script) + 1;
  BMP_SCRIPTS.fill(number, first, Math.min(last, 0xffff) + 1);
}

// Scratch space of dominantScriptOf (detection is synchronous): counts per script number, and the
// script numbers in the order the text first shows them.
const scratchCounts = new Int32Array(SCRIPTS.length + 1);
const scratchOrder = new Uint8Array(SCRIPTS.length);

/** The script of one code point, if it is a letter Parley classifies. */
function scriptOf(codePoint: number): Script | undefined {
  let lo = 0;
  let hi = RANGES.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const range = RANGES[mid];
    if (!range) break;
    if (codePoint < range[0]) hi = mid - 1;
    else if (codePoint > range[1]) lo = mid + 1;
    else return range[2];
  }
  return undefined;
}

/**
 * The script that decides the language: the heaviest by weighted letter count, in one pass
 * without allocating (the script the text shows first wins a tie).
 */
export function dominantScriptOf(text: string): Script | undefined {
  let seen = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    let number = BMP_SCRIPTS[unit] ?? 0;
    // A surrogate pair is one code point beyond the BMP; a lone surrogate is no letter.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        i++;
        const codePoint = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
        const script = scriptOf(codePoint);
        number = script ? SCRIPTS.indexOf(script) + 1 : 0;
      }
    }
    if (number === 0) continue;
    if (scratchCounts[number] === 0) scratchOrder[seen++] = number;
    scratchCounts[number] = (scratchCounts[number] ?? 0) + 1;
  }
  let best = 0;
  let bestWeight = 0;
  for (let k = 0; k < seen; k++) {
    const number = scratchOrder[k] ?? 0;
    const weight = (scratchCounts[number] ?? 0) * (SCRIPT_WEIGHTS[number - 1] ?? 1);
    scratchCounts[number] = 0;
    if (weight > bestWeight) {
      best = number;
      bestWeight = weight;
    }
  }
  return best === 0 ? undefined : SCRIPTS[best - 1];
}

const NON_LATIN = new Set(Object.values(SCRIPT_LANGUAGES).flat());

/** Languages (base codes) that may be written in a script. */
export function languagesOfScript(script: Script, configured: readonly string[]): string[] {
  const listed = SCRIPT_LANGUAGES[script];
  if (listed) return configured.filter((code) => listed.includes(code));
  return configured.filter((code) => !NON_LATIN.has(code));
}

/** Letters only Persian, only Urdu or only Arabic spelling uses. */
const ARABIC_SCRIPT_MARKERS: Readonly<Record<string, RegExp>> = {
  fa: /[پچژگکی]/gu,
  ur: /[ٹڈڑںےھۓ]/gu,
  ar: /[ةىيك]/gu,
};

/** Letters, and common words spelled without them, that only Ukrainian or only Russian uses. */
const CYRILLIC_MARKERS: Readonly<Record<string, RegExp>> = {
  uk: wordsOrLetters('іїєґ', 'як що це вона вони його де коли мене дуже треба чому тут зараз будь ласка дякую або але добре хто вже ще та цей ця чи'),
  ru: wordsOrLetters(
    'ыэъё',
    'мне как что это он она они его где когда меня очень нужно почему сколько здесь сейчас нет пожалуйста спасибо только или но хорошо кто уже еще тебя себя был была',
  ),
  be: wordsOrLetters('ў', ''),
};

function wordsOrLetters(letters: string, words: string): RegExp {
  const alternatives = [`[${letters}]`, ...(words ? [`(?<!\\p{L})(?:${words.split(' ').join('|')})(?!\\p{L})`] : [])];
  return new RegExp(alternatives.join('|'), 'giu');
}

/**
 * Picks among same-script candidates by letters only one of them uses; undefined when the text
 * has no such letter or shows two candidates equally.
 */
export function markerLanguage(script: Script, text: string, candidates: readonly string[]): string | undefined {
  const markers = script === 'Arabic' ? ARABIC_SCRIPT_MARKERS : script === 'Cyrillic' ? CYRILLIC_MARKERS : undefined;
  // A candidate without markers (Bulgarian, Kurdish ...) could own any of them: no shortcut.
  if (!markers || !candidates.every((code) => markers[code])) return undefined;
  let best: string | undefined;
  let bestCount = 0;
  let tie = false;
  for (const code of candidates) {
    const marker = markers[code];
    const count = marker ? (text.match(marker) ?? []).length : 0;
    if (count > bestCount) [best, bestCount, tie] = [code, count, false];
    else if (count > 0 && count === bestCount) tie = true;
  }
  return tie ? undefined : best;
}
