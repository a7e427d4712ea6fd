/**
 * The claim checker: what a model's reply commits the shop to, sentence by sentence, and
 * whether the shop's own texts (knowledge-base sections, tool results) say the same. A claim
 * is a sentence with a commitment cue (refund, returns, guarantee, discount, free, shipping
 * cost, deadline, exception, compensation) read with its polarity ("no free shipping" is not "free shipping"),
 * its absolutes ("always", "every order"), its quantities (in any digits or numerals) and its
 * words. It stands only when a source sentence of the same kind says it with the same polarity,
 * at least as absolute, with the same quantities, about the same thing. Anything the shopper
 * wrote is never a source.
 */
import { countriesIn, foldFor, terms } from '../../knowledge/index.js';
import { splitSentences } from '../guardrails.js';
import { cuesFor } from './cues/index.js';
import { type CueMatchers, foldCue, matchersFor } from './match.js';
import { CLAIM_CATEGORIES, type ClaimCategory, type ClaimCues } from './cues/types.js';
import { type Quantity, quantities, TIME_UNITS } from './quantities.js';

/** One sentence read as a claim. */
interface Claim {
  sentence: string;
  categories: ClaimCategory[];
  negated: boolean;
  absolute: boolean;
  /** A promise to this shopper ("we will", "you'll get"). */
  promise: boolean;
  /** Something done for this shopper ("has been approved", "already on its way"). */
  done: boolean;
  quantities: Quantity[];
  /** The clause's content words, as the knowledge base's analysis makes them. */
  words: ReadonlySet<string>;
  /** The countries the clause names (ISO codes). */
  countries: ReadonlySet<string>;
  /** The countries named around the clause (its sentence and neighbours, for sources). */
  contextCountries: ReadonlySet<string>;
  /** The content words of the clause's sentence. */
  sentenceWords: ReadonlySet<string>;
  /** The content words of the clause's sentence and its neighbours (sources). */
  context: ReadonlySet<string>;
}

/** A text the reply may rest on: a knowledge-base section or a tool result, with its language. */
export interface ClaimSource {
  text: string;
  language: string;
  /** A tool's result (order data): backs what was done for this shopper, e.g. a refund. */
  tool?: boolean;
}

/** Why a sentence may not reach the shopper. */
export interface ClaimViolation {
  rule: 'claim' | 'done' | 'secret' | 'tone' | 'persona';
  /** The category or cue list; never shopper text. */
  detail: string;
}

/**
 * Cue lists read with English's too in a reply of another language (models mix in English
 * terms: "free shipping", "DAN mode"). Polarity and grammar cues stay the language's own: the
 * English "no" is the Spanish and Portuguese "in the".
 */
const MIXED_IN: ReadonlySet<keyof ClaimCues> = new Set<keyof ClaimCues>([...CLAIM_CATEGORIES, 'secrets', 'codes', 'insults', 'persona']);

/** Matchers for a language's cues and, for {@link MIXED_IN} lists, English's. */
function matchers(language: string): CueMatchers[] {
  const primary = language.split('-')[0]?.toLowerCase() ?? 'en';
  const own = matchersFor(primary, cuesFor(primary));
  return primary === 'en' ? [own] : [own, matchersFor('en', cuesFor('en'), true)];
}

function has(ms: readonly CueMatchers[], key: keyof ClaimCues, folded: string): boolean {
  const [own, ...mixed] = ms;
  return Boolean(own?.[key](folded)) || (MIXED_IN.has(key) && mixed.some((m) => m[key](folded)));
}

/** The countries a text names. */
function countriesOf(text: string, language: string): Set<string> {
  return countriesIn(foldFor(language, text), language);
}

/** The folded text without the cues of `categories` (own language and mixed-in English). */
function withoutCues(ms: readonly CueMatchers[], categories: readonly ClaimCategory[], folded: string): string {
  let out = folded;
  for (const m of ms) for (const c of categories) out = m[c].strip(out);
  return out;
}

