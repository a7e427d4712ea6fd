import type { MarkupDialect } from './capabilities.js';
import { parseMarkup, type Span } from './markup.js';

// WhatsApp's formatting, shared by the Cloud API and WhatsApp Web adapters (adapters never
// import each other, so the one conversion lives here beside the other dialects).

/** Consecutive spans sharing a key, in order. */
function runs<K>(spans: readonly Span[], key: (s: Span) => K): { key: K; spans: Span[] }[] {
  const out: { key: K; spans: Span[] }[] = [];
  for (const span of spans) {
    const k = key(span);
    const tail = out.at(-1);
    if (tail && tail.key === k) tail.spans.push(span);
    else out.push({ key: k, spans: [span] });
  }
  return out;
}

// Why whitespace stays outside: WhatsApp only formats `*bold*` when the markers hug the text.
function wrap(inner: string, marker: string): string {
  const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(inner);
  if (!marker || !m?.[2]) return inner;
  return `${m[1]}${marker}${m[2]}${marker}${m[3]}`;
}

function links(spans: readonly Span[]): string {
  return runs(spans, (s) => s.href ?? '')
    .map(({ key, spans: group }) => {
      const text = group.map((s) => s.text).join('');
      return !key || text === key ? text : `${text} (${key})`;
    })
    .join('');
}

/**
 * Writes text in WhatsApp's formatting: `*bold*`, `_italic_`, links as "label (url)" because
 * WhatsApp has no link syntax and previews bare URLs itself. Never longer than Parley
 * markdown, so the core's split at 4096 still holds.
 * https://faq.whatsapp.com/539178204879377
 *
 * @example
 * ```ts
 * toWhatsAppText('**Shipped** — [track](https://t.example/1)', 'markdown'); // '*Shipped* — track (https://t.example/1)'
 * ```
 */
export function toWhatsAppText(text: string, markup: MarkupDialect = 'plain'): string {
  if (markup === 'plain') return text;
  return runs(parseMarkup(text, markup), (s) => Boolean(s.bold))
    .map((bold) => {
      const inner = runs(bold.spans, (s) => Boolean(s.italic))
        .map((italic) => wrap(links(italic.spans), italic.key ? '_' : ''))
        .join('');
      return wrap(inner, bold.key ? '*' : '');
    })
    .join('');
}
