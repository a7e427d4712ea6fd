import type { MarkupDialect } from './capabilities.js';
import type { Localize } from './ports.js';

/**
 * A run of text with one style: the dialect-neutral form every text passes through on its way
 * to a channel. Parsing into spans first means escaping, splitting and link fallbacks are each
 * written once instead of once per pair of dialects.
 *
 * @example
 * ```ts
 * const spans: Span[] = [{ text: 'Track it ' }, { text: 'here', href: 'https://shop.example/t/1' }];
 * renderSpans(spans, 'plain'); // "Track it here (https://shop.example/t/1)"
 * ```
 */
export interface Span {
  text: string;
  bold?: boolean;
  italic?: boolean;
  /** The span is a link to this URL (`text === href` for a bare URL). */
  href?: string;
}

/**
 * Text built by the core (numbered choices, card fallbacks) waiting to be split and rendered
 * into text parts in the channel's dialect.
 *
 * @example
 * ```ts
 * const title: RichText = { kind: 'rich', spans: [{ text: 'Linen shirt', bold: true }] };
 * ```
 */
export interface RichText {
  kind: 'rich';
  spans: Span[];
}

type Style = Omit<Span, 'text'>;
type Recurse = (inner: string, style: Style) => Span[];

/** One dialect's inline syntax: a single alternation scanned left to right. */
interface Grammar {
  pattern: RegExp;
  decode(text: string): string;
  onMatch(m: RegExpMatchArray, style: Style, recurse: Recurse): Span[];
}

// Why the last character class: trailing punctuation belongs to the sentence, not the URL
// ("see https://shop.example/faq.").
const BARE_URL = String.raw`https?:\/\/[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'"*_]`;
const WORD = String.raw`[\p{L}\p{N}_]`;

// Why a scheme allow-list: an LLM-written `[x](javascript:...)` must never become a live link.
const SAFE_HREF = /^(?:https?:\/\/|mailto:|tel:)/i;

const markdown: Grammar = {
  pattern: new RegExp(
    [
      String.raw`\[([^\]\n]+)\]\(([^)\s]+)\)`,
      String.raw`\*\*(?=\S)([\s\S]*?\S)\*\*`,
      String.raw`(?<!${WORD})_(?=\S)([^_\n]*?\S)_(?!${WORD})`,
      `(${BARE_URL})`,
    ].join('|'),
    'gu',
  ),
  decode: (text) => text,
  onMatch(m, style, recurse) {
    const [all, label, href, bold, italic, url] = m;
    if (label !== undefined && href !== undefined) return linkSpans(all, label, href, style, recurse);
    if (bold !== undefined) return recurse(bold, { ...style, bold: true });
    if (italic !== undefined) return recurse(italic, { ...style, italic: true });
    return [{ ...style, text: url ?? all, href: url }];
  },
};

const mrkdwn: Grammar = {
  pattern: new RegExp(
    [
      String.raw`<((?:https?:\/\/|mailto:)[^|>\s]+)(?:\|([^>]*))?>`,
      String.raw`(?<![\p{L}\p{N}*])\*(?=\S)([^*\n]*?\S)\*(?![\p{L}\p{N}*])`,
      String.raw`(?<!${WORD})_(?=\S)([^_\n]*?\S)_(?!${WORD})`,
      `(${BARE_URL})`,
    ].join('|'),
    'gu',
  ),
  decode: decodeEntities,
  onMatch(m, style, recurse) {
    const [all, href, label, bold, italic, url] = m;
    if (href !== undefined) {
      const target = decodeEntities(href);
      return linkSpans(all, label ? decodeEntities(label) : target, target, style, (t, s) => [{ ...s, text: t }]);
    }
    if (bold !== undefined) return recurse(bold, { ...style, bold: true });
    if (italic !== undefined) return recurse(italic, { ...style, italic: true });
    const target = decodeEntities(url ?? all);
    return [{ ...style, text: target, href: target }];
  },
};

// Plain text keeps its words as written; only bare URLs become links (a shopper's own message).
const bareUrls: Grammar = {
  pattern: new RegExp(`(${BARE_URL})`, 'gu'),
  decode: (text) => text,
  onMatch: (m, style) => [{ ...style, text: m[0], href: m[0] }],
};

function linkSpans(all: string, label: string, href: string, style: Style, recurse: Recurse): Span[] {
  if (!SAFE_HREF.test(href)) return [{ ...style, text: all }];
  return recurse(label, style).map((span) => ({ ...span, href }));
}

