import { truncateLabel } from '../../src/core/choices.js';
import type { CardPart, Choice, ChoicesPart, OutboundMessage, Part } from '../../src/core/message.js';
import { parseMarkup } from '../../src/core/markup.js';
import { splitSpans } from '../../src/core/split.js';
import type { GenericElement, OutButton, OutMessage, QuickReply, SendPayload } from './wire.js';

/** What differs between Messenger and Instagram when rendering. */
export interface RenderOptions {
  /** Messenger has the button template (links as buttons); Instagram does not. */
  buttonTemplate: boolean;
  /** Instagram counts text in UTF-8 bytes (under 1,000). */
  maxTextBytes?: number;
}

/** A generic template holds up to 10 elements (a carousel), each with up to 3 buttons. */
const MAX_ELEMENTS = 10;
const MAX_CARD_BUTTONS = 3;
/** Element titles and subtitles hold 80 characters; button titles 20; a button template's text 640. */
const ELEMENT_TEXT_MAX = 80;
const BUTTON_TITLE_MAX = 20;
const BUTTON_TEXT_MAX = 640;
const MAX_QUICK_REPLIES = 13;

/**
 * Turns an already-degraded message into Send API bodies (`messaging_type: RESPONSE`), one per
 * platform message: a text followed by choices becomes one text with quick replies (or, on
 * Messenger, a button template when links are among at most three choices); consecutive cards
 * become one generic template (a carousel); media go by URL, a caption as its own text first.
 * https://developers.facebook.com/docs/messenger-platform/send-messages/quick-replies
 * https://developers.facebook.com/docs/messenger-platform/send-messages/template/generic
 *
 * @example
 * ```ts
 * renderMessage({ parts: [{ kind: 'text', text: 'Size?' }, { kind: 'choices', choices: sizes }] }, { buttonTemplate: true });
 * // [{ messaging_type: 'RESPONSE', message: { text: 'Size?', quick_replies: [{ content_type: 'text', title: 'Small', payload: 'size.s' }, …] } }]
 * ```
 */
export function renderMessage(message: OutboundMessage, options: RenderOptions): SendPayload[] {
  const out: OutMessage[] = [];
  const { parts } = message;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as Part;
    const next = parts[i + 1];
    if (part.kind === 'text' && next?.kind === 'choices') {
      out.push(...choicesMessages(next, part.text, options));
      i++;
    } else if (part.kind === 'card') {
      const cards: CardPart[] = [part];
      while (parts[i + 1]?.kind === 'card') cards.push(parts[++i] as CardPart);
      out.push(...cardMessages(cards, options));
    } else out.push(...partMessages(part, options));
  }
  return out.flatMap((m) => splitByBytes(m, options.maxTextBytes)).map((m) => ({ messaging_type: 'RESPONSE', message: m }));
}

/**
 * The same bodies, sent after the 24-hour window as a person's reply: `MESSAGE_TAG` with the
 * `HUMAN_AGENT` tag (up to 7 days after the shopper's last message; the app needs the Human
 * Agent permission). `deliver` sends them only for agents' messages.
 * https://developers.facebook.com/docs/messenger-platform/send-messages/message-tags#human_agent
 */
