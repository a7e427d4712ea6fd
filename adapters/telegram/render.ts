import { createHash } from 'node:crypto';
import { convertMarkup } from '../../src/core/markup.js';
import type { CardPart, Choice, ConversationRef, OutboundMessage, Part, TextPart } from '../../src/core/message.js';
import { maxCallbackDataBytes, maxCaptionLength, telegramCapabilities } from './capabilities.js';

/** An inline keyboard button: a callback (payload) or a link. */
type InlineButton = { text: string; callback_data: string } | { text: string; url: string };

/** Parameters every send method shares. */
interface Common {
  chat_id: string;
  message_thread_id?: number;
  reply_markup?: { inline_keyboard: InlineButton[][] };
  reply_parameters?: { message_id: number; allow_sending_without_reply: true };
}

interface Captioned extends Common {
  caption?: string;
  parse_mode?: 'HTML';
}

/**
 * One Bot API call that sends a message. Media are passed by URL or file_id (Telegram fetches
 * URLs itself), so every payload is plain JSON.
 */
export type TelegramPayload =
  | { method: 'sendMessage'; params: Common & { text: string; parse_mode: 'HTML' } }
  | { method: 'sendPhoto'; params: Captioned & { photo: string } }
  | { method: 'sendVideo'; params: Captioned & { video: string } }
  | { method: 'sendAudio'; params: Captioned & { audio: string } }
  | { method: 'sendVoice'; params: Captioned & { voice: string } }
  | { method: 'sendDocument'; params: Captioned & { document: string } }
  | { method: 'sendSticker'; params: Common & { sticker: string } }
  | { method: 'sendLocation'; params: Common & { latitude: number; longitude: number } }
  | { method: 'sendVenue'; params: Common & { latitude: number; longitude: number; title: string; address: string } };

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const textPayload = (plain: string, common: Common): TelegramPayload => ({
  method: 'sendMessage',
  params: { ...common, text: escapeHtml(plain), parse_mode: 'HTML' },
});

/** Telegram HTML for a text part: already HTML after degrade; anything else is converted (and so escaped). */
function toHtml(part: TextPart): string {
  const markup = part.markup ?? 'plain';
  return markup === 'html' ? part.text : convertMarkup(part.text, markup, 'html');
}

/** `platform:<file_id>` media came from Telegram and is re-sent by file_id. */
const mediaRef = (url: string) => (url.startsWith('platform:') ? url.slice('platform:'.length) : url);

/**
 * A button's callback_data. Telegram allows 1-64 bytes; a longer payload is sent as `h~` and a
 * SHA-256 prefix, and the postback then carries the button's label so the core can match it
 * against the offered choices. https://core.telegram.org/bots/api#inlinekeyboardbutton
 */
export function callbackData(payload: string): string {
  if (payload.length > 0 && Buffer.byteLength(payload) <= maxCallbackDataBytes) return payload;
  return `h~${createHash('sha256').update(payload).digest('base64url').slice(0, 32)}`;
}

function button(choice: Choice): InlineButton {
  return choice.url ? { text: choice.label, url: choice.url } : { text: choice.label, callback_data: callbackData(choice.payload) };
}

// Why rows of up to three short labels: Telegram stretches a row over the chat's width, so
// short labels read well side by side while long ones need a row each.
const rowWidth = 30;

/** Lays choices out as an inline keyboard. */
function keyboard(choices: readonly Choice[]): { inline_keyboard: InlineButton[][] } {
  const rows: InlineButton[][] = [];
  let row: InlineButton[] = [];
  let width = 0;
  for (const choice of choices) {
    const w = [...choice.label].length;
    if (row.length > 0 && (row.length === 3 || width + w > rowWidth)) {
      rows.push(row);
      row = [];
      width = 0;
    }
    row.push(button(choice));
    width += w;
  }
  if (row.length > 0) rows.push(row);
  return { inline_keyboard: rows };
}

function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** Card text: the title in bold (linked to the product), subtitle and price, within a caption's limit. */
function cardCaption(card: CardPart): string {
  const title = `<b>${escapeHtml(cut(card.title, 200))}</b>`;
  const head = card.url ? `<a href="${escapeHtml(card.url).replace(/"/g, '&quot;')}">${title}</a>` : title;
  const price = card.price ? `\n${escapeHtml(card.price)}` : '';
  const room = maxCaptionLength - 250 - price.length;
  const subtitle = card.subtitle ? `\n${escapeHtml(cut(card.subtitle, room))}` : '';
  return `${head}${subtitle}${price}`;
}

function card(part: CardPart, common: Common): TelegramPayload[] {
  const markup = part.buttons?.length ? { reply_markup: keyboard(part.buttons) } : {};
  const caption = cardCaption(part);
  if (part.imageUrl) return [{ method: 'sendPhoto', params: { ...common, photo: mediaRef(part.imageUrl), caption, parse_mode: 'HTML', ...markup } }];
  return [{ method: 'sendMessage', params: { ...common, text: caption, parse_mode: 'HTML', ...markup } }];
}

