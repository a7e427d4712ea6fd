/**
 * Text as the guardrails read it, whatever its width or script tricks: full-width forms
 * ("１３８００１３８０００", "ｌｉ＠ｅｘａｍｐｌｅ．ｃｎ") and other compatibility characters as
 * NFKC writes them, digits of every script as ASCII digits, and look-alike letters hidden in a
 * Latin word ("rеfund" with a Cyrillic е) as the Latin letters they imitate.
 *
 * {@link foldText} keeps where each folded character came from, so personal data found in the
 * folded text is masked in the original.
 */
import { confusablesMap } from 'confusables';

const charCache = new Map<string, string>();

/** One code point, folded: its NFKC form, with a digit of any script as its ASCII value. */
function foldChar(ch: string): string {
  let folded = charCache.get(ch);
  if (folded === undefined) {
    // Arabic decimal and thousands separators ("٢٤٫٩٥") are read as "." and ",".
    folded = ch === '\u066b' ? '.' : ch === '\u066c' ? ',' : ch.normalize('NFKC');
    if (folded.length <= 2 && /^\p{Nd}$/u.test(folded) && !/[0-9]/.test(folded)) {
      // Every script's decimal digits are contiguous runs of ten starting at a zero.
      const code = folded.codePointAt(0) as number;
      for (let zero = code - 9; zero <= code; zero++) {
        if (zero >= 0 && /\p{Nd}/u.test(String.fromCodePoint(zero)) && !/\p{Nd}/u.test(String.fromCodePoint(zero - 1))) {
          folded = String(code - zero);
          break;
        }
      }
    }
    charCache.set(ch, folded);
  }
  return folded;
}

const LATIN = /\p{Script=Latin}/u;
const LOOKALIKE_SCRIPTS = /[\p{Script=Cyrillic}\p{Script=Greek}\p{Script=Armenian}\p{Script=Cherokee}]/u;
/** A word: letters, digits and the marks between them. */
const WORD = /[\p{L}\p{M}\p{N}]+/gu;

/** A word mixing Latin with look-alike letters of another script, written in Latin letters only. */
function unmixWord(word: string): string {
  if (!LATIN.test(word) || !LOOKALIKE_SCRIPTS.test(word)) return word;
  let latin = 0;
  let other = 0;
  for (const ch of word) {
    if (LATIN.test(ch)) latin++;
    else if (LOOKALIKE_SCRIPTS.test(ch)) other++;
  }
  // A Cyrillic or Greek word with a stray Latin letter is left as it is: its own script's cues still read it.
  if (latin < other) return word;
  let out = '';
  for (const ch of word) {
    const latinForm = LOOKALIKE_SCRIPTS.test(ch) ? confusablesMap.get(ch) : undefined;
    out += latinForm && latinForm.length === ch.length ? latinForm : ch;
  }
  return out;
}

/** Folded text and, for each of its UTF-16 units, where it came from in the original. */
export interface FoldedText {
  text: string;
  /** `offsets[i]` is the original index of `text[i]`; `offsets[text.length]` is the original length. */
  offsets: number[];
}

/**
 * `text` with compatibility characters in their NFKC form (full width, ligatures, mathematical
 * letters), digits in ASCII and look-alike letters in Latin words unmasked, with the offsets
 * that map a span found in the folded text back to the original.
 *
 * @example
 * ```ts
 * foldText('１３８ ００１３ ８０００').text; // '138 0013 8000'
 * foldText('٤٤٣٩١١').text;                 // '443911'
 * foldText('Your rеfund is approvеd').text; // 'Your refund is approved' (Cyrillic е)
 * ```
 */
export function foldText(text: string): FoldedText {
  // ASCII is the fast path.
  if (!/[^\p{ASCII}]/u.test(text)) return { text, offsets: Array.from({ length: text.length + 1 }, (_, i) => i) };
  let out = '';
  const offsets: number[] = [];
  let at = 0;
  for (const ch of text) {
    const folded = ch.length === 1 && ch.charCodeAt(0) < 0x80 ? ch : foldChar(ch);
    out += folded;
    for (let k = 0; k < folded.length; k++) offsets.push(at);
    at += ch.length;
  }
  offsets.push(at);
  // Unmixing replaces letters one for one: offsets stay valid.
  return { text: out.replace(WORD, unmixWord), offsets };
}

/** The folded form of `text` (see {@link foldText}): what every output check reads. */
export function foldForChecks(text: string): string {
  return foldText(text).text.normalize('NFC');
}
