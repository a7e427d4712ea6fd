import type { Capabilities } from './capabilities.js';
import type { DegradeContext, OfferedChoice } from './choices.js';
import { type FlowItem, fallbackPart } from './fallback.js';
import type { RichText } from './markup.js';
import type { OutboundMessage, Part } from './message.js';
import type { Localize } from './ports.js';
import { splitSpans } from './split.js';

export { matchChoice, type OfferedChoice } from './choices.js';
export { convertMarkup } from './markup.js';

/**
 * A message reshaped for one channel: one entry per platform message, in sending order, and
 * the choices that were offered (to store with the conversation for {@link matchChoice}).
 *
 * @example
 * ```ts
 * const { messages, offered } = degrade(reply, adapter.capabilities, t);
 * for (const m of messages) await outbox.add(adapter.render(m, ref));
 * if (offered) await store.saveOffered(conversationId, offered);
 * ```
 */
export interface DegradeResult {
  messages: OutboundMessage[];
  /** Every payload choice offered, numbered from 1; absent when the message offers none. */
  offered?: OfferedChoice[];
}

const PARAGRAPH = { text: '\n\n' };

/** Adjacent texts (a reply, then its numbered choices) read as one message, not several. */
function mergeText(items: readonly FlowItem[]): FlowItem[] {
  const out: FlowItem[] = [];
  for (const item of items) {
    const tail = out.at(-1);
    if (item.kind === 'rich' && tail?.kind === 'rich') out[out.length - 1] = { kind: 'rich', spans: [...tail.spans, PARAGRAPH, ...item.spans] };
    else out.push(item);
  }
  return out;
}

/**
 * Packs items into platform messages: each holds at most one text part, first, then its
 * attachments; a choices part closes its message so buttons sit under the text they answer
 * (after a split, under the last chunk).
 */
function assemble(items: readonly FlowItem[], caps: Capabilities): OutboundMessage[] {
  const messages: OutboundMessage[] = [];
  let current: Part[] = [];
  const flush = () => {
    if (current.length > 0) messages.push({ parts: current });
    current = [];
  };
  for (const item of items) {
    if (item.kind === 'rich') {
      for (const text of renderText(item, caps)) {
        flush();
        current = [text];
      }
    } else if (item.kind === 'choices') {
      current.push(item);
      flush();
    } else current.push(item);
  }
  flush();
  return messages;
}

function renderText(item: RichText, caps: Capabilities): Part[] {
  return splitSpans(item.spans, caps.maxTextLength, caps.markup).map((text) => ({
    kind: 'text',
    text,
    markup: caps.markup,
  }));
}

/**
 * Reshapes a message so that what reaches an adapter's `render` only uses what the channel
 * supports, and nothing is silently dropped:
 *
 * - choices: buttons when they fit (long labels truncated with "…"), else a list picker
 *   (`display: 'list'`), else numbered text after a localised "reply with the number" line;
 *   link choices become "label: url" lines where they cannot be buttons;
 * - cards without card support: bold title, subtitle, price and a product link as text, the
 *   image as an image part (or a link), the buttons as choices by the same rule;
 * - unsupported media, locations, stickers, contacts and orders: localised text with links;
 * - text: converted to the channel's markup dialect (every text part leaves with
 *   `markup: caps.markup`) and split on paragraph, line, sentence, space, then grapheme, so
 *   no chunk exceeds `caps.maxTextLength` UTF-16 code units after escaping.
 *
 * Each returned message holds at most one text part plus its attachments; `replyTo` stays on
 * the first. Numbers shown to the shopper equal `offered[].index`.
 *
 * @example
 * ```ts
 * const { messages, offered } = degrade(
 *   { parts: [{ kind: 'text', text: 'Which size?' }, { kind: 'choices', choices: sizes }] },
 *   textOnlyCapabilities,
 *   t,
 * );
 * // messages[0].parts[0].text === 'Which size?\n\nReply with the number of your choice:\n1. Small\n2. Large'
 * matchChoice('2', offered ?? [])?.payload; // 'size.l'
 * ```
 */
export function degrade(message: OutboundMessage, caps: Capabilities, t: Localize): DegradeResult {
  const ctx: DegradeContext = { caps, t, offered: [] };
  const items = mergeText(message.parts.flatMap((part) => fallbackPart(part, ctx)));
  const messages = assemble(items, caps);
  const first = messages[0];
  if (first && message.replyTo !== undefined) messages[0] = { ...first, replyTo: message.replyTo };
  if (message.language) for (const [i, m] of messages.entries()) messages[i] = { ...m, language: message.language };
  return ctx.offered.length > 0 ? { messages, offered: ctx.offered } : { messages };
}