function parseInline(text: string, style: Style, grammar: Grammar): Span[] {
  const spans: Span[] = [];
  const recurse: Recurse = (inner, innerStyle) => parseInline(inner, innerStyle, grammar);
  let last = 0;
  // matchAll clones the pattern, so the recursion inside onMatch cannot disturb lastIndex.
  for (const m of text.matchAll(grammar.pattern)) {
    const at = m.index ?? 0;
    if (at > last) spans.push({ ...style, text: grammar.decode(text.slice(last, at)) });
    spans.push(...grammar.onMatch(m, style, recurse));
    last = at + m[0].length;
  }
  if (last < text.length) spans.push({ ...style, text: grammar.decode(text.slice(last)) });
  return spans;
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, name: string) => {
    if (name[0] !== '#') return NAMED_ENTITIES[name.toLowerCase()] ?? all;
    const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : all;
  });
}

/** Telegram-style HTML: `<b>`, `<i>`, `<a href>`, `<br>`; other tags are dropped, their text kept. */
function parseHtml(html: string): Span[] {
  const spans: Span[] = [];
  let bold = 0;
  let italic = 0;
  const links: string[] = [];
  const push = (text: string) => {
    if (!text) return;
    const span: Span = { text };
    if (bold > 0) span.bold = true;
    if (italic > 0) span.italic = true;
    const href = links.at(-1);
    if (href) span.href = href;
    spans.push(span);
  };
  let last = 0;
  for (const m of html.matchAll(/<(\/?)([a-z][a-z0-9-]*)\b([^>]*)>/gi)) {
    push(decodeEntities(html.slice(last, m.index)));
    last = (m.index ?? 0) + m[0].length;
    const closing = m[1] === '/';
    const tag = (m[2] ?? '').toLowerCase();
    const step = closing ? -1 : 1;
    if (tag === 'b' || tag === 'strong') bold = Math.max(0, bold + step);
    else if (tag === 'i' || tag === 'em') italic = Math.max(0, italic + step);
    else if (tag === 'a' && closing) links.pop();
    else if (tag === 'a') links.push(hrefOf(m[3] ?? ''));
    else if (tag === 'br') push('\n');
  }
  push(decodeEntities(html.slice(last)));
  return spans;
}

function hrefOf(attributes: string): string {
  const href = decodeEntities(
    /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')/i
      .exec(attributes)
      ?.slice(1)
      .find((v) => v !== undefined) ?? '',
  );
  return SAFE_HREF.test(href) ? href : '';
}

/**
 * Parses text written in `dialect` into spans. Unknown syntax stays as literal text, so nothing
 * the author wrote is lost.
 *
 * @example
 * ```ts
 * parseMarkup('**Hi** [track](https://t.example/1)', 'markdown');
 * // [{ text: 'Hi', bold: true }, { text: ' ' }, { text: 'track', href: 'https://t.example/1' }]
 * ```
 */
export function parseMarkup(text: string, dialect: MarkupDialect): Span[] {
  if (dialect === 'markdown') return parseInline(text, {}, markdown);
  if (dialect === 'mrkdwn' || dialect === 'whatsapp') return parseInline(text, {}, mrkdwn);
  if (dialect === 'html') return parseHtml(text);
  return text ? [{ text }] : [];
}

/**
 * Splits plain text into spans where each bare URL is a link span; nothing else is read as
 * markup. For text written without markup, such as a shopper's own message, whose links should
 * still be clickable where they are shown.
 *
 * @example
 * ```ts
 * parseBareUrls('See https://shop.example/faq.');
 * // [{ text: 'See ' }, { text: 'https://shop.example/faq', href: 'https://shop.example/faq' }, { text: '.' }]
 * ```
 */
export function parseBareUrls(text: string): Span[] {
  return parseInline(text, {}, bareUrls);
}

interface Syntax {
  escape(text: string): string;
  bold: [string, string];
  italic: [string, string];
  link(text: string, href: string): string;
}

const escapeAngles = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const syntaxes: Record<MarkupDialect, Syntax> = {
  plain: {
    escape: (text) => text,
    bold: ['', ''],
    italic: ['', ''],
    link: (text, href) => (text === href ? href : `${text} (${href})`),
  },
  // Why no escaping: Parley's portable subset has no escape syntax; literal `**` is rare in replies.
  markdown: {
    escape: (text) => text,
    bold: ['**', '**'],
    italic: ['_', '_'],
    link: (text, href) => (text === href ? href : `[${text}](${href})`),
  },
  html: {
    escape: escapeAngles,
    bold: ['<b>', '</b>'],
    italic: ['<i>', '</i>'],
    link: (text, href) => `<a href="${escapeAngles(href).replace(/"/g, '&quot;')}">${escapeAngles(text)}</a>`,
  },
  // WhatsApp formats `*bold*` and `_italic_` and has no link syntax (it previews bare URLs).
  // https://faq.whatsapp.com/539178204879377
  whatsapp: {
    escape: (text) => text,
    bold: ['*', '*'],
    italic: ['_', '_'],
    link: (text, href) => (text === href ? href : `${text} (${href})`),
  },
  // https://api.slack.com/reference/surfaces/formatting#escaping
  mrkdwn: {
    escape: escapeAngles,
    bold: ['*', '*'],
    italic: ['_', '_'],
    link: (text, href) => (text === href ? `<${escapeAngles(href)}>` : `<${escapeAngles(href)}|${escapeAngles(text)}>`),
  },
};

