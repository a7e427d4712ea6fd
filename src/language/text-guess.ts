/**
 * The language a message's own letters point to, without any conversation context: first the
 * script (Hangul, kana, Thai, Han with Simplified/Traditional tables, tell-tale Persian or
 * Ukrainian letters), then eld's n-grams among the configured languages of that script, then
 * Parley's Indonesian/Malay discriminator.
 */
import { createEldScorer, type EldScorer, type EldScores, eldConfidence } from './eld-scorer.js';
import { loadEldModel } from './eld-model.js';
import { type HanVariant, hanEvidence, hanVariant, looksJapanese } from './han.js';
import { malayEvidence } from './malay.js';
import { dominantScriptOf, languagesOfScript, markerLanguage, type Script } from './script.js';

/** What the text says about its language. */
export interface TextGuess {
  /** Base language code. */
  readonly base: string;
  readonly source: 'script' | 'text';
  readonly confidence: number;
  /** Chinese only: the script the text shows, when it shows one. */
  readonly variant?: HanVariant;
  /** Indonesian vs Malay with no distinguishing word: `base` is only the leaning. */
  readonly malayUndecided?: boolean;
  /** Statistical guesses only: how far ahead of a given language the winner is (0..1). */
  readonly leadOver?: (base: string) => number;
}

/** Guesses from text; `lean` breaks Indonesian/Malay ties (e.g. from a phone country). */
export type TextGuesser = (text: string, lean?: string) => TextGuess | undefined;

const SCRIPT_CONFIDENCE = 0.95;
// eld ships no Indonesian model; its Malay model scores both, Parley then splits them.
const ELD_CODE: Readonly<Record<string, string>> = { id: 'ms' };

/**
 * Builds a guesser over the configured base codes.
 *
 * @example
 * ```ts
 * const guess = createTextGuesser(['en', 'zh', 'ja']);
 * guess('退货')?.base; // 'zh'
 * ```
 */
export function createTextGuesser(bases: readonly string[]): TextGuesser {
  const candidates = new Map<Script, string[]>();
  const scorers = new Map<Script, EldScorer>();
  const candidatesOf = (script: Script): string[] => {
    const known = candidates.get(script);
    if (known) return known;
    const found = candidatesFor(script, bases);
    candidates.set(script, found);
    return found;
  };
  const scorerFor = (script: Script): EldScorer => {
    let scorer = scorers.get(script);
    if (!scorer) {
      scorer = createEldScorer(
        loadEldModel(),
        candidatesOf(script).map((code) => ELD_CODE[code] ?? code),
      );
      scorers.set(script, scorer);
    }
    return scorer;
  };
  return (text, lean) => {
    const script = dominantScriptOf(text);
    if (!script) return undefined;
    const wanted = candidatesOf(script);
    if (wanted.length === 0) return undefined;
    return byScript(script, text, wanted) ?? byNgrams(text, wanted, scorerFor(script), lean);
  };
}

function candidatesFor(script: Script, bases: readonly string[]): string[] {
  if (script === 'Han') return bases.filter((code) => code === 'zh' || code === 'ja');
  return languagesOfScript(script, bases);
}

function byScript(script: Script, text: string, candidates: readonly string[]): TextGuess | undefined {
  if (script === 'Han') return byHan(text, candidates);
  const only = candidates.length === 1 ? candidates[0] : undefined;
  if (only && script !== 'Latin') return { base: only, source: 'script', confidence: SCRIPT_CONFIDENCE };
  const marked = markerLanguage(script, text, candidates);
  return marked ? { base: marked, source: 'script', confidence: SCRIPT_CONFIDENCE } : undefined;
}

// Han without kana is Chinese, unless it uses Japanese-only kanji forms (駅, 対, 込 ...).
function byHan(text: string, candidates: readonly string[]): TextGuess {
  const evidence = hanEvidence(text);
  const japanese = candidates.includes('ja') && (!candidates.includes('zh') || looksJapanese(evidence));
  if (japanese) return { base: 'ja', source: 'script', confidence: 0.8 };
  const variant = hanVariant(evidence);
  return {
    base: 'zh',
    source: 'script',
    confidence: SCRIPT_CONFIDENCE,
    ...(variant ? { variant } : {}),
  };
}

function byNgrams(text: string, candidates: readonly string[], scorer: EldScorer, lean?: string): TextGuess | undefined {
  const scores = scorer.score(text);
  const { languages, raw } = scores;
  let best = -1;
  for (let i = 0; i < raw.length; i++) if ((raw[i] ?? 0) > 0 && (raw[i] ?? 0) > (raw[best] ?? 0)) best = i;
  if (best < 0) return undefined;
  const eldCode = languages[best] ?? '';
  const split = eldCode === 'ms' ? splitMalay(text, candidates, lean) : { base: eldCode };
  return new NgramGuess(split.base, scores, best, split.malayUndecided);
}

/**
 * A guess from eld's scores. A class rather than an object literal with a closure: one is made
 * per message, and `leadOver` (rarely asked) reads the kept scores instead of capturing them.
 */
class NgramGuess implements TextGuess {
  readonly source = 'text' as const;
  readonly base: string;
  readonly confidence: number;
  readonly malayUndecided?: boolean;
  private readonly scores: EldScores;
  private readonly top: number;

  constructor(base: string, scores: EldScores, best: number, malayUndecided: boolean | undefined) {
    this.base = base;
    this.scores = scores;
    this.top = scores.raw[best] ?? 0;
    this.confidence = eldConfidence(this.top, scores.ngramCount);
    if (malayUndecided !== undefined) this.malayUndecided = malayUndecided;
  }

  /** How far ahead of `base` the winner is (0..1); 1 when eld does not score `base`. */
  leadOver(base: string): number {
    const { languages, raw } = this.scores;
    const index = languages.indexOf(ELD_CODE[base] ?? base);
    return index < 0 ? 1 : (this.top - (raw[index] ?? 0)) / this.top;
  }
}

function splitMalay(text: string, candidates: readonly string[], lean?: string): { base: string; malayUndecided?: boolean } {
  const hasId = candidates.includes('id');
  const hasMs = candidates.includes('ms');
  if (!hasId || !hasMs) return { base: hasMs ? 'ms' : 'id' };
  const evidence = malayEvidence(text);
  if (evidence > 0) return { base: 'ms' };
  if (evidence < 0) return { base: 'id' };
  // Without evidence, lean on the context, else on the far larger speaker population.
  return { base: lean === 'ms' ? 'ms' : 'id', malayUndecided: true };
}