/** Reads one clause; undefined when it commits the shop to nothing. */
function readClaim(
  sentence: string,
  language: string,
  around?: { sentence: ReadonlySet<string>; context: ReadonlySet<string>; countries: ReadonlySet<string> },
  asSource = false,
): Claim | undefined {
  const ms = matchers(language);
  const folded = foldCue(language, sentence);
  const categories = CLAIM_CATEGORIES.filter((c) => has(ms, c, folded));
  const stated = quantities(sentence, language);
  const timed = stated.some((q) => TIME_UNITS.has(q.unit) && !q.now);
  const absolute = has(ms, 'absolute', folded);
  // A stated time ("in 3 days", "三十天", "tomorrow") is a deadline, whatever the words around it.
  if (!categories.includes('deadline') && timed) categories.push('deadline');
  // "Costs nothing", "sin costo", "لا يكلف": a negation inside a category's own phrase is not one.
  const negated = has(ms, 'negation', (ms[0] as CueMatchers).notNegation.strip(withoutCues(ms, categories, folded)));
  // In a reply, a day word with no time stated, no "always" and no "no" is a greeting or a manner
  // of speaking ("Buenos días", "Guten Tag", "in a few days"): no deadline to back. "No time
  // limit" is one. Sources keep theirs.
  if (!asSource && !timed && !absolute && !negated && categories.includes('deadline')) categories.splice(categories.indexOf('deadline'), 1);
  if (categories.length === 0) return undefined;
  const words = new Set(terms(sentence, language));
  return {
    sentence,
    categories,
    negated,
    absolute,
    promise: has(ms, 'promise', folded),
    done: has(ms, 'done', folded),
    quantities: stated,
    words,
    countries: countriesOf(sentence, language),
    contextCountries: around?.countries ?? countriesOf(sentence, language),
    sentenceWords: around?.sentence ?? words,
    context: around?.context ?? words,
  };
}

/**
 * A sentence's clauses: a negation or an "always" holds for the clause it is in ("free on
 * orders over €49; express surcharges are not refunded" is two claims). Commas split unless a
 * digit follows ("1,000", "5,95"); CJK and Arabic commas always; Thai, which has no commas,
 * at the spaces between its phrases.
 */
function clausesOf(sentence: string): string[] {
  return sentence
    .split(/[;；:：؛()（）]|,(?!\d)|[，、،]|\s[–—]\s|(?<=[\u0e00-\u0e7f])\s+(?=[\u0e00-\u0e7f])/u)
    .map((c) => c.trim())
    .filter((c) => /[\p{L}\p{N}]/u.test(c));
}

/** Sentences on each side of a source clause that count as what it talks about. */
const WINDOW = 1;

/** Every claim of one sentence, clause by clause. */
function sentenceClaims(sentence: string, language: string, near?: { words: ReadonlySet<string>; countries: ReadonlySet<string> }, asSource = false): Claim[] {
  const clauses = clausesOf(sentence);
  const own = clauses.length > 1 || near ? new Set(terms(sentence, language)) : undefined;
  const around = own ? { sentence: own, context: near?.words ?? own, countries: near?.countries ?? countriesOf(sentence, language) } : undefined;
  return clauses.flatMap((c) => readClaim(c, language, around, asSource) ?? []);
}

/**
 * Every claim in a source text (or, `asSource: false`, a reply), clause by clause. Each
 * claim's context is its sentence and the ones before and after it: a reply may join two
 * neighbouring sentences of a source into one.
 */
function claimsOf(text: string, language: string, asSource = true): Claim[] {
  const sentences = splitSentences(text);
  const words = sentences.map((s) => terms(s, language));
  const countries = sentences.map((s) => [...countriesOf(s, language)]);
  const near = (i: number) => ({
    words: new Set(words.slice(Math.max(0, i - WINDOW), i + WINDOW + 1).flat()),
    countries: new Set(countries.slice(Math.max(0, i - WINDOW), i + WINDOW + 1).flat()),
  });
  return sentences.flatMap((s, i) => sentenceClaims(s, language, near(i), asSource));
}