/** Consecutive items with the same key, in order. */
function runs<T, K>(items: readonly T[], key: (item: T) => K): { key: K; items: T[] }[] {
  const out: { key: K; items: T[] }[] = [];
  for (const item of items) {
    const k = key(item);
    const tail = out.at(-1);
    if (tail && tail.key === k) tail.items.push(item);
    else out.push({ key: k, items: [item] });
  }
  return out;
}

// Why whitespace goes outside the markers: `** bold**` and `*bold *` do not render as bold.
function wrap(inner: string, [open, close]: [string, string]): string {
  const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(inner);
  if (!m?.[2] || !open) return inner;
  return `${m[1]}${open}${m[2]}${close}${m[3]}`;
}

function renderLinks(spans: readonly Span[], syntax: Syntax): string {
  return runs(spans, (s) => s.href ?? '')
    .map(({ key, items }) => {
      const text = items.map((s) => s.text).join('');
      return key ? syntax.link(text, key) : syntax.escape(text);
    })
    .join('');
}

/**
 * Writes spans in a channel's dialect, escaping what the dialect needs escaped. Bold wraps
 * italic wraps links, with one marker pair per run so adjacent spans never produce `****`.
 *
 * @example
 * ```ts
 * renderSpans([{ text: 'A & B', bold: true }], 'html'); // "<b>A &amp; B</b>"
 * ```
 */
export function renderSpans(spans: readonly Span[], to: MarkupDialect): string {
  const syntax = syntaxes[to];
  return runs(spans, (s) => Boolean(s.bold))
    .map((bold) => {
      const inner = runs(bold.items, (s) => Boolean(s.italic))
        .map((italic) => {
          const links = renderLinks(italic.items, syntax);
          return italic.key ? wrap(links, syntax.italic) : links;
        })
        .join('');
      return bold.key ? wrap(inner, syntax.bold) : inner;
    })
    .join('');
}

/**
 * Converts text from one markup dialect to another: Parley's portable markdown (`**bold**`,
 * `_italic_`, `[label](url)`, bare URLs) to Telegram HTML, Slack mrkdwn, WhatsApp or plain text.
 * Characters the target treats as markup (`& < >` in HTML and mrkdwn) are escaped.
 *
 * @example
 * ```ts
 * convertMarkup('**Hi** & [track](https://t.example/1)', 'markdown', 'html');
 * // '<b>Hi</b> &amp; <a href="https://t.example/1">track</a>'
 * convertMarkup('[track](https://t.example/1)', 'markdown', 'mrkdwn'); // '<https://t.example/1|track>'
 * convertMarkup('[track](https://t.example/1)', 'markdown', 'plain');  // 'track (https://t.example/1)'
 * ```
 */
export function convertMarkup(text: string, from: MarkupDialect, to: MarkupDialect): string {
  if (from === to) return text;
  return renderSpans(parseMarkup(text, from), to);
}

/**
 * Looks up a localised template and returns it as spans, with each variable as its own span
 * (a link, bold text, ...). Translators keep full control of word order, and variables are
 * escaped by {@link renderSpans} later, never by hand. Numbers are passed to `t` unchanged so
 * i18next can pick plural forms.
 *
 * @example
 * ```ts
 * // en: "open_link": "{{label}}: {{url}}"
 * localizeSpans(t, 'degrade.open_link', { label: 'Size guide', url: { text: url, href: url } });
 * ```
 */
export function localizeSpans(t: Localize, key: string, vars: Record<string, string | number | Span> = {}): Span[] {
  const slots: Span[] = [];
  const marked: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(vars)) {
    if (typeof value === 'number') marked[name] = value;
    else {
      // Private-use markers survive i18next's interpolation and escaping untouched.
      marked[name] = `\uE000${slots.length}\uE001`;
      slots.push(typeof value === 'string' ? { text: value } : value);
    }
  }
  const parts = t(key, marked).split(/\uE000(\d+)\uE001/);
  return parts.map((piece, i) => (i % 2 === 1 ? (slots[Number(piece)] ?? { text: '' }) : { text: piece })).filter((span) => span.text !== '');
}
