import type { Capabilities } from './capabilities.js';
import { localizeSpans, type RichText, type Span } from './markup.js';
import type { Choice, ChoicesPart } from './message.js';
import type { Localize } from './ports.js';
import { graphemeCut } from './split.js';

/**
 * A choice as it was offered to the shopper, kept with the conversation so a typed reply ("2",
 * "large") can be mapped back to the stable payload. `index` is 1-based and unique within one
 * degraded message; `label` is the full label, even where the channel showed it truncated.
 *
 * @example
 * ```ts
 * const offered: OfferedChoice = { index: 2, label: 'Large', payload: 'size.l' };
 * ```
 */
export interface OfferedChoice {
  index: number;
  label: string;
  payload: string;
}

/**
 * What the fallback steps share while one message is degraded.
 *
 * @example
 * ```ts
 * const ctx: DegradeContext = { caps: adapter.capabilities, t, offered: [] };
 * ```
 */
export interface DegradeContext {
  caps: Capabilities;
  t: Localize;
  /** Every choice offered so far; its length + 1 is the next number shown. */
  offered: OfferedChoice[];
}

type Layout = 'buttons' | 'list' | 'numbered';

/**
 * Shortens a label to `max` UTF-16 code units, ending in "…", without splitting a grapheme.
 *
 * @example
 * ```ts
 * truncateLabel('Extra large cotton t-shirt', 12); // "Extra large…"
 * ```
 */
export function truncateLabel(label: string, max: number): string {
  if (label.length <= max) return label;
  return `${label.slice(0, graphemeCut(label, 0, Math.max(1, max - 1))).trimEnd()}…`;
}

function fits(choices: readonly Choice[], max: number): boolean {
  return choices.every((c) => c.label.length <= max);
}

// Why: two labels that truncate to the same text look like one option twice; better to show
// the full labels as numbered text than to make the shopper guess.
function distinctWhenTruncated(choices: readonly Choice[], max: number): boolean {
  return new Set(choices.map((c) => truncateLabel(c.label, max))).size === choices.length;
}

/** Buttons as they are, a list as it is, then the truncated forms, then numbered text. */
function pickLayout(all: readonly Choice[], actions: readonly Choice[], caps: Capabilities): Layout {
  const { buttons, list } = caps;
  const buttonsFit = buttons !== false && all.length <= buttons.max;
  const listFits = list !== false && actions.length > 0 && actions.length <= list.maxRows;
  if (buttonsFit && fits(all, buttons.maxLabelLength)) return 'buttons';
  if (listFits && fits(actions, list.maxLabelLength)) return 'list';
  if (buttonsFit && distinctWhenTruncated(all, buttons.maxLabelLength)) return 'buttons';
  if (listFits && distinctWhenTruncated(actions, list.maxLabelLength)) return 'list';
  return 'numbered';
}

/**
 * Records payload choices as offered and returns them with their numbers. Link choices are not
 * offered: they open a page and never send a payload back.
 *
 * @example
 * ```ts
 * offerChoices([{ label: 'Small', payload: 'size.s' }], ctx); // [{ index: 1, label: 'Small', payload: 'size.s' }]
 * ```
 */
export function offerChoices(choices: readonly Choice[], ctx: DegradeContext): OfferedChoice[] {
  const offered = choices.filter((c) => !c.url).map((c, i) => ({ index: ctx.offered.length + i + 1, label: c.label, payload: c.payload }));
  ctx.offered.push(...offered);
  return offered;
}

function linkLine(choice: Choice, t: Localize): Span[] {
  const url = choice.url ?? '';
  return localizeSpans(t, 'degrade.open_link', { label: choice.label, url: { text: url, href: url } });
}

function lines(list: readonly Span[][]): Span[] {
  return list.flatMap((line, i) => (i === 0 ? line : [{ text: '\n' }, ...line]));
}

function numberedText(part: ChoicesPart, offered: readonly OfferedChoice[], t: Localize): RichText {
  const head: Span[][] = part.title ? [[{ text: part.title }]] : [];
  const numbered = offered.map((o) => [{ text: `${o.index}. ${o.label}` }]);
  const instruction = offered.length > 0 ? [localizeSpans(t, 'degrade.reply_with_number')] : [];
  const links = part.choices.filter((c) => c.url).map((c) => linkLine(c, t));
  return { kind: 'rich', spans: lines([...head, ...instruction, ...numbered, ...links]) };
}

