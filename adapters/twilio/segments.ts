/**
 * SMS segment arithmetic (GSM 03.38 / 3GPP TS 23.038). A text that uses only the GSM-7 default
 * alphabet (plus its extension table, two septets per character) travels 160 septets in one
 * segment or 153 per segment when concatenated (the UDH takes 7); anything else is UCS-2: 70
 * UTF-16 code units in one segment, 67 when concatenated. An escape pair or a surrogate pair is
 * never cut across two segments, so a segment may end a unit short.
 * https://www.twilio.com/docs/glossary/what-sms-character-limit
 */

/** GSM 03.38 default alphabet (0x1B, the escape, excluded). */
const GSM7_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
/** The extension table: each costs an escape septet too. */
const GSM7_EXTENSION = new Set('\f^{}\\[~]|€');

/** How a text is encoded on the air. */
export type SmsEncoding = 'GSM-7' | 'UCS-2';

/** The limits behind {@link countSegments}: units per single and per concatenated segment. */
export const segmentLimits = {
  'GSM-7': { single: 160, concatenated: 153 },
  'UCS-2': { single: 70, concatenated: 67 },
} as const satisfies Record<SmsEncoding, { single: number; concatenated: number }>;

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
  for (const ch of text) if (!GSM7_BASIC.has(ch) && !GSM7_EXTENSION.has(ch)) return 'UCS-2';
  return 'GSM-7';
}

/** Units one character takes: septets in GSM-7, UTF-16 code units in UCS-2. */
function unitsOf(ch: string, encoding: SmsEncoding): number {
  if (encoding === 'UCS-2') return ch.length;
  return GSM7_EXTENSION.has(ch) ? 2 : 1;
}

/** What a text costs on the air. */
export interface SegmentCount {
  encoding: SmsEncoding;
  segments: number;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
}

/**
 * Segments a text takes, filling concatenated segments the way handsets and Twilio do: a
 * character that does not fit whole starts the next segment.
 *
 * @example
 * ```ts
 * countSegments('a'.repeat(160)); // { encoding: 'GSM-7', segments: 1, units: 160 }
 * countSegments('a'.repeat(161)); // { encoding: 'GSM-7', segments: 2, units: 161 }
 * countSegments('😀'.repeat(35)); // { encoding: 'UCS-2', segments: 1, units: 70 }
 * ```
 */
export function countSegments(text: string, encoding: SmsEncoding = smsEncoding(text)): SegmentCount {
  const limits = segmentLimits[encoding];
  let units = 0;
  let segments = text.length ? 1 : 0;
  let used = 0;
  for (const ch of text) {
    const n = unitsOf(ch, encoding);
    units += n;
    if (used + n > limits.concatenated) {
      segments += 1;
      used = 0;
    }
    used += n;
  }
  return { encoding, segments: units <= limits.single ? Math.min(segments, 1) : segments, units };
}

/** The longest prefix of `text` from `start` that fits `maxSegments` segments and `maxChars` UTF-16 units. */
function fittingEnd(text: string, start: number, maxSegments: number, maxChars: number, encoding: SmsEncoding): number {
  const limits = segmentLimits[encoding];
  let units = 0;
  let concatenated = 1;
  let used = 0;
  let end = start;
  for (const ch of text.slice(start)) {
    const n = unitsOf(ch, encoding);
    const next = used + n > limits.concatenated ? { segments: concatenated + 1, used: n } : { segments: concatenated, used: used + n };
    const segments = units + n <= limits.single ? 1 : next.segments;
    if (segments > maxSegments || end + ch.length - start > maxChars) break;
    ({ segments: concatenated, used } = next);
    units += n;
    end += ch.length;
  }
  return end;
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
    const rest = text.slice(start);
    let maxEnd = fittingEnd(text, start, options.maxSegments, options.maxChars, smsEncoding(rest));
    // A Unicode character further on must not shrink the GSM-7 text before it to 67 a segment.
    const gsmPrefix = gsmPrefixLength(rest);
    if (gsmPrefix < rest.length) {
      const gsmEnd = Math.min(fittingEnd(text, start, options.maxSegments, options.maxChars, 'GSM-7'), start + gsmPrefix);
      if (gsmEnd > maxEnd) maxEnd = gsmEnd;
    }
    if (maxEnd <= start) maxEnd = start + ((text.codePointAt(start) ?? 0) > 0xffff ? 2 : 1);
    const cut = chooseCut(text, start, maxEnd);
    const body = text.slice(start, cut).trimEnd();
    if (body) bodies.push(body);
    start = skipSpace(text, cut);
  }
  return bodies;
}

/** How many UTF-16 units at the start of `text` are GSM-7 characters. */
function gsmPrefixLength(text: string): number {
  let n = 0;
  for (const ch of text) {
    if (!GSM7_BASIC.has(ch) && !GSM7_EXTENSION.has(ch)) break;
    n += ch.length;
  }
  return n;
}

function skipSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && /\s/.test(text[i] as string)) i += 1;
  return i;
}
