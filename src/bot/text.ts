/**
 * Text analysis shared by retrieval and intent detection: folding, word segmentation, stop
 * words, a light stemmer, phrase rewrites and synonyms. Both sides of a match (the knowledge
 * base and the shopper's question) must go through the same functions, or nothing matches.
 */
import { STOP_WORD_SET } from './stopwords.js';
import { PHRASES, SYNONYM_GROUPS } from './synonyms.js';

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
function stripApostrophes(word: string): string {
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

/** Undoes the consonant doubling of "shipping"/"stopped", but not of "fill" or "pass". */
function undouble(stemmed: string): string {
  return /([b-df-hj-km-np-rtv-y])\1$/.test(stemmed) ? stemmed.slice(0, -1) : stemmed;
}

/**
 * A deliberately light English stemmer (plural -s/-ies, -ing, -ed, final -e). It only has to
 * be consistent, not linguistically right: "shipped", "ships" and "shipping" all become
 * "ship", "returned" becomes "return". Non-ASCII words are left alone.
 */
export function stem(word: string): string {
  if (word.length < 4 || !/^[a-z]+$/.test(word)) return word;
  let s = word;
  if (s.endsWith('ies') && s.length > 4) s = `${s.slice(0, -3)}y`;
  else if (s.endsWith('sses')) s = s.slice(0, -2);
  else if (s.endsWith('s') && !/(?:ss|us|is)$/.test(s)) s = s.slice(0, -1);
  if (s.endsWith('ing') && s.length >= 6 && /[aeiouy]/.test(s.slice(0, -3))) s = undouble(s.slice(0, -3));
  else if (s.endsWith('ed') && s.length >= 5 && /[aeiouy]/.test(s.slice(0, -2))) s = undouble(s.slice(0, -2));
  if (s.endsWith('e') && s.length >= 5) s = s.slice(0, -1);
  return s;
}

/** Phrase rewrites as word sequences, longest first so "send it back" beats "send back". */
const phraseTable: readonly { from: string[]; to: string }[] = Object.entries(PHRASES)
  .map(([from, to]) => ({ from: words(from), to: fold(to) }))
  .sort((a, b) => b.from.length - a.from.length);

/** Replaces every phrase of {@link PHRASES} found in a word list by its single term. */
function rewritePhrases(list: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < list.length; i += 1) {
    const hit = phraseTable.find(({ from }) => from.every((w, k) => list[i + k] === w));
    if (hit) {
      out.push(hit.to);
      i += hit.from.length - 1;
    } else out.push(list[i] as string);
  }
  return out;
}

/** Whether a word is worth indexing: not a stop word, not a lone Latin letter. */
function isContent(word: string): boolean {
  if (STOP_WORD_SET.has(word)) return false;
  return !(word.length === 1 && /\p{Script=Latin}/u.test(word));
}

/** Whether a word is one Han/kana/Hangul character that is not a stop word. */
function isLoneCjkChar(word: string): boolean {
  return [...word].length === 1 && isCjk(word) && !STOP_WORD_SET.has(word);
}

/**
 * Adds the pair of every two adjacent single CJK characters: ICU splits words missing from
 * its dictionary ("退货" -> 退|货), and a shop's vocabulary often is. The glued pair gives the
 * knowledge base and the question the same two-character term, and lets synonyms apply.
 * Pairs rather than whole runs, because "退|货|后" must still yield 退货.
 */
function glueCjkPairs(list: string[]): string[] {
  const out: string[] = [];
  list.forEach((word, i) => {
    out.push(word);
    const next = list[i + 1];
    if (next !== undefined && isLoneCjkChar(word) && isLoneCjkChar(next)) out.push(word + next);
  });
  return out;
}

/**
 * The search terms of a text: words, phrase rewrites, glued CJK runs, stop words dropped,
 * stemmed.
 *
 * @example
 * ```ts
 * terms('How long does shipping to Germany take?'); // ['ship', 'germany']
 * terms('退货需要多久');                               // ['退', '退货', '货']
 * ```
 */
export function terms(text: string): string[] {
  // Stop words are checked again after stemming so "wanted" goes the way of "want".
  return glueCjkPairs(rewritePhrases(words(text)))
    .filter(isContent)
    .map(stem)
    .filter((term) => !STOP_WORD_SET.has(term));
}

/** Synonym look-up by stemmed term, built once from {@link SYNONYM_GROUPS}. */
const synonymIndex: ReadonlyMap<string, readonly string[]> = (() => {
  const index = new Map<string, string[]>();
  for (const group of SYNONYM_GROUPS) {
    // An entry is one term: CJK entries are whole words even where ICU would split them.
    const stems = [...new Set(group.map((entry) => stem(fold(entry))))];
    for (const s of stems) index.set(s, [...(index.get(s) ?? []), ...stems.filter((o) => o !== s)]);
  }
  return index;
})();

/** The synonyms of a stemmed term (without the term itself). */
export function synonymsOf(term: string): readonly string[] {
  return synonymIndex.get(term) ?? [];
}