export function humanAgentPayloads(payloads: readonly SendPayload[]): SendPayload[] {
  return payloads.map((p) => ({ ...p, messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' }));
}

function partMessages(part: Part, options: RenderOptions): OutMessage[] {
  switch (part.kind) {
    case 'text':
      return [{ text: part.text }];
    case 'choices':
      return choicesMessages(part, undefined, options);
    case 'image':
    case 'video':
    case 'file':
      return [...(part.caption ? [{ text: part.caption }] : []), media(part.kind, part.url)];
    case 'audio':
      return [media('audio', part.url)];
    case 'card':
      return cardMessages([part], options);
    // The core degrades these to text for Meta; kept readable in case one slips through.
    case 'sticker':
      return part.url ? [media('image', part.url)] : [{ text: part.emoji ?? part.id }];
    case 'location':
      return [{ text: [part.name, part.address, `https://maps.google.com/?q=${part.latitude},${part.longitude}`].filter(Boolean).join('\n') }];
    case 'contact':
      return [{ text: [part.name, part.phone, part.email].filter(Boolean).join('\n') }];
    case 'order':
      return [{ text: [part.orderId, part.status].filter(Boolean).join(' ') }];
  }
}

function media(type: 'image' | 'video' | 'audio' | 'file', url: string): OutMessage {
  return { attachment: { type, payload: { url, is_reusable: true } } };
}

function quickReplies(choices: readonly Choice[]): QuickReply[] {
  return choices.slice(0, MAX_QUICK_REPLIES).map((c) => ({ content_type: 'text', title: truncateLabel(c.label, BUTTON_TITLE_MAX), payload: c.payload }));
}

function button(c: Choice): OutButton {
  const title = truncateLabel(c.label, BUTTON_TITLE_MAX);
  return c.url ? { type: 'web_url', title, url: c.url } : { type: 'postback', title, payload: c.payload };
}

/**
 * Quick replies carry only payloads, so link choices need another form: Messenger's button
 * template when all choices fit in its three buttons, else "label: url" lines in the text.
 */
function choicesMessages(part: ChoicesPart, text: string | undefined, options: RenderOptions): OutMessage[] {
  const actions = part.choices.filter((c) => !c.url);
  const links = part.choices.filter((c) => c.url);
  const lead = text ?? part.title ?? part.choices.map((c) => c.label).join(' · ');
  if (links.length > 0 && options.buttonTemplate && part.choices.length <= MAX_CARD_BUTTONS && lead.length <= BUTTON_TEXT_MAX) {
    return [{ attachment: { type: 'template', payload: { template_type: 'button', text: lead, buttons: part.choices.map(button) } } }];
  }
  const linkLines = links.map((c) => `${c.label}: ${c.url}`).join('\n');
  if (actions.length === 0) return [{ text: [text ?? part.title, linkLines].filter(Boolean).join('\n\n') }];
  // Quick replies hang under the last text: links go in a text of their own before it.
  const before = linkLines ? [{ text: [text, linkLines].filter(Boolean).join('\n\n') }] : [];
  const body = linkLines ? (part.title ?? actions.map((c) => c.label).join(' · ')) : lead;
  return [...before, { text: body, quick_replies: quickReplies(actions) }];
}

function element(card: CardPart): { element: GenericElement; overflow: Choice[] } {
  const subtitle = [card.subtitle, card.price].filter(Boolean).join(' · ');
  const buttons = card.buttons ?? [];
  const element: GenericElement = {
    title: truncateLabel(card.title, ELEMENT_TEXT_MAX),
    ...(subtitle ? { subtitle: truncateLabel(subtitle, ELEMENT_TEXT_MAX) } : {}),
    ...(card.imageUrl ? { image_url: card.imageUrl } : {}),
    ...(card.url ? { default_action: { type: 'web_url' as const, url: card.url } } : {}),
    ...(buttons.length ? { buttons: buttons.slice(0, MAX_CARD_BUTTONS).map(button) } : {}),
  };
  return { element, overflow: buttons.slice(MAX_CARD_BUTTONS) };
}

/** Cards become generic templates of up to ten elements; a fourth button and beyond follow as choices. */
function cardMessages(cards: readonly CardPart[], options: RenderOptions): OutMessage[] {
  const out: OutMessage[] = [];
  for (let i = 0; i < cards.length; i += MAX_ELEMENTS) {
    const built = cards.slice(i, i + MAX_ELEMENTS).map(element);
    out.push({ attachment: { type: 'template', payload: { template_type: 'generic', elements: built.map((b) => b.element) } } });
    const overflow = built.flatMap((b) => b.overflow);
    if (overflow.length) out.push(...choicesMessages({ kind: 'choices', choices: overflow }, undefined, options));
  }
  return out;
}

/** Instagram refuses a text of 1,000 UTF-8 bytes or more: such a text is split again, by bytes. */
function splitByBytes(message: OutMessage, maxBytes: number | undefined): OutMessage[] {
  if (!maxBytes || !('text' in message) || Buffer.byteLength(message.text) < maxBytes) return [message];
  // A UTF-16 code unit takes at most 3 UTF-8 bytes, so this many units always fit.
  const chunks = splitSpans(parseMarkup(message.text, 'plain'), Math.floor((maxBytes - 1) / 3), 'plain');
  return chunks.map((text, i) => (i === chunks.length - 1 && message.quick_replies ? { text, quick_replies: message.quick_replies } : { text }));
}