/** A source, read once: its claims and everything its sentences mention. */
interface IndexedSource {
  source: ClaimSource;
  claims: Claim[];
  quantities: Quantity[];
}

const sourceCache = new Map<string, IndexedSource>();

function indexSource(source: ClaimSource): IndexedSource {
  const key = `${source.language}\u0000${source.tool ? 't' : 's'}\u0000${source.text}`;
  let indexed = sourceCache.get(key);
  if (!indexed) {
    indexed = { source, claims: claimsOf(source.text, source.language), quantities: quantities(source.text, source.language) };
    if (sourceCache.size >= 2000) sourceCache.delete(sourceCache.keys().next().value as string);
    sourceCache.set(key, indexed);
  }
  return indexed;
}

/**
 * Every quantity of the claim is stated in the source: the same value, as money or a percentage
 * when the claim says so ("1 €" is not backed by "1–2 days"); a time may rest on a bare number
 * ("2–3 business days" states 2 days).
 */
function quantitiesIn(claim: Claim, source: IndexedSource): boolean {
  return claim.quantities.every((q) =>
    source.quantities.some(
      (s) => s.value === q.value && (s.unit === q.unit || q.unit === 'none' || (s.unit === 'none' && q.unit !== 'money' && q.unit !== 'percent')),
    ),
  );
}

/** Every country the claim names is named around the source clause (in any language: countries are codes). */
function countriesNamed(claim: Claim, found: Claim): boolean {
  for (const country of claim.countries) if (!found.contextCountries.has(country)) return false;
  return true;
}

const sameLanguage = (a: string, b: string) => a.split('-')[0] === b.split('-')[0];

/** The share of `mine` found in `words` (1 when the languages differ: words cannot be compared). */
function shareOf(mine: ReadonlySet<string>, words: ReadonlySet<string>, sourceLanguage: string, language: string): number {
  if (!sameLanguage(sourceLanguage, language) || mine.size === 0) return 1;
  let shared = 0;
  for (const w of mine) if (words.has(w)) shared += 1;
  return shared / mine.size;
}

/** The share of the claim's words found in `words`. */
function shareIn(claim: Claim, words: ReadonlySet<string>, sourceLanguage: string, language: string): number {
  return shareOf(claim.words, words, sourceLanguage, language);
}

const MIN_OVERLAP = 0.5;

/** Whether one source clause says what the claim says about one category, about the same thing. */
function supports(claim: Claim, category: ClaimCategory, found: Claim, source: IndexedSource, language: string): boolean {
  return (
    found.categories.includes(category) &&
    found.negated === claim.negated &&
    // "Always"/"every order" must be the source's too, where it favours the shopper; "you pay
    // shipping whatever the amount" only restates a cost.
    (!claim.absolute || found.absolute || category === 'shippingCost') &&
    Math.max(shareIn(claim, found.context, source.source.language, language), shareOf(claim.sentenceWords, found.context, source.source.language, language)) >=
      MIN_OVERLAP
  );
}

/**
 * Whether the sources say the opposite of the claim: the source sentence with a clause of the
 * same category closest in words to the claim has the other polarity ("opened food can be returned" against
 * "an opened bag of food cannot be returned", though another sentence of the section says
 * "send us a photo of the opened bag"). Only within one language.
 */
function contradicted(claim: Claim, category: ClaimCategory, indexed: readonly IndexedSource[], language: string): boolean {
  let agree = 0;
  let oppose = 0;
  for (const s of indexed) {
    if (!sameLanguage(s.source.language, language)) continue;
    for (const found of s.claims) {
      if (!found.categories.includes(category)) continue;
      const share = Math.max(
        shareIn(claim, found.sentenceWords, s.source.language, language),
        shareOf(claim.sentenceWords, found.sentenceWords, s.source.language, language),
      );
      if (found.negated === claim.negated) agree = Math.max(agree, share);
      else oppose = Math.max(oppose, share);
    }
  }
  return oppose > agree;
}

