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
  const out: string[] = [];
  for (const { segment, isWordLike } of segmenter.segment(fold(text))) {
    if (!isWordLike) continue;
    const word = segment
      .replace(/^(?:qu|[cdjlmnst])'(?=\p{L}{2})/u, '')
      .replace(/'s$/, '')
      .replace(/'/g, '');
    if (word) out.push(word);
  }
  return out;
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
 * terms('退货需要多久');                               // ['退', '货', '退货']
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
