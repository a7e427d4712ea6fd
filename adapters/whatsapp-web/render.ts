import type { ConversationRef, OutboundMessage, Part } from '../../src/core/message.js';
import { convertMarkup } from '../../src/core/markup.js';

/** A text message. */
interface TextPayload {
  type: 'text';
  text: string;
  /** Quote this message (`msg.id._serialized`). */
  quotedMessageId?: string;
}

/** Media fetched from a public URL and sent as WhatsApp media (`file` as a document). */
interface MediaPayload {
  type: 'media';
  kind: 'image' | 'video' | 'audio' | 'file';
  url: string;
  caption?: string;
  filename?: string;
  mimeType?: string;
  quotedMessageId?: string;
}

/** A location pin. */
interface LocationPayload {
  type: 'location';
  latitude: number;
  longitude: number;
  name?: string;
  address?: string;
  quotedMessageId?: string;
}

/**
 * One WhatsApp Web message, as plain JSON (the outbox stores it); `deliver` turns it into a
 * `client.sendMessage` call.
 */
export type WhatsAppWebPayload = TextPayload | MediaPayload | LocationPayload;

function fallbackText(part: Part): string | undefined {
  if (part.kind === 'contact') return [part.name, part.phone, part.email].filter(Boolean).join('\n');
  if (part.kind === 'order') return [part.orderId, part.status].filter(Boolean).join(' — ');
  if (part.kind === 'sticker') return part.emoji;
  if (part.kind === 'choices') return part.choices.map((c, i) => `${i + 1}. ${c.label}`).join('\n');
  if (part.kind === 'card') return [part.title, part.subtitle, part.price, part.url].filter(Boolean).join('\n');
  return undefined;
}

function payloadOf(part: Part): WhatsAppWebPayload | undefined {
  switch (part.kind) {
    case 'text': {
      const text = convertMarkup(part.text, part.markup ?? 'plain', 'whatsapp');
      return text.trim() ? { type: 'text', text } : undefined;
    }
    case 'image':
    case 'video':
    case 'file':
      return {
        type: 'media',
        kind: part.kind,
        url: part.url,
        ...(part.caption ? { caption: part.caption } : {}),
        ...(part.name ? { filename: part.name } : {}),
        ...(part.mimeType ? { mimeType: part.mimeType } : {}),
      };
    case 'audio':
      return { type: 'media', kind: 'audio', url: part.url, ...(part.mimeType ? { mimeType: part.mimeType } : {}) };
    case 'location':
      return {
        type: 'location',
        latitude: part.latitude,
        longitude: part.longitude,
        ...(part.name ? { name: part.name } : {}),
        ...(part.address ? { address: part.address } : {}),
      };
    default: {
      const text = fallbackText(part);
      return text ? { type: 'text', text } : undefined;
    }
  }
}

// Why 1024: the longest caption WhatsApp shows in full on every client; longer stays a text.
const maxCaptionLength = 1024;

/** A short lone text before media becomes the media's caption: one WhatsApp message, not two. */
function mergeCaption(payloads: WhatsAppWebPayload[]): WhatsAppWebPayload[] {
  const [first, second, ...rest] = payloads;
  const short = first?.type === 'text' && first.text.length <= maxCaptionLength;
  if (short && second?.type === 'media' && second.kind !== 'audio' && !second.caption && rest.length === 0) {
    return [{ ...second, caption: first.text }];
  }
  return payloads;
}

/**
 * Turns a message the core has already degraded to {@link whatsappWebCapabilities} into
 * WhatsApp Web payloads: text in WhatsApp formatting, media by URL, location pins. Choices
 * never arrive here (the core sends them as numbered text); leftovers the core did not expect
 * become plain text rather than vanish. Pure.
 *
 * @example
 * ```ts
 * renderMessage({ parts: [{ kind: 'text', text: '**Hi**', markup: 'markdown' }] }, ref);
 * // [{ type: 'text', text: '*Hi*' }]
 * ```
 */
export function renderMessage(message: OutboundMessage, _ref: ConversationRef): WhatsAppWebPayload[] {
  const payloads = mergeCaption(message.parts.map(payloadOf).filter((p) => p !== undefined));
  const first = payloads[0];
  if (first && message.replyTo) payloads[0] = { ...first, quotedMessageId: message.replyTo };
  return payloads;
}