/**
 * Every reason the reply's claims may not reach the shopper: a commitment no source states (or
 * states the other way round, or less absolutely, or with other numbers), something "done" for
 * the shopper that no tool result shows, a request for secrets, insults, a persona.
 *
 * @example
 * ```ts
 * checkClaims('Shipping to Japan is free for you on every order.', 'en', [{ text: apacSection, language: 'en' }]);
 * // [{ rule: 'claim', detail: 'free' }]
 * ```
 */
export function checkClaims(reply: string, language: string, sources: readonly ClaimSource[]): ClaimViolation[] {
  const out: ClaimViolation[] = [];
  const indexed = sources.map(indexSource);
  const ms = matchers(language);
  // Parley asked the shopper for the code it e-mailed: the reply may ask for that code, nothing else.
  const verificationAsked = indexed.some((s) => s.source.tool && s.source.text.includes('"status":"verification_required"'));
  for (const sentence of splitSentences(reply)) {
    const folded = foldCue(language, sentence);
    if (has(ms, 'insults', folded)) out.push({ rule: 'tone', detail: 'insult' });
    if (has(ms, 'persona', folded)) out.push({ rule: 'persona', detail: 'persona' });
    // Card numbers, CVCs, passwords, bank codes: a reply names them only as the shop's own text
    // does ("we never ask for your password"); a code only when Parley e-mailed one.
    const secret = has(ms, 'secrets', folded) || (has(ms, 'codes', folded) && !verificationAsked);
    if (secret && !secretSaidIn(indexed, sentence, has(ms, 'negation', folded), language)) out.push({ rule: 'secret', detail: 'names a secret' });
    for (const claim of sentenceClaims(sentence, language)) checkClaim(claim, language, indexed, out);
  }
  return out;
}

/** Whether a source sentence of the reply's language names a secret as the reply does (same polarity, mostly the same words). */
function secretSaidIn(indexed: readonly IndexedSource[], sentence: string, negated: boolean, language: string): boolean {
  const ms = matchers(language);
  const mine = new Set(terms(sentence, language));
  return indexed.some(
    (s) =>
      sameLanguage(s.source.language, language) &&
      splitSentences(s.source.text).some((said) => {
        const folded = foldCue(language, said);
        return (
          has(ms, 'secrets', folded) &&
          has(ms, 'negation', folded) === negated &&
          shareOf(mine, new Set(terms(said, language)), language, language) >= MIN_OVERLAP
        );
      }),
  );
}

/** What can be "done" for one shopper: refunded, returned, discounted, compensated, excepted. */
const DONE_CATEGORIES: ReadonlySet<ClaimCategory> = new Set(['refund', 'returns', 'compensation', 'discount', 'exception']);

/** Whether each category of one claim is backed (see {@link checkClaims}). */
function checkClaim(claim: Claim, language: string, indexed: readonly IndexedSource[], out: ClaimViolation[]): void {
  {
    for (const category of claim.categories) {
      // "Your refund has been approved": only a tool result shows what was done for this shopper
      // (or the shop's own text says the same, "we send an email confirming the refund").
      const doneBacked = () =>
        indexed.some(
          (s) => (s.source.tool && doneBy(category, s.source.text)) || s.claims.some((found) => found.done && supports(claim, category, found, s, language)),
        );
      if (claim.done && DONE_CATEGORIES.has(category) && !doneBacked()) {
        out.push({ rule: 'done', detail: category });
        continue;
      }
      const backed = indexed.some(
        (s) => quantitiesIn(claim, s) && s.claims.some((found) => countriesNamed(claim, found) && supports(claim, category, found, s, language)),
      );
      if (!backed || contradicted(claim, category, indexed, language)) out.push({ rule: 'claim', detail: category });
    }
  }
}

/** A tool result that shows a refund (or credit) was really made for this order. */
function doneBy(category: ClaimCategory, toolResult: string): boolean {
  return category === 'refund' && /"status":"(refunded|returned)"/.test(toolResult);
}
