/**
 * Text basics shared by retrieval and intent detection: folding and word segmentation, with
 * a fast path for plain ASCII. Language-aware analysis for retrieval is in ./knowledge/analyze.ts.
 */

// 'und' keeps the segmenter language-neutral: ICU still applies its CJK dictionary to Han and
// kana runs, so Chinese and Japanese without spaces split into words.
const segmenter = new Intl.Segmenter('und', { granularity: 'word' });

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
/** Only ASCII: no UTF-16 unit from U+0080 up. */
const ASCII = /^[^\u0080-\uffff]*$/;

/** Whether a term is written in a CJK script (no fuzzy matching, prefixes from one char). */
export function isCjk(term: string): boolean {
  return CJK.test(term);
}

/**
 * Lower-cases and strips Latin diacritics ("Café" -> "cafe"). Only U+0300–U+036F is removed,
 * so kana voicing marks and Hangul, which NFD also decomposes, come back intact with NFC.
 * NFKC first turns full-width letters (ＰａｙＰａｌ) into ASCII.
 */
export function fold(text: string): string {
  // Plain ASCII has nothing to normalise or strip: the common case, and three ICU calls cheaper.
  if (ASCII.test(text)) return text.toLowerCase();
  return text
    .normalize('NFKC')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc]/g, "'");
}

/**
 * The folded words of a text, in order, without punctuation or spaces. Elisions and
 * contractions lose their apostrophe ("what's" -> "what", "l'eau" -> "eau", "don't" -> "dont")
 * so stop words can be written without them.
 */
export function words(text: string): string[] {
  const folded = fold(text);
  const out: string[] = [];
  for (const segment of asciiWords(folded) ?? segmentWords(folded)) {
    // Only a word with an apostrophe has anything to strip; most have none.
    const word = segment.includes("'") ? stripApostrophes(segment) : segment;
    if (word) out.push(word);
  }
  return out;
}

/** "l'eau" -> "eau", "what's" -> "what", "don't" -> "dont". */
export function stripApostrophes(word: string): string {
  return word
    .replace(/^(?:qu|[cdjlmnst])'(?=\p{L}{2})/u, '')
    .replace(/'s$/, '')
    .replace(/'/g, '');
}

/** The word-like segments of a text, by the segmenter. */
function segmentWords(text: string): string[] {
  const out: string[] = [];
  for (const { segment, isWordLike } of segmenter.segment(text)) if (isWordLike) out.push(segment);
  return out;
}

/** Word-break classes (UAX #29) of the ASCII characters, as far as words are concerned. */
const enum Ascii {
  Other,
  Letter,
  Digit,
  /** Joins letters: `:` (MidLetter), `.` and `'` (MidNumLet, Single_Quote). */
  MidLetter,
  /** Joins digits: `,` and `;` (MidNum). */
  MidNum,
  /** Joins both letters and digits: `.` and `'`. */
  MidBoth,
}

/** Word-break classes of the ASCII characters, by char code (UAX #29, as ICU applies it). */
const ASCII_CLASS: readonly Ascii[] = Array.from({ length: 128 }, (_, code) => {
  const char = String.fromCharCode(code);
  if (/[a-z]/i.test(char)) return Ascii.Letter;
  if (/[0-9]/.test(char)) return Ascii.Digit;
  if (char === ':') return Ascii.MidLetter;
  if (char === ',' || char === ';') return Ascii.MidNum;
  if (char === '.' || char === "'") return Ascii.MidBoth;
  return Ascii.Other;
});

const UNDERSCORE = '_'.charCodeAt(0);

/**
 * The word-like segments of a plain-ASCII text, exactly as {@link segmenter} finds them but
 * without its cost, which was most of the time spent analysing an English question: letters
 * and digits run together, `:` `.` `'` join letter to letter ("e.g", "don't"), `,` `;` `.`
 * `'` join digit to digit ("3.95", "1,000"), and everything else separates. `undefined` for
 * other text, and for `_` (which ICU treats in ways not worth copying), so the segmenter
 * handles them; text.test.ts checks the two agree.
 */
function asciiWords(text: string): string[] | undefined {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code > 127 || code === UNDERSCORE) return undefined;
    const kind = ASCII_CLASS[code] as Ascii;
    if (kind === Ascii.Letter || kind === Ascii.Digit) {
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0 && kind !== Ascii.Other && joins(text, i, kind)) {
      i += 1;
      continue;
    }
    if (start >= 0) out.push(text.slice(start, i));
    start = -1;
  }
  if (start >= 0) out.push(text.slice(start));
  return out;
}

/** Whether the separator at `i` sits between two letters or two digits it may join. */
function joins(text: string, i: number, kind: Ascii): boolean {
  const before = ASCII_CLASS[text.charCodeAt(i - 1)];
  const after = ASCII_CLASS[text.charCodeAt(i + 1)];
  if (before !== after) return false;
  if (before === Ascii.Letter) return kind === Ascii.MidLetter || kind === Ascii.MidBoth;
  return before === Ascii.Digit && (kind === Ascii.MidNum || kind === Ascii.MidBoth);
}
