/**
 * eld's scoring (eld 2.1 `languageDetector.js`, Apache-2.0, Nito T.M.) over the compact table
 * from `eld-model.ts`, restricted to a chosen set of languages. Kept step-for-step equal to eld so
 * its published accuracy carries over; a test compares both on the dev set.
 */
import { type EldModel, runOf } from './eld-model.js';

/** Raw per-language scores for one text. */
export interface EldScores {
  /** eld language codes, in the order of `raw`. */
  readonly languages: readonly string[];
  /** Summed n-gram scores; 0 means no n-gram of that language matched. */
  readonly raw: Float64Array;
  readonly ngramCount: number;
}

/** Scores text against a fixed subset of eld's languages. */
export interface EldScorer {
  readonly languages: readonly string[];
  score(text: string): EldScores;
}

// eld strips this from every stored score to shrink its database.
const BASE_NGRAM_SCORE = 53;
const MAX_INPUT = 1000;
const CUT_AFTER_BYTES = 350;
const ENFORCE_CUT_BYTES = 380;
// eld treats everything but BMP letters as a separator, except a trailing apostrophe (don't).
const SEPARATORS = /(?:[^\p{L}]|[\u{10000}-\u{10FFFF}])+(?<![\x27\x60\u2019])/gu;

/**
 * Builds a scorer for the eld languages in `wanted` (unknown codes are ignored).
 *
 * @example
 * ```ts
 * const scorer = createEldScorer(loadEldModel(), ['en', 'es']);
 * scorer.score('¿Dónde está mi pedido?').raw; // es > en
 * ```
 */
export function createEldScorer(model: EldModel, wanted: readonly string[]): EldScorer {
  const slotOf = new Int8Array(model.languages.length).fill(-1);
  const languages: string[] = [];
  model.languages.forEach((code, index) => {
    if (wanted.includes(code)) slotOf[index] = languages.push(code) - 1;
  });
  return {
    languages,
    score(text) {
      const ngrams = byteNgrams(toByteWords(text.substring(0, MAX_INPUT), model.dictionary));
      return {
        languages,
        raw: addScores(model, ngrams, slotOf, languages.length),
        ngramCount: ngrams.size,
      };
    },
  };
}

/** eld's normalised 0..1 confidence of one raw score. */
export function eldConfidence(raw: number, ngramCount: number): number {
  if (raw <= 0 || ngramCount === 0) return 0;
  const perNgram = raw / ngramCount;
  return perNgram / (perNgram + 25);
}

function addScores(model: EldModel, ngrams: Set<string>, slotOf: Int8Array, size: number): Float64Array {
  const raw = new Float64Array(size);
  for (const ngram of ngrams) {
    const entry = model.entry(ngram);
    if (entry < 0) continue;
    const { start, count } = runOf(entry);
    for (let i = start; i < start + count; i++) {
      const slot = slotOf[model.langs[i] ?? 0] ?? -1;
      if (slot >= 0) raw[slot] = (raw[slot] ?? 0) + (model.scores[i] ?? 0) + BASE_NGRAM_SCORE;
    }
  }
  return raw;
}

function byteNgrams(words: readonly string[]): Set<string> {
  const ngrams = new Set<string>();
  for (const word of words) {
    const len = Math.min(word.length, 70);
    let j = 0;
    // 4-byte n-grams with a 3-byte stride; a leading space marks the word start.
    for (; j + 4 < len; j += 3) ngrams.add((j === 0 ? ' ' : '') + word.substring(j, j + 4));
    ngrams.add(`${j === 0 ? ' ' : ''}${word.substring(len !== 3 ? len - 4 : 0)} `);
  }
  return ngrams;
}

/** Spells each UTF-8 byte with eld's dictionary; splits on spaces; stops near 380 bytes. */
function toByteWords(text: string, dict: readonly string[]): string[] {
  const str = text.replace(SEPARATORS, ' ').trim().toLowerCase();
  const words: string[] = [];
  let encoded = '';
  let bytes = 0;
  for (let i = 0; i < str.length; i++) {
    let code = str.charCodeAt(i);
    if (code < 0x80) {
      if (code === 32) {
        if (encoded !== '') words.push(encoded);
        encoded = '';
        if (bytes > CUT_AFTER_BYTES) break;
      } else {
        encoded += str[i];
      }
      bytes++;
    } else if (code < 0x800) {
      encoded += (dict[0xc0 | (code >> 6)] ?? '') + (dict[0x80 | (code & 0x3f)] ?? '');
      bytes += 2;
    } else if (code < 0xd800 || code >= 0xe000) {
      encoded += (dict[0xe0 | (code >> 12)] ?? '') + (dict[0x80 | ((code >> 6) & 0x3f)] ?? '');
      encoded += dict[0x80 | (code & 0x3f)] ?? '';
      bytes += 3;
    } else {
      i++;
      code = 0x10000 + (((code & 0x3ff) << 10) | (str.charCodeAt(i) & 0x3ff));
      encoded += (dict[0xf0 | (code >> 18)] ?? '') + (dict[0x80 | ((code >> 12) & 0x3f)] ?? '');
      encoded += (dict[0x80 | ((code >> 6) & 0x3f)] ?? '') + (dict[0x80 | (code & 0x3f)] ?? '');
      bytes += 4;
    }
    if (bytes > ENFORCE_CUT_BYTES) break;
  }
  if (encoded !== '') words.push(encoded);
  return words;
}
