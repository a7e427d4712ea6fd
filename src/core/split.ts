import type { MarkupDialect } from './capabilities.js';
import { renderSpans, type Span } from './markup.js';

/** A place text may be cut, best first. `after` keeps the matched character in the chunk. */
interface Boundary {
  pattern: RegExp;
  after: boolean;
}

const boundaries: Boundary[] = [
  { pattern: /\n[^\S\n]*\n/g, after: false },
  { pattern: /\n/g, after: false },
  // CJK sentences end without a following space, so their stops are boundaries on their own.
  { pattern: /[.!?…;](?=\s)|[。！？；]/g, after: true },
  { pattern: /\s/g, after: false },
  { pattern: /[，、：]/g, after: true },
];

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * The last offset in `(start, maxEnd]` that does not split a grapheme (an emoji with its
 * modifiers, a flag, a letter with combining marks) and never a surrogate pair.
 *
 * @example
 * ```ts
 * graphemeCut('ab👍🏽c', 0, 3); // 2: the thumbs-up with its skin tone stays whole
 * ```
 */
export function graphemeCut(text: string, start: number, maxEnd: number): number {
  if (maxEnd >= text.length) return text.length;
  let cut = start;
  // The look-ahead lets the segmenter see a cluster that straddles maxEnd.
  for (const { index } of graphemes.segment(text.slice(start, maxEnd + 32))) {
    if (start + index > maxEnd) break;
    cut = start + index;
  }
  if (cut > start) return cut;
  // One grapheme longer than the limit: cut between code points, never inside a surrogate pair.
  const code = text.charCodeAt(maxEnd - 1);
  const safe = code >= 0xd800 && code <= 0xdbff ? maxEnd - 1 : maxEnd;
  return safe > start ? safe : maxEnd + 1;
}

function lastBoundary(text: string, start: number, maxEnd: number, { pattern, after }: Boundary): number | undefined {
  let best: number | undefined;
  // One character past maxEnd so look-aheads like "full stop followed by a space" can see it.
  for (const m of text.slice(start, maxEnd + 1).matchAll(pattern)) {
    const cut = start + (m.index ?? 0) + (after ? m[0].length : 0);
    if (cut > start && cut <= maxEnd) best = cut;
  }
  return best;
}

// Why the half-full rule: a paragraph break 5% into the window would send a one-line message
// followed by a full one; a sentence break in the second half reads better and sends fewer.
function chooseCut(text: string, start: number, maxEnd: number): number {
  const half = start + Math.floor((maxEnd - start) / 2);
  for (const b of boundaries) {
    const cut = lastBoundary(text, start, maxEnd, b);
    if (cut !== undefined && cut >= half) return cut;
  }
  for (const b of boundaries) {
    const cut = lastBoundary(text, start, maxEnd, b);
    if (cut !== undefined) return cut;
  }
  return graphemeCut(text, start, maxEnd);
}

/** Spans cut to `[from, to)` of their joined text; `starts` are the spans' offsets, ascending. */
function sliceSpans(spans: readonly Span[], starts: readonly number[], from: number, to: number): Span[] {
  const out: Span[] = [];
  // Binary search for the first span that reaches `from`: keeps long texts linear, not quadratic.
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((starts[mid] ?? 0) + (spans[mid]?.text.length ?? 0) <= from) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < spans.length && (starts[i] ?? 0) < to; i++) {
    const span = spans[i] as Span;
    const offset = starts[i] ?? 0;
    out.push({ ...span, text: span.text.slice(Math.max(from, offset) - offset, to - offset) });
  }
  return out;
}

// Why: a link whose markup alone exceeds the limit (a huge URL in plain "label (url)") cannot be
// kept whole in any chunk; as plain text it can at least be cut without losing characters.
function unlinkOversized(spans: readonly Span[], max: number, to: MarkupDialect): Span[] {
  return spans.map((span) => {
    if (!span.href || renderSpans([span], to).length <= max / 2) return span;
    const { href, ...rest } = span;
    return { ...rest, text: span.text === href ? href : `${span.text} (${href})` };
  });
}

/**
 * Splits styled text into rendered chunks of at most `max` UTF-16 code units each, in the
 * target dialect: on a paragraph break, else a line break, else after a sentence, else at a
 * space, else at a grapheme boundary. Whitespace at a cut is dropped; every other character is
 * kept, and markup is closed and reopened around each cut.
 *
 * @example
 * ```ts
 * splitSpans([{ text: 'First paragraph.\n\nSecond one.' }], 20, 'plain');
 * // ['First paragraph.', 'Second one.']
 * ```
 */
export function splitSpans(input: readonly Span[], max: number, to: MarkupDialect): string[] {
  const spans = unlinkOversized(input, max, to);
  const text = spans.map((s) => s.text).join('');
  const starts = offsets(spans);
  const render = (from: number, end: number) => renderSpans(sliceSpans(spans, starts, from, end), to);
  const chunks: string[] = [];
  let start = skipSpace(text, 0);
  while (start < text.length) {
    const end = trimEnd(text, start, text.length);
    // Rendering never shortens text, so a remainder longer than `max` needs no render to reject.
    const whole = end - start <= max ? render(start, end) : undefined;
    if (whole !== undefined && whole.length <= max) {
      chunks.push(whole);
      break;
    }
    const cut = chooseCut(text, start, largestFit(start, Math.min(end, start + max + 1), max, render));
    chunks.push(render(start, trimEnd(text, start, cut)));
    start = skipSpace(text, cut);
  }
  return chunks;
}

function offsets(spans: readonly Span[]): number[] {
  let at = 0;
  return spans.map((span) => {
    const start = at;
    at += span.text.length;
    return start;
  });
}

/** Binary search over `(start, hi)`, `hi` known not to fit: rendered length only grows with the slice. */
function largestFit(start: number, end: number, max: number, render: (a: number, b: number) => string): number {
  let lo = start;
  let hi = end;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (render(start, mid).length <= max) lo = mid;
    else hi = mid;
  }
  return Math.max(lo, start + 1);
}

function skipSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && /\s/.test(text[i] ?? '')) i++;
  return i;
}

function trimEnd(text: string, start: number, end: number): number {
  let i = end;
  while (i > start && /\s/.test(text[i - 1] ?? '')) i--;
  return i;
}
