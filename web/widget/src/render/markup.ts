/**
 * Message text as DOM nodes, parsed by the same parser the gateway uses for every channel
 * (src/core/markup.ts), so the widget shows `**bold**`, `_italic_`, `[label](url)` and bare
 * URLs exactly as the server reads them. Nodes are built with createElement and text nodes
 * only: no text ever reaches innerHTML.
 */

import { parseBareUrls, parseMarkup, type Span } from '../../../../src/core/markup.js';
import { type Child, h } from '../../../shared/dom.js';
import { link } from '../links.js';

/** Consecutive spans with the same key. */
function runs(spans: readonly Span[], key: (span: Span) => unknown): Span[][] {
  const out: Span[][] = [];
  let last: unknown;
  for (const span of spans) {
    const k = key(span);
    const tail = out.at(-1);
    if (tail && k === last) tail.push(span);
    else out.push([span]);
    last = k;
  }
  return out;
}

const textOf = (spans: readonly Span[]) => spans.map((s) => s.text).join('');

// The parser only lets http(s), mailto: and tel: through; mailto and tel are not web pages, so
// they skip the gateway-relative resolution web links get.
function spanLink(href: string, label: string): Node {
  if (/^(?:mailto|tel):/i.test(href)) return h('a', { href, target: '_blank', rel: 'noopener noreferrer' }, label);
  return link(href, label);
}

function linked(spans: readonly Span[]): Node[] {
  return runs(spans, (s) => s.href ?? '').map((run) => {
    const href = run[0]?.href;
    return href ? spanLink(href, textOf(run)) : document.createTextNode(textOf(run));
  });
}

/** Bold wraps italic wraps links, one element per run, as the server's renderSpans nests them. */
function nodes(spans: readonly Span[]): Child[] {
  return runs(spans, (s) => Boolean(s.bold)).map((bold) => {
    const inner = runs(bold, (s) => Boolean(s.italic)).map((italic) => (italic[0]?.italic ? h('em', null, linked(italic)) : linked(italic)));
    return bold[0]?.bold ? h('strong', null, inner) : inner;
  });
}

/**
 * Text as nodes: Parley's markdown subset when `markdown`, otherwise plain text whose bare
 * URLs are still links (what a shopper typed).
 */
export function inline(text: string, markdown: boolean): Child[] {
  return nodes(markdown ? parseMarkup(text, 'markdown') : parseBareUrls(text));
}
