/**
 * Cue lists compiled to matchers: one pattern per list and language, built once. Terms and
 * sentences are folded the same way (lower case, no accents, Traditional Chinese as Simplified,
 * Arabic letter forms unified), so "reembolso"/"réembolso" or "運費"/"运费" are one cue.
 */
import { foldFor } from '../../knowledge/index.js';

/**
 * A sentence or cue as cues are matched: as retrieval folds it (lower case, no accents,
 * Traditional Chinese as Simplified), except Vietnamese, whose tone marks tell words apart
 * ("trả hàng" is a return, "kiểm tra hàng" a check; "đồ ngu" an insult, "đồ ngủ" sleepwear).
 */
export function foldCue(language: string, text: string): string {
  return language.split('-')[0]?.toLowerCase() === 'vi' ? text.normalize('NFKC').toLowerCase() : foldFor(language, text);
}
import { CLAIM_CATEGORIES, type ClaimCues } from './cues/types.js';

/** Scripts written without spaces between words (and Korean, whose words take endings): cues match inside words. */
const INSIDE_WORDS = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/u;

/** Whether a folded sentence holds one of the list's cues; `strip` gives it back without them. */
interface CueTest {
  (folded: string): boolean;
  strip(folded: string): string;
}

/** English endings a stem takes when English cues are read inside another language's text. */
const ENGLISH_ENDINGS = ['', 's', 'es', 'ed', 'd', 'ing', 'ment', 'ments', 'able', 'ly', 'er', 'ers'];

/** Word separators: everything but letters, marks, digits, apostrophes and the signs cues use. */
const SEPARATORS = /[^\p{L}\p{M}\p{N}'%€$£¥]+/gu;

/** ` word word word `: words between single spaces, so a cue is a substring test. */
function spaced(folded: string): string {
  return ` ${folded.replace(SEPARATORS, ' ').trim()} `;
}

let lastFolded = '';
let lastSpaced = ' ';
function spacedOnce(folded: string): string {
  if (folded !== lastFolded) {
    lastFolded = folded;
    lastSpaced = spaced(folded);
  }
  return lastSpaced;
}

/**
 * One test for a list: CJK and Thai terms anywhere in the text; other terms on word
 * boundaries, stems (`refund*`) open-ended. With `strictStems`, a stem takes only English
 * endings (English read in a Portuguese reply: "cost*" is "costs", never "costuma").
 * Substring tests on the spaced-out words, not one regular expression: a list is tested
 * several times per sentence, and lookbehinds over dozens of alternatives are slow.
 */
function compile(terms: readonly string[], language: string, strictStems = false): CueTest {
  const inside: string[] = [];
  const needles: string[] = [];
  for (const raw of new Set(terms.map((t) => t.trim()).filter(Boolean))) {
    const stem = raw.endsWith('*');
    const term = foldCue(language, stem ? raw.slice(0, -1) : raw);
    if (INSIDE_WORDS.test(term)) {
      inside.push(term);
      continue;
    }
    const words = spaced(term).trim();
    if (!words) continue;
    const start = /^[\p{L}\p{N}]/u.test(words) ? ' ' : '';
    if (!stem) needles.push(`${start}${words} `);
    else if (strictStems) for (const ending of ENGLISH_ENDINGS) needles.push(`${start}${words}${ending} `);
    else needles.push(`${start}${words}`);
  }
  const test = (folded: string) => {
    for (const term of inside) if (folded.includes(term)) return true;
    if (needles.length === 0) return false;
    const hay = spacedOnce(folded);
    for (const needle of needles) if (hay.includes(needle)) return true;
    return false;
  };
  const strip = (folded: string) => {
    let out = folded;
    for (const term of inside) out = out.split(term).join(' ');
    if (needles.length === 0) return out;
    let hay = spaced(out);
    for (const needle of needles) hay = hay.split(needle).join('  ');
    return hay;
  };
  return Object.assign(test, { strip });
}

/** A language's cue lists as matchers. */
export type CueMatchers = { readonly [K in keyof ClaimCues]-?: CueTest };

const CUE_KEYS: readonly (keyof ClaimCues)[] = [
  ...CLAIM_CATEGORIES,
  'negation',
  'notNegation',
  'absolute',
  'promise',
  'done',
  'secrets',
  'codes',
  'insults',
  'persona',
];

const cache = new Map<string, CueMatchers>();

/**
 * The matchers for one language's cues (compiled once per language). `mixedIn`: the cues read
 * inside another language's text, stems with their own language's endings only.
 */
export function matchersFor(language: string, cues: ClaimCues, mixedIn = false): CueMatchers {
  const key = `${language}${mixedIn ? '+mixed' : ''}`;
  let m = cache.get(key);
  if (!m) {
    m = Object.fromEntries(CUE_KEYS.map((k) => [k, compile(cues[k], language, mixedIn)])) as CueMatchers;
    cache.set(key, m);
  }
  return m;
}