/**
 * Lays out a choices part for the channel: buttons when they fit (labels truncated with "…"
 * if needed), else a list picker, else numbered text with a localised "reply with the number"
 * line. Link choices become "label: url" lines wherever they cannot be buttons. Every payload
 * choice is recorded in `ctx.offered`.
 *
 * @example
 * ```ts
 * layoutChoices({ kind: 'choices', choices: fifteenSizes }, { caps: textOnly, t, offered: [] });
 * // [{ kind: 'rich', spans: [... 'Reply with the number ...', '1. XS', ...] }]
 * ```
 */
export function layoutChoices(part: ChoicesPart, ctx: DegradeContext): (RichText | ChoicesPart)[] {
  if (part.choices.length === 0) return [];
  const actions = part.choices.filter((c) => !c.url);
  const offered = offerChoices(part.choices, ctx);
  const { buttons, list } = ctx.caps;
  const layout = pickLayout(part.choices, actions, ctx.caps);
  if (layout === 'buttons' && buttons) {
    const choices = part.choices.map((c) => ({ ...c, label: truncateLabel(c.label, buttons.maxLabelLength) }));
    return [{ ...part, choices, display: 'buttons' }];
  }
  if (layout === 'list' && list) {
    const links = part.choices.filter((c) => c.url).map((c) => linkLine(c, ctx.t));
    const choices = actions.map((c) => ({ ...c, label: truncateLabel(c.label, list.maxLabelLength) }));
    // Why a default title: list pickers (WhatsApp) need a button caption, and adapters have no `t`.
    const title = part.title ?? ctx.t('degrade.choose');
    const listPart: ChoicesPart = { kind: 'choices', choices, title, display: 'list' };
    return links.length > 0 ? [{ kind: 'rich', spans: lines(links) }, listPart] : [listPart];
  }
  return [numberedText(part, offered, ctx.t)];
}

/** Case, width, spacing and surrounding punctuation do not matter ("  LARGE! " is "large"). */
function soft(text: string): string {
  const folded = text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
  const stripped = folded.replace(/^[\p{P}\s]+|[\p{P}\s]+$/gu, '');
  return stripped || folded;
}

/** Also ignores diacritics ("cafe" is "Café"). */
function loose(text: string): string {
  return soft(text).normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC');
}

function replyNumber(reply: string): number | undefined {
  // NFKC turns fullwidth "２" and "＃" into ASCII; the keycap marks turn "2️⃣" into "2".
  const text = reply
    .normalize('NFKC')
    .replace(/[\uFE0F\u20E3]/g, '')
    .trim();
  const m = /^(?:#|№|no\.?)?\s*(\d{1,4})\s*[.)]?$/i.exec(text);
  return m?.[1] ? Number(m[1]) : undefined;
}

function unique(offered: readonly OfferedChoice[], test: (o: OfferedChoice) => boolean): OfferedChoice | undefined {
  const hits = offered.filter(test);
  return hits.length === 1 ? hits[0] : undefined;
}

/** A typed prefix shorter than this is too likely to be an unrelated word. */
const MIN_PREFIX = 3;

/**
 * Maps a shopper's typed reply back to one of the offered choices: its number ("2", "2.",
 * " 2 ", "#2", fullwidth "２") or its label, ignoring case, spacing, width and diacritics, and
 * also the truncated form the channel showed ("Extra large cott…"). A number that was not
 * offered falls through to labels, so a size "42" still matches its own label. Ambiguous or
 * unrelated replies return `undefined`.
 *
 * @example
 * ```ts
 * const offered = [{ index: 1, label: 'Small', payload: 'size.s' }, { index: 2, label: 'Large', payload: 'size.l' }];
 * matchChoice('２', offered)?.payload;      // 'size.l'
 * matchChoice(' large ', offered)?.payload; // 'size.l'
 * matchChoice('hello', offered);            // undefined
 * ```
 */
export function matchChoice(reply: string, offered: readonly OfferedChoice[]): OfferedChoice | undefined {
  const n = replyNumber(reply);
  const byNumber = n === undefined ? undefined : offered.find((o) => o.index === n);
  if (byNumber) return byNumber;
  for (const fold of [soft, loose]) {
    const hit = unique(offered, (o) => fold(o.label) === fold(reply));
    if (hit) return hit;
  }
  // `loose` strips the trailing "…" too, so a copied truncated label is a plain prefix.
  const typed = loose(reply);
  if (typed.length < MIN_PREFIX) return undefined;
  return unique(offered, (o) => loose(o.label).startsWith(typed));
}
