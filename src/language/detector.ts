/**
 * Parley's language detector: which configured language a shopper's message is in, given what the
 * conversation already knows. Precedence, highest first:
 * explicit choice > request in the text ("/lang es", "English please") > the conversation's
 * sticky language for ambiguous messages ("ok", "👍", "#A1234") > the text itself (script
 * rules, then eld n-grams, then Indonesian/Malay words) > platform locale hint > shop default.
 */
import { clean, isAmbiguous, isLanguageless } from './ambiguity.js';
import { variantOf, baseOf, ConfiguredTags } from './tags.js';
import { findLanguageRequest } from './requests.js';
import { createTextGuesser, type TextGuess, type TextGuesser } from './text-guess.js';

/**
 * What the pipeline knows besides the message text.
 *
 * @example
 * ```ts
 * const ctx: DetectContext = { sticky: 'es', hints: { locale: 'es-MX', country: 'MX' } };
 * ```
 */
interface DetectContext {
  /** The shopper's explicit choice (e.g. from `/lang es` earlier, or the widget's picker). */
  explicit?: string;
  /** The conversation's current language. */
  sticky?: string;
  /** Platform locale (Telegram `language_code`, browser language) and phone country. */
  hints?: { locale?: string; country?: string };
}

/**
 * The detected language, always one of the configured tags, and why.
 *
 * @example
 * ```ts
 * const d: Detection = { language: 'zh-TW', source: 'script', confidence: 0.95 };
 * ```
 */
interface Detection {
  language: string;
  source: 'explicit' | 'command' | 'sticky' | 'script' | 'text' | 'hint' | 'default';
  /** 0..1; 1 for explicit choices, low for fallbacks. */
  confidence: number;
}

/**
 * Port: detects a message's language. Synchronous and pure; safe to share across conversations.
 *
 * @example
 * ```ts
 * const detector = createLanguageDetector({ languages: ['en', 'es', 'zh-CN', 'zh-TW'], defaultLanguage: 'en' });
 * detector.detect('我想退貨，請問怎麼辦').language;            // 'zh-TW'
 * detector.detect('ok', { sticky: 'es' }).source;              // 'sticky'
 * detector.detect('Where is my parcel?', { sticky: 'es' });    // { language: 'en', source: 'text', ... }
 * ```
 */
export interface LanguageDetector {
  detect(text: string, ctx?: DetectContext): Detection;
}

// A same-script message flips the conversation only when it has some substance and the new
// language wins clearly; one word or a near tie keeps the conversation where it is.
const FLIP_MIN_WORDS = 2;
const FLIP_MIN_LEAD = 0.1;
const STICKY_CONFIDENCE = 0.9;
// Anything beyond printable ASCII and whitespace may need composing (NFC) before detection.
const BEYOND_ASCII = /[^ -~\s]/;

/**
 * Builds the detector for a shop's languages. Loads eld's n-gram table once per process
 * (~0.5 s, ~15 MB heap) the first time a message needs it.
 *
 * @param opts.languages BCP-47 tags as configured, e.g. `['en', 'es', 'zh-CN', 'zh-TW', 'id', 'ms']`.
 * @param opts.defaultLanguage returned when nothing else decides; should be one of `languages`.
 */
export function createLanguageDetector(opts: { languages: string[]; defaultLanguage: string }): LanguageDetector {
  if (opts.languages.length === 0) throw new Error('createLanguageDetector: configure at least one language.');
  const tags = new ConfiguredTags(opts.languages);
  const guesser = createTextGuesser(tags.bases);
  const fallback = tags.match(opts.defaultLanguage) ?? opts.defaultLanguage;
  return {
    detect(text, ctx = {}) {
      return (
        fromExplicit(tags, ctx) ??
        fromRequest(tags, text) ??
        fromText(tags, guesser, text, ctx) ??
        fromHints(tags, ctx) ?? {
          language: fallback,
          source: 'default',
          confidence: 0.1,
        }
      );
    },
  };
}

function fromExplicit(tags: ConfiguredTags, ctx: DetectContext): Detection | undefined {
  const language = tags.match(ctx.explicit);
  return language ? { language, source: 'explicit', confidence: 1 } : undefined;
}

function fromRequest(tags: ConfiguredTags, text: string): Detection | undefined {
  const request = findLanguageRequest(text);
  const language = tags.match(request?.language);
  return language ? { language, source: 'command', confidence: 1 } : undefined;
}

function fromHints(tags: ConfiguredTags, ctx: DetectContext): Detection | undefined {
  const language = tags.fromHints(ctx.hints);
  return language ? { language, source: 'hint', confidence: 0.3 } : undefined;
}

function fromText(tags: ConfiguredTags, guesser: TextGuesser, text: string, ctx: DetectContext): Detection | undefined {
  const cleaned = clean(BEYOND_ASCII.test(text) ? text.normalize('NFC') : text);
  const sticky = tags.match(ctx.sticky);
  if (sticky && isAmbiguous(cleaned))
    return {
      language: sticky,
      source: 'sticky',
      confidence: STICKY_CONFIDENCE,
    };
  const hinted = tags.fromHints(ctx.hints);
  const lean = baseOf(sticky ?? hinted ?? '');
  const guess = isLanguageless(cleaned) ? undefined : guesser(cleaned.text, lean);
  if (sticky && keepsSticky(guess, sticky, cleaned.words.length)) {
    return {
      language: sticky,
      source: 'sticky',
      confidence: STICKY_CONFIDENCE,
    };
  }
  if (!guess) return undefined;
  const variant = guess.variant ?? variantOf(sticky ?? '') ?? variantOf(hinted ?? '');
  const language = tags.resolve(guess.base, variant);
  return language ? { language, source: guess.source, confidence: guess.confidence } : undefined;
}

function keepsSticky(guess: TextGuess | undefined, sticky: string, wordCount: number): boolean {
  if (!guess) return true;
  if (guess.base === baseOf(sticky)) return !(guess.variant && guess.variant !== variantOf(sticky));
  if (guess.malayUndecided && (baseOf(sticky) === 'id' || baseOf(sticky) === 'ms')) return true;
  if (guess.source === 'script') return false;
  return wordCount < FLIP_MIN_WORDS || (guess.leadOver?.(baseOf(sticky)) ?? 1) < FLIP_MIN_LEAD;
}
