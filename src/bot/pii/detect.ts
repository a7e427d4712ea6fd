/**
 * Finds personal data in free text: emails, phone numbers (libphonenumber-js plus Chinese
 * mobiles), card numbers (Luhn), IBANs (mod 97), Chinese resident IDs (ISO 7064 checksum) and
 * street addresses in en/de/nl/es/fr/zh formats. Checksums keep order numbers, prices and
 * dates from being taken for card or ID numbers; amounts, dates and the digits of a link are
 * never phone numbers. Text is read folded (full-width digits and letters, digits of any
 * script), so "１３８００１３８０００" is a phone number too; spans point into the original.
 */
import { type CountryCode, findPhoneNumbersInText } from 'libphonenumber-js';
import { foldText } from '../text-fold.js';

/** The kinds of personal data Parley masks. */
export type PiiKind = 'EMAIL' | 'PHONE' | 'CARD' | 'IBAN' | 'CN_ID' | 'ADDRESS';

/** One piece of personal data found in a text. */
export interface PiiSpan {
  kind: PiiKind;
  start: number;
  end: number;
  value: string;
}

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
const CARD = /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g;
const IBAN = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b/g;
const CN_ID = /(?<!\d)\d{17}[\dXx](?![\dXx])/g;
const CN_MOBILE = /(?<!\d)(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d){8}(?!\d)/g;
/** International or trunk-prefixed numbers libphonenumber did not take (unknown region). */
const PHONE_FALLBACK = /(?<![\w+])(?:\+|00|0)\d[\d ().-]{6,18}\d(?!\d)/g;

const CAP = "[\\p{Lu}][\\p{L}'’.-]+";
const ADDRESS_PATTERNS: readonly RegExp[] = [
  // en: 221B Baker Street, 10 Downing St, 1600 Pennsylvania Avenue NW
  new RegExp(
    `\\b\\d{1,5}[A-Za-z]?,?\\s+(?:${CAP}\\s+){1,4}(?:Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Court|Ct|Place|Pl|Terrace|Close|Crescent|Square|Sq|Parkway|Highway|Hwy)\\b\\.?(?:\\s+(?:NW|NE|SW|SE|N|S|E|W)\\b)?(?:,?\\s+(?:Apt|Apartment|Suite|Unit|Flat)\\.?\\s*\\w+)?`,
    'gu',
  ),
  // de/nl: Hauptstraße 5, Pootjesweg 12, Lange Voorhout 3a, Kurfürstendamm 21
  /\b[\p{Lu}][\p{L}-]*(?:straße|strasse|str\.|weg|gasse|allee|platz|ring|damm|ufer|straat|laan|plein|gracht|kade|singel|dijk|steeg|hof)\s+\d{1,4}(?:\s?[a-zA-Z])?\b/gu,
  // de: Am Markt 3 / An der Alster 12 / Berliner Straße 7
  new RegExp(
    `\\b(?:(?:Am|An der|Auf dem|Im|In der)\\s+${CAP}|${CAP}\\s+(?:Straße|Strasse|Str\\.|Weg|Allee|Platz|Gasse|Ring))\\s+\\d{1,4}(?:\\s?[a-z])?\\b`,
    'gu',
  ),
  // es: Calle Mayor 12, C/ de Alcalá, 45, Avenida de la Constitución nº 3
  new RegExp(
    `\\b(?:Calle|C/|Avenida|Avda\\.?|Av\\.|Plaza|Paseo|Camino|Carrera|Ronda|Travesía)\\s+(?:(?:de|del|la|los|las)\\s+){0,2}${CAP}(?:\\s+${CAP}){0,3},?\\s*(?:n\\.?º\\s*|nº\\s*|no\\.?\\s*)?\\d{1,4}`,
    'giu',
  ),
  // fr: 12 rue de la Paix, 5 bis avenue Victor Hugo, 3, place du Marché
  /\b\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|av\.|boulevard|bd|place|allée|impasse|chemin|quai|route|cours)\s+(?:(?:de|du|des|la|le|l'|d')\s*){0,2}[\p{L}'-]+(?:\s+[\p{Lu}][\p{L}'-]+){0,3}/giu,
  // zh: 北京市朝阳区建国路88号, 上海市浦东新区世纪大道100号3号楼1201室
  /[\u4e00-\u9fff]{2,24}(?:路|街|大道|大街|巷|弄|道)\s*\d{1,5}\s*号(?:\s*\d{1,5}\s*(?:号楼|栋|幢|单元|楼|层|室))*/gu,
  // Dutch and UK postcodes followed by a place name: 3542 AB Utrecht, SW1A 1AA London
  /\b\d{4}\s?[A-Z]{2}\s+[\p{Lu}][\p{L}-]+/gu,
  /\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b/g,
];

