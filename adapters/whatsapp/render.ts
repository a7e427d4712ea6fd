import { truncateLabel } from '../../src/core/choices.js';
import type { ChoicesPart, ConversationRef, OutboundMessage, Part } from '../../src/core/message.js';
import { hasLink, toWhatsAppText } from './format.js';
import type { OutContent, OutInteractive, OutMedia, WhatsAppPayload } from './wire.js';

/**
 * Interactive bodies and media captions hold 1024 characters, a text message 4096.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-reply-buttons-messages
 */
const BODY_MAX = 1024;
const CAPTION_MAX = 1024;
/** The list's open button and a call-to-action button hold 20 characters. */
const BUTTON_TEXT_MAX = 20;
/** Shown on a list's open button when the core gave no title (it normally does). */
const LIST_BUTTON_FALLBACK = '☰';

/**
 * Turns an already-degraded message into Cloud API message bodies, one per platform message:
 * a text followed by choices becomes one interactive message (reply buttons, or a list when
 * `display: 'list'`); media go by link, or by id for `platform:<id>` media received earlier.
 * `replyTo` quotes the shopper's message on the first payload.
 *
 * @example
 * ```ts
 * renderMessage({ parts: [{ kind: 'text', text: 'Size?' }, { kind: 'choices', choices: sizes }] }, ref);
 * // [{ messaging_product: 'whatsapp', recipient_type: 'individual', to: ref.chatId, type: 'interactive',
 * //    interactive: { type: 'button', body: { text: 'Size?' }, action: { buttons: [...] } } }]
 * ```
 */
export function renderMessage(message: OutboundMessage, ref: ConversationRef): WhatsAppPayload[] {
  const contents: OutContent[] = [];
  const { parts } = message;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as Part;
    const next = parts[i + 1];
    if (part.kind === 'text' && next?.kind === 'choices') {
      contents.push(...choicesContent(next, toWhatsAppText(part.text, part.markup)));
      i++;
    } else contents.push(...partContent(part));
  }
  return contents.map((content, i) => {
    const payload: WhatsAppPayload = { messaging_product: 'whatsapp', recipient_type: 'individual', to: ref.chatId, ...content };
    return i === 0 && message.replyTo ? { ...payload, context: { message_id: message.replyTo } } : payload;
  });
}

function partContent(part: Part): OutContent[] {
  switch (part.kind) {
    case 'text':
      return [textContent(toWhatsAppText(part.text, part.markup))];
    case 'choices':
      return choicesContent(part, undefined);
    case 'image':
    case 'video':
      return captioned(part.kind, mediaRef(part.url), part.caption);
    case 'file':
      return captioned('document', { ...mediaRef(part.url), ...(part.name ? { filename: part.name } : {}) }, part.caption);
    case 'audio':
      return [{ type: 'audio', audio: mediaRef(part.url) }];
    case 'sticker':
      return [{ type: 'sticker', sticker: part.url ? mediaRef(part.url) : { id: part.id } }];
    case 'location': {
      const { latitude, longitude, name, address } = part;
      return [{ type: 'location', location: { latitude, longitude, ...(name ? { name } : {}), ...(address ? { address } : {}) } }];
    }
    // The core degrades these to text for WhatsApp; kept readable in case one slips through.
    case 'contact':
      return [textContent([part.name, part.phone, part.email].filter(Boolean).join('\n'))];
    case 'card':
      return [textContent([part.title, part.subtitle, part.price, part.url].filter(Boolean).join('\n'))];
    case 'order':
      return [textContent([part.orderId, part.status].filter(Boolean).join(' '))];
  }
}

function textContent(body: string): OutContent {
  return { type: 'text', text: { body, preview_url: hasLink(body) } };
}

/** `platform:<id>` is media already on WhatsApp (received earlier): resend it by id. */
function mediaRef(url: string): OutMedia {
  return url.startsWith('platform:') ? { id: url.slice('platform:'.length) } : { link: url };
}

function captioned(type: 'image' | 'video' | 'document', media: OutMedia, caption: string | undefined): OutContent[] {
  const withMedia = (m: OutMedia) => ({ type, [type]: m }) as OutContent;
  if (!caption) return [withMedia(media)];
  // A caption over the limit is sent as its own text first rather than cut.
  if (caption.length > CAPTION_MAX) return [textContent(caption), withMedia(media)];
  return [withMedia({ ...media, caption })];
}

/**
 * Payload choices become reply buttons or list rows; link choices cannot be reply buttons, so
 * they become "label: url" lines in the body, or a call-to-action URL button when there is
 * exactly one link and nothing else to press.
 */
function choicesContent(part: ChoicesPart, text: string | undefined): OutContent[] {
  const actions = part.choices.filter((c) => !c.url);
  const links = part.choices.filter((c) => c.url);
  const [onlyLink] = links;
  if (actions.length === 0 && links.length === 1 && onlyLink?.url) {
    const body = text ?? part.title ?? onlyLink.label;
    const display_text = truncateLabel(onlyLink.label, BUTTON_TEXT_MAX);
    const action = { name: 'cta_url' as const, parameters: { display_text, url: onlyLink.url } };
    return interactive({ type: 'cta_url', body: { text: '' }, action }, body, onlyLink.label);
  }
  const body = [text, links.map((c) => `${c.label}: ${c.url}`).join('\n')].filter(Boolean).join('\n\n');
  if (actions.length === 0) return body ? [textContent(body)] : [];
  const fallback = part.title ?? actions.map((c) => c.label).join(' · ');
  if (part.display === 'list') {
    const button = truncateLabel(part.title ?? LIST_BUTTON_FALLBACK, BUTTON_TEXT_MAX);
    const rows = actions.map((c) => ({ id: c.payload, title: c.label }));
    return interactive({ type: 'list', body: { text: '' }, action: { button, sections: [{ rows }] } }, body, fallback);
  }
  const buttons = actions.map((c) => ({ type: 'reply' as const, reply: { id: c.payload, title: c.label } }));
  return interactive({ type: 'button', body: { text: '' }, action: { buttons } }, body, fallback);
}

/**
 * Fills the interactive body. WhatsApp requires one of at most 1024 characters: a longer
 * text goes first as its own message and the choices follow under their title.
 */
function interactive(shape: OutInteractive, body: string, fallback: string): OutContent[] {
  if (body && body.length <= BODY_MAX) return [{ type: 'interactive', interactive: { ...shape, body: { text: body } } }];
  const short = truncateLabel(fallback, BODY_MAX);
  const lead = body ? [textContent(body)] : [];
  return [...lead, { type: 'interactive', interactive: { ...shape, body: { text: short } } }];
}
