/**
 * Order numbers and one-time codes as shoppers type them: "PS-100234", "ps100234", "#1042",
 * "order 1042", full-width "ＰＳ－１００２３４", Arabic-Indic digits, a code split "443 911". The
 * code is looked for only after the order numbers are taken out, so one is never read as the
 * other.
 */

/** First code point of each Unicode block of decimal digits shoppers' keyboards produce. */
const DIGIT_ZEROS = [
  0x0660, 0x06f0, 0x07c0, 0x0966, 0x09e6, 0x0a66, 0x0ae6, 0x0b66, 0x0be6, 0x0c66, 0x0ce6, 0x0d66, 0x0e50, 0x0ed0, 0x0f20, 0x1040, 0x17e0, 0x1810,
];
const OTHER_DIGIT =
  /[\u0660-\u0669\u06f0-\u06f9\u07c0-\u07c9\u0966-\u096f\u09e6-\u09ef\u0a66-\u0a6f\u0ae6-\u0aef\u0b66-\u0b6f\u0be6-\u0bef\u0c66-\u0c6f\u0ce6-\u0cef\u0d66-\u0d6f\u0e50-\u0e59\u0ed0-\u0ed9\u0f20-\u0f29\u1040-\u1049\u17e0-\u17e9\u1810-\u1819]/g;

/**
 * Text with every digit as ASCII and full-width letters and signs folded (NFKC), so "１２３",
 * "١٢٣" and "123" are the same number.
 *
 * @example
 * ```ts
 * normalizeDigits('ＰＳ－１００２３４'); // 'PS-100234'
 * normalizeDigits('٤٤٣٩١١');           // '443911'
 * ```
 */
export function normalizeDigits(text: string): string {
  return text.normalize('NFKC').replace(OTHER_DIGIT, (ch) => {
    const code = ch.codePointAt(0) as number;
    const zero = DIGIT_ZEROS.find((z) => code >= z && code <= z + 9) as number;
    return String(code - zero);
  });
}

/**
 * A letter prefix and digits: "PS-100234", "ps100234", "#PS100234", "PS 100234". A prefix set
 * apart by a space must be in capitals: "is 652230" or "el 1042" are words and a number.
 */
const PREFIXED = /(?<![\p{L}\p{N}])#?\s?(?:([A-Za-z]{1,4})[-‐–]?|([A-Z]{1,4})\s)(\d{4,12})(?!\p{N})/gu;
/** "#1042": a hash and digits (Shopify's order names). */
const HASHED = /(?<![\p{L}\p{N}])#\s?(\d{3,12})(?!\p{N})/gu;
/** Digits on their own, read as an order number only when the shopper is talking about an order. */
const BARE = /(?<![\p{N}.,:/+])(\d{3,12})(?![\p{N}]|[.,:]\d|\s?(?:€|eur|usd|\$|£|%|kg|cm|l\b|元|円|원))/giu;

/**
 * The order numbers in a message, first to last, in the form connectors look them up
 * ("PS-100234", "1042"). Digits without a prefix count only when `bare` (the shopper asked about
 * an order, or was asked for its number), and never a one-time code being awaited.
 *
 * @example
 * ```ts
 * findOrderNumbers('Wo ist meine Bestellung ps-100234?');      // ['PS-100234']
 * findOrderNumbers('where is my order 1042', { bare: true }); // ['1042']
 * ```
 */
export function findOrderNumbers(text: string, options: { bare?: boolean } = {}): string[] {
  const normal = normalizeDigits(text);
  const found: { at: number; id: string }[] = [];
  for (const m of normal.matchAll(PREFIXED)) found.push({ at: m.index, id: `${((m[1] ?? m[2]) as string).toUpperCase()}-${m[3]}` });
  for (const m of normal.matchAll(HASHED)) found.push({ at: m.index, id: m[1] as string });
  if (options.bare && found.length === 0) {
    for (const m of normal.matchAll(BARE))
      if (!/^(?:19|20)\d\d$/.test(m[1] as string) || normal.trim() === m[1]) found.push({ at: m.index, id: m[1] as string });
  }
  return [...new Set(found.sort((a, b) => a.at - b.at).map((f) => f.id))];
}

/**
 * A six-digit one-time code in a message, typed whole ("443911"), split ("443 911", "443-911")
 * or in other digits, wherever it is in the message and never inside an order number.
 *
 * @example
 * ```ts
 * findCode('the code is 443 911, for order PS-100234'); // '443911'
 * ```
 */
export function findCode(text: string): string | undefined {
  const normal = normalizeDigits(text).replace(PREFIXED, ' ').replace(HASHED, ' ');
  const m = /(?<![\p{N}])(\d{3})[\s.\-‐–]?(\d{3})(?![\p{N}])/u.exec(normal);
  return m ? `${m[1]}${m[2]}` : undefined;
}

/**
 * The message with any one-time code (as {@link findCode} reads it) replaced by `[CODE]`: what
 * may leave for a model or a log.
 */
export function withoutCode(text: string): string {
  const code = findCode(text);
  if (!code) return text;
  const normal = normalizeDigits(text);
  const split = new RegExp(`(?<![\\p{N}])${code.slice(0, 3)}[\\s.\\-‐–]?${code.slice(3)}(?![\\p{N}])`, 'u');
  return normal.replace(split, '[CODE]');
}
