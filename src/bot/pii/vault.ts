/**
 * Placeholders for personal data: text is masked before it leaves for a model and restored in
 * the model's reply. One vault per conversation keeps placeholders stable across turns, so the
 * model can refer back to "[EMAIL_1]" without ever seeing the address.
 */
import { foldForChecks } from '../text-fold.js';
import { type FindPiiOptions, findPii, type PiiKind } from './detect.js';

/** A placeholder as the model sees it: `[EMAIL_1]`, `[PHONE_2]`, `[CN_ID_1]`. */
const PLACEHOLDER = /\[(EMAIL|PHONE|CARD|IBAN|CN_ID|ADDRESS)_(\d{1,4})\]/g;

/** How a restored value is shown to the shopper: payment and identity numbers stay partly hidden. */
function display(kind: PiiKind, value: string): string {
  const compact = value.replace(/[\s-]/g, '');
  if (kind === 'CARD') return `•••• ${compact.slice(-4)}`;
  if (kind === 'IBAN') return `${compact.slice(0, 2).toUpperCase()}•• •••• ${compact.slice(-4)}`;
  if (kind === 'CN_ID') return `${compact.slice(0, 3)}•••••••••••${compact.slice(-4)}`;
  return value;
}

/**
 * Maps personal data to placeholders and back.
 *
 * @example
 * ```ts
 * const vault = new PiiVault({ defaultCountry: 'NL' });
 * const masked = vault.mask('I am jan@example.com'); // 'I am [EMAIL_1]'
 * vault.restore('We wrote to [EMAIL_1].');           // 'We wrote to jan@example.com.'
 * ```
 */
export class PiiVault {
  readonly #byValue = new Map<string, string>();
  readonly #byPlaceholder = new Map<string, { kind: PiiKind; value: string }>();
  readonly #counts = new Map<PiiKind, number>();
  readonly #options: FindPiiOptions;

  constructor(options: FindPiiOptions = {}) {
    this.#options = options;
  }

  /** Number of distinct values held. */
  get size(): number {
    return this.#byPlaceholder.size;
  }

  /** The placeholder for a value, allocating one when new. */
  placeholder(kind: PiiKind, value: string): string {
    // "１３８…" and "138…" are one number: one placeholder.
    const key = `${kind}:${foldForChecks(value)}`;
    const known = this.#byValue.get(key);
    if (known) return known;
    const n = (this.#counts.get(kind) ?? 0) + 1;
    this.#counts.set(kind, n);
    const placeholder = `[${kind}_${n}]`;
    this.#byValue.set(key, placeholder);
    this.#byPlaceholder.set(placeholder, { kind, value });
    return placeholder;
  }

  /** `text` with every piece of personal data replaced by its placeholder. */
  mask(text: string): string {
    return this.maskSpans(text, findPii(text, this.#options));
  }

  /** Like {@link mask}, with spans already found (cached for static text such as the knowledge base). */
  maskSpans(text: string, spans: readonly { kind: PiiKind; start: number; end: number; value: string }[]): string {
    if (spans.length === 0) return text;
    let out = '';
    let at = 0;
    for (const span of spans) {
      out += text.slice(at, span.start) + this.placeholder(span.kind, span.value);
      at = span.end;
    }
    return out + text.slice(at);
  }

  /** Whether this vault holds `value` (seen in the conversation or the knowledge base), in any width. */
  knows(kind: PiiKind, value: string): boolean {
    const folded = foldForChecks(value);
    if (this.#byValue.has(`${kind}:${folded}`)) return true;
    // An address may be written with more or less around it ("Am Pootjesweg 12" for "Pootjesweg 12").
    if (kind !== 'ADDRESS') return false;
    for (const entry of this.#byPlaceholder.values()) {
      const known = foldForChecks(entry.value);
      if (entry.kind === 'ADDRESS' && (folded.includes(known) || known.includes(folded))) return true;
    }
    return false;
  }

  /** Whether `placeholder` (e.g. `[EMAIL_1]`) was handed out by this vault. */
  has(placeholder: string): boolean {
    return this.#byPlaceholder.has(placeholder);
  }

  /** Placeholders in `text` this vault never handed out (a model inventing data). */
  unknownPlaceholders(text: string): string[] {
    return [...text.matchAll(PLACEHOLDER)].map((m) => m[0]).filter((p) => !this.#byPlaceholder.has(p));
  }

  /** `text` with known placeholders replaced by the values (cards, IBANs and IDs partly hidden). */
  restore(text: string): string {
    return text.replace(PLACEHOLDER, (placeholder) => {
      const entry = this.#byPlaceholder.get(placeholder);
      return entry ? display(entry.kind, entry.value) : placeholder;
    });
  }
}