/**
 * Captions are limited to 1024 visible characters; a longer one goes into a text message after
 * the media (cut at Telegram's text limit, before escaping so no entity is split).
 */
function captioned(caption: string | undefined, common: Common): [Captioned, TelegramPayload[]] {
  if (!caption) return [common, []];
  if ([...caption].length <= maxCaptionLength) return [{ ...common, caption: escapeHtml(caption), parse_mode: 'HTML' }, []];
  return [common, [textPayload(cut(caption, telegramCapabilities.maxTextLength), common)]];
}

function media(part: Extract<Part, { kind: 'image' | 'video' | 'file' }>, common: Common): TelegramPayload[] {
  const [params, after] = captioned(part.caption, common);
  const ref = mediaRef(part.url);
  if (part.kind === 'image') return [{ method: 'sendPhoto', params: { ...params, photo: ref } }, ...after];
  if (part.kind === 'video') return [{ method: 'sendVideo', params: { ...params, video: ref } }, ...after];
  return [{ method: 'sendDocument', params: { ...params, document: ref } }, ...after];
}

function renderPart(part: Part, common: Common): TelegramPayload[] {
  switch (part.kind) {
    case 'text':
      return [{ method: 'sendMessage', params: { ...common, text: toHtml(part), parse_mode: 'HTML' } }];
    case 'image':
    case 'video':
    case 'file':
      return media(part, common);
    case 'audio':
      // Why: only OGG/Opus plays as a voice note; everything else goes to the music player.
      if (part.mimeType === 'audio/ogg') return [{ method: 'sendVoice', params: { ...common, voice: mediaRef(part.url) } }];
      return [{ method: 'sendAudio', params: { ...common, audio: mediaRef(part.url) } }];
    case 'sticker':
      return [{ method: 'sendSticker', params: { ...common, sticker: part.url && !part.url.startsWith('platform:') ? part.url : part.id } }];
    case 'location': {
      const { latitude, longitude, name, address } = part;
      if (name && address) return [{ method: 'sendVenue', params: { ...common, latitude, longitude, title: name, address } }];
      return [{ method: 'sendLocation', params: { ...common, latitude, longitude } }];
    }
    case 'card':
      return card(part, common);
    // degrade turns these into text before render; kept so nothing is ever dropped.
    case 'contact':
      return [textPayload([part.name, part.phone, part.email].filter(Boolean).join('\n'), common)];
    case 'order':
      return [textPayload([part.orderId, part.status].filter(Boolean).join(' '), common)];
    case 'choices':
      return [];
  }
}

/**
 * Attaches buttons to the last payload, or sends them with a short text when there is nothing to
 * attach them to (Telegram has no message of buttons alone).
 */
function withKeyboard(payloads: TelegramPayload[], choices: readonly Choice[], title: string | undefined, common: Common): TelegramPayload[] {
  const reply_markup = keyboard(choices);
  const last = payloads.at(-1);
  if (last && !last.params.reply_markup) {
    return [...payloads.slice(0, -1), { ...last, params: { ...last.params, reply_markup } } as TelegramPayload];
  }
  // Why the labels as text: without a title, a notification reading "Yes · No" still makes sense.
  const text = title ?? choices.map((c) => c.label).join(' · ');
  return [...payloads, { method: 'sendMessage', params: { ...common, text: escapeHtml(text), parse_mode: 'HTML', reply_markup } }];
}

/**
 * Turns one degraded message into Bot API calls: text as Telegram HTML, media by URL or
 * file_id, choices as an inline keyboard under the last payload, cards as a photo with caption
 * and buttons. Pure.
 *
 * @example
 * ```ts
 * renderMessage({ parts: [{ kind: 'text', text: 'Hi & bye' }] }, { channelId: 'tg', chatId: '42', userId: '42' });
 * // [{ method: 'sendMessage', params: { chat_id: '42', text: 'Hi &amp; bye', parse_mode: 'HTML' } }]
 * ```
 */
export function renderMessage(message: OutboundMessage, ref: ConversationRef): TelegramPayload[] {
  const common: Common = { chat_id: ref.chatId, ...(ref.threadId ? { message_thread_id: Number(ref.threadId) } : {}) };
  let payloads = message.parts.flatMap((part) => renderPart(part, common));
  for (const part of message.parts) {
    if (part.kind === 'choices' && part.choices.length > 0) payloads = withKeyboard(payloads, part.choices, part.title, common);
  }
  const first = payloads[0];
  const replyTo = Number(message.replyTo);
  if (first && message.replyTo && Number.isSafeInteger(replyTo)) {
    payloads[0] = { ...first, params: { ...first.params, reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } } } as TelegramPayload;
  }
  return payloads;
}