/** Luhn check over a digit string (card numbers). */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** ISO 13616 mod-97 check (IBAN). */
export function ibanValid(raw: string): boolean {
  const iban = raw.replace(/\s+/g, '').toUpperCase();
  if (iban.length < 15 || iban.length > 34) return false;
  const moved = iban.slice(4) + iban.slice(0, 4);
  let rest = 0;
  for (const ch of moved) {
    const code = ch.charCodeAt(0);
    const value = code >= 65 ? String(code - 55) : ch;
    for (const digit of value) rest = (rest * 10 + Number(digit)) % 97;
  }
  return rest === 1;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** GB 11643 check of an 18-character Chinese resident ID. */
export function chineseIdValid(id: string): boolean {
  if (!/^\d{17}[\dXx]$/.test(id)) return false;
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * (ID_WEIGHTS[i] as number);
  return ID_CHECK[sum % 11] === id[17]?.toUpperCase();
}

function collect(text: string, re: RegExp, kind: PiiKind, accept: (value: string) => boolean = () => true): PiiSpan[] {
  const spans: PiiSpan[] = [];
  for (const m of text.matchAll(re)) {
    const value = m[0].trimEnd();
    if (accept(value)) spans.push({ kind, start: m.index, end: m.index + value.length, value });
  }
  return spans;
}

/** An IBAN written in groups may run into a following word in capitals: drop trailing groups until it checks. */
function ibans(text: string): PiiSpan[] {
  const spans: PiiSpan[] = [];
  for (const m of text.matchAll(IBAN)) {
    let value = m[0];
    while (!ibanValid(value) && value.includes(' ')) value = value.slice(0, value.lastIndexOf(' '));
    if (ibanValid(value)) spans.push({ kind: 'IBAN', start: m.index, end: m.index + value.length, value });
  }
  return spans;
}

/** "104.95", "1,299.00", "18.49": an amount, never a phone number. */
const AMOUNT = /^\d{1,3}(?:[.,\s]\d{3})*[.,]\d{1,2}$|^\d+[.,]\d{1,2}$/;
/** "2026-11-27", "27.11.2026", "2026/11/27": a date. */
const DATE = /^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$|^\d{1,2}[-/.]\d{1,2}[-/.]\d{4}$/;
/** What may stand right before a phone number: not a letter or digit (order and tracking numbers), not inside a link. */
const NOT_BEFORE_PHONE = /(?:[\p{L}\p{N}]-?|[=/?#&:_])$/u;
const MIN_PHONE_DIGITS = 7;

function phones(text: string, defaultCountry: CountryCode | undefined): PiiSpan[] {
  // libphonenumber is the slow part of masking: skip it when no run of digits could be a phone.
  if (!/\d[\d ().-]{5,}\d/.test(text)) return [];
  const found = findPhoneNumbersInText(text, defaultCountry ? { defaultCountry } : undefined);
  return found
    .map((f) => ({ kind: 'PHONE' as const, start: f.startsAt, end: f.endsAt, value: text.slice(f.startsAt, f.endsAt) }))
    .filter((f) => !NOT_BEFORE_PHONE.test(text.slice(Math.max(0, f.start - 2), f.start)) && isPhoneShaped(f.value));
}

function isPhoneShaped(value: string): boolean {
  const compact = value.trim();
  return compact.replace(/\D/g, '').length >= MIN_PHONE_DIGITS && !AMOUNT.test(compact) && !DATE.test(compact);
}

/** Options of {@link findPii}. */
export interface FindPiiOptions {
  /** Region for numbers written without a country code (e.g. `NL`: "030 555 0142"). */
  defaultCountry?: CountryCode;
}

/**
 * Every piece of personal data in `text`, in order, without overlaps (the earlier and, on a
 * tie, the longer span wins; checksummed kinds are found first).
 *
 * @example
 * ```ts
 * findPii('Mail jan@example.com or call +31 6 12345678');
 * // [{ kind: 'EMAIL', value: 'jan@example.com', ... }, { kind: 'PHONE', value: '+31 6 12345678', ... }]
 * ```
 */
export function findPii(original: string, options: FindPiiOptions = {}): PiiSpan[] {
  if (!original) return [];
  const { text, offsets } = foldText(original);
  const digitsOnly = (v: string) => v.replace(/\D/g, '');
  const candidates: PiiSpan[] = [
    ...collect(text, EMAIL, 'EMAIL'),
    ...ibans(text),
    ...collect(text, CN_ID, 'CN_ID', chineseIdValid),
    ...collect(text, CARD, 'CARD', (v) => luhnValid(digitsOnly(v))),
    ...collect(text, CN_MOBILE, 'PHONE'),
    ...phones(text, options.defaultCountry),
    ...collect(text, PHONE_FALLBACK, 'PHONE', (v) => digitsOnly(v).length >= 8 && digitsOnly(v).length <= 15 && isPhoneShaped(v)),
    ...ADDRESS_PATTERNS.flatMap((re) => collect(text, re, 'ADDRESS')),
  ];
  return resolveOverlaps(candidates).map((span) => {
    const start = offsets[span.start] as number;
    const end = offsets[span.end] as number;
    return { ...span, start, end, value: original.slice(start, end) };
  });
}

const PRIORITY: Record<PiiKind, number> = { EMAIL: 0, IBAN: 1, CN_ID: 2, CARD: 3, PHONE: 4, ADDRESS: 5 };

function resolveOverlaps(spans: PiiSpan[]): PiiSpan[] {
  const ranked = [...spans].sort((a, b) => PRIORITY[a.kind] - PRIORITY[b.kind] || b.end - b.start - (a.end - a.start));
  const kept: PiiSpan[] = [];
  for (const span of ranked) {
    if (kept.some((k) => span.start < k.end && k.start < span.end)) continue;
    kept.push(span);
  }
  return kept.sort((a, b) => a.start - b.start);
}
