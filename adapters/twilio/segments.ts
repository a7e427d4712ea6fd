/**
 * SMS segments as Twilio counts them, with Twilio's own calculator (`sms-segments-calculator`,
 * GSM 03.38 / 3GPP TS 23.038): a text in the GSM-7 alphabet (extension characters take two
 * septets) travels 160 septets in one segment or 153 per concatenated segment; anything else
 * is UCS-2, 70 UTF-16 units or 67 per concatenated segment; an escape or surrogate pair is never
 * cut across two segments. What is Parley's own is splitting a reply into bodies that fit.
 * https://www.twilio.com/docs/glossary/what-sms-character-limit
 */
import { SegmentedMessage } from 'sms-segments-calculator';

/** How a text is encoded on the air. */
export type SmsEncoding = 'GSM-7' | 'UCS-2';

/** What a text costs on the air. */
export interface SegmentCount {
  encoding: SmsEncoding;
  segments: number;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
}

/**
 * Segments a text takes.
 *
 * @example
 * ```ts
 * countSegments('a'.repeat(160)); // { encoding: 'GSM-7', segments: 1, units: 160 }
 * countSegments('a'.repeat(161)); // { encoding: 'GSM-7', segments: 2, units: 161 }
 * countSegments('😀'.repeat(35)); // { encoding: 'UCS-2', segments: 1, units: 70 }
 * ```
 */
export function countSegments(text: string): SegmentCount {
  if (!text) return { encoding: 'GSM-7', segments: 0, units: 0 };
  const message = new SegmentedMessage(text, 'auto');
  const encoding: SmsEncoding = message.encodingName === 'GSM-7' ? 'GSM-7' : 'UCS-2';
  return { encoding, segments: message.segmentsCount, units: encoding === 'GSM-7' ? message.numberOfCharacters : text.length };
}

/**
 * GSM-7 when every character is in the default alphabet or its extension table, else UCS-2.
 *
 * @example
 * ```ts
 * smsEncoding('Hola, ¿qué tal?'); // 'GSM-7'
 * smsEncoding('¿Cuánto tarda?');   // 'UCS-2' (á is not in GSM 03.38)
 * ```
 */
export function smsEncoding(text: string): SmsEncoding {
  return countSegments(text).encoding;
}

/**
 * The longest body from `start` that fits `maxSegments` segments and `maxChars` UTF-16 units,
 * by bisection (a longer text never takes fewer segments), never ending inside a surrogate pair.
 */
function fittingEnd(text: string, start: number, options: { maxSegments: number; maxChars: number }): number {
  const fits = (end: number) => countSegments(text.slice(start, end)).segments <= options.maxSegments;
  let lo = start;
  let hi = Math.min(text.length, start + options.maxChars);
  while (lo < hi) {
    let mid = Math.ceil((lo + hi) / 2);
    if (isLowSurrogate(text, mid)) mid -= 1;
    if (mid <= lo) break;
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return isLowSurrogate(text, lo) ? lo - 1 : lo;
}

/** Whether `text[at]` is the second half of a surrogate pair (cutting at `at` would split it). */
function isLowSurrogate(text: string, at: number): boolean {
  const code = text.charCodeAt(at);
  return at > 0 && at < text.length && code >= 0xdc00 && code <= 0xdfff;
}

/** Places a body may end, best first; `after` keeps the matched stop in the body. */
const BOUNDARIES: { pattern: RegExp; after: boolean }[] = [
  { pattern: /\n\s*\n/g, after: false },
  { pattern: /\n/g, after: false },
  { pattern: /[.!?…;](?=\s)|[。！？；]/g, after: true },
  { pattern: /\s/g, after: false },
];

/** The best cut in `(start, maxEnd]`: a paragraph, line, sentence or word boundary in the window's second half. */
function chooseCut(text: string, start: number, maxEnd: number): number {
  if (maxEnd >= text.length) return text.length;
  const half = start + Math.floor((maxEnd - start) / 2);
  for (const { pattern, after } of BOUNDARIES) {
    let best: number | undefined;
    // One character past maxEnd, so "a stop followed by a space" is seen at the window's end.
    for (const m of text.slice(start, maxEnd + 1).matchAll(pattern)) {
      const at = start + (m.index ?? 0) + (after ? m[0].length : 0);
      if (at > start && at <= maxEnd) best = at;
    }
    if (best !== undefined && best >= half) return best;
  }
  return maxEnd;
}

/**
 * Splits a reply into SMS bodies of at most `maxSegments` segments and `maxChars` characters
 * each, at a paragraph, line, sentence or word boundary in the second half of what fits (a
 * word longer than that is cut). Each body is measured in its own encoding, so a GSM-7 part of
 * a mostly Unicode reply still gets 153 characters per segment. Whitespace at a cut is dropped.
 *
 * @example
 * ```ts
 * splitSms('word '.repeat(100).trim(), { maxSegments: 1, maxChars: 1600 }).map((b) => b.length); // [159, 159, 159, 21]
 * ```
 */
export function splitSms(text: string, options: { maxSegments: number; maxChars: number }): string[] {
  const bodies: string[] = [];
  let start = skipSpace(text, 0);
  while (start < text.length) {
    let maxEnd = fittingEnd(text, start, options);
    if (maxEnd <= start) maxEnd = start + ((text.codePointAt(start) ?? 0) > 0xffff ? 2 : 1);
    const cut = chooseCut(text, start, maxEnd);
    const body = text.slice(start, cut).trimEnd();
    if (body) bodies.push(body);
    start = skipSpace(text, cut);
  }
  return bodies;
}

function skipSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && /\s/.test(text[i] as string)) i += 1;
  return i;
}
