import type { CardPart, Choice, ChoicesPart, OutboundMessage, Part } from '../../src/core/message.js';

/**
 * One LINE message object (https://developers.line.biz/en/reference/messaging-api/#message-objects),
 * sent in batches of up to five by `deliver`.
 */
export interface LineMessageObject {
  type: 'text' | 'image' | 'video' | 'audio' | 'location' | 'sticker' | 'flex';
  quickReply?: { items: QuickReplyItem[] };
  [field: string]: unknown;
}

interface QuickReplyItem {
  type: 'action';
  action: LineAction;
}

type LineAction = { type: 'postback'; label: string; data: string; displayText: string } | { type: 'uri'; label: string; uri: string };

/** What `render` needs from the config. */
export interface RenderOptions {
  /** Poster image for video messages; without it `video` is not in the capabilities. */
  videoPreviewImageUrl?: string;
}

// Limits from the message object reference: postback data and displayText 300, flex altText 1500.
const MAX_POSTBACK = 300;
const MAX_ALT_TEXT = 1500;

const isHttps = (url: string) => /^https:\/\//i.test(url);
const cut = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

function action(choice: Choice): LineAction {
  if (choice.url) return { type: 'uri', label: choice.label, uri: choice.url };
  return { type: 'postback', label: choice.label, data: cut(choice.payload, MAX_POSTBACK), displayText: cut(choice.label, MAX_POSTBACK) };
}

/** A link as text, for content LINE cannot carry as media (non-HTTPS URLs, audio without duration). */
function linkText(url: string, caption?: string): LineMessageObject {
  return { type: 'text', text: caption ? `${caption}\n${url}` : url };
}

function mediaObject(part: Part, options: RenderOptions): LineMessageObject[] {
  switch (part.kind) {
    case 'image':
      if (!isHttps(part.url)) return [linkText(part.url, part.caption)];
      // Why the same URL twice: LINE wants a preview and Parley has only the image itself.
      return withCaption({ type: 'image', originalContentUrl: part.url, previewImageUrl: part.url }, part.caption);
    case 'video': {
      const preview = options.videoPreviewImageUrl;
      if (!preview || !isHttps(part.url)) return [linkText(part.url, part.caption)];
      return withCaption({ type: 'video', originalContentUrl: part.url, previewImageUrl: preview }, part.caption);
    }
    case 'audio':
      // Why: LINE requires `duration` (ms) and rejects the message without it.
      if (!part.durationSec || !isHttps(part.url)) return [linkText(part.url)];
      return [{ type: 'audio', originalContentUrl: part.url, duration: Math.round(part.durationSec * 1000) }];
    default:
      return [];
  }
}

function withCaption(media: LineMessageObject, caption: string | undefined): LineMessageObject[] {
  return caption ? [media, { type: 'text', text: caption }] : [media];
}

/** LINE's location message needs both a title and an address (max 100 characters each). */
function locationObject(part: Extract<Part, { kind: 'location' }>): LineMessageObject {
  const coords = `${part.latitude}, ${part.longitude}`;
  return {
    type: 'location',
    title: cut(part.name ?? part.address ?? coords, 100),
    address: cut(part.address ?? coords, 100),
    latitude: part.latitude,
    longitude: part.longitude,
  };
}

/** Parley sticker ids from LINE are `packageId/stickerId`; other stickers go as their image or emoji. */
function stickerObject(part: Extract<Part, { kind: 'sticker' }>): LineMessageObject[] {
  const [packageId, stickerId, rest] = part.id.split('/');
  if (packageId && stickerId && rest === undefined) return [{ type: 'sticker', packageId, stickerId }];
  if (part.url && isHttps(part.url)) return [{ type: 'image', originalContentUrl: part.url, previewImageUrl: part.url }];
  return part.emoji ? [{ type: 'text', text: part.emoji }] : [];
}

function flexText(text: string, style: Record<string, unknown>) {
  return { type: 'text', text, wrap: true, ...style };
}

/** A product card as a Flex bubble: hero image, title, subtitle, price, footer buttons. */
function cardObject(card: CardPart): LineMessageObject {
  const open = card.url ? { action: { type: 'uri', uri: card.url } } : {};
  const body = [
    flexText(card.title, { weight: 'bold', size: 'lg' }),
    ...(card.subtitle ? [flexText(card.subtitle, { size: 'sm', color: '#666666' })] : []),
    ...(card.price ? [flexText(card.price, { weight: 'bold', size: 'md', margin: 'md' })] : []),
  ];
  const buttons = (card.buttons ?? []).map((b, i) => ({ type: 'button', style: i === 0 ? 'primary' : 'secondary', height: 'sm', action: action(b) }));
  const bubble = {
    type: 'bubble',
    ...(card.imageUrl && isHttps(card.imageUrl)
      ? { hero: { type: 'image', url: card.imageUrl, size: 'full', aspectRatio: '20:13', aspectMode: 'cover', ...open } }
      : {}),
    body: { type: 'box', layout: 'vertical', spacing: 'sm', contents: body, ...open },
    ...(buttons.length ? { footer: { type: 'box', layout: 'vertical', spacing: 'sm', contents: buttons } } : {}),
  };
  const altText = cut([card.title, card.price].filter(Boolean).join(' · '), MAX_ALT_TEXT);
  return { type: 'flex', altText, contents: bubble };
}

function partObjects(part: Part, options: RenderOptions): LineMessageObject[] {
  switch (part.kind) {
    case 'text':
      return part.text.trim() ? [{ type: 'text', text: part.text }] : [];
    case 'location':
      return [locationObject(part)];
    case 'sticker':
      return stickerObject(part);
    case 'card':
      return [cardObject(part)];
    case 'choices':
      return [];
    default:
      return mediaObject(part, options);
  }
}

/**
 * Quick replies ride on the last message object. Choices alone need a message to ride on: their
 * title, else the labels, so the shopper still sees what is offered if the buttons are gone.
 */
function attachChoices(objects: LineMessageObject[], choices: ChoicesPart | undefined): LineMessageObject[] {
  if (!choices || choices.choices.length === 0) return objects;
  const items: QuickReplyItem[] = choices.choices.slice(0, 13).map((c) => ({ type: 'action', action: action(c) }));
  const carrier = objects.at(-1) ?? { type: 'text', text: choices.title ?? choices.choices.map((c) => c.label).join(' / ') };
  return [...objects.slice(0, -1), { ...carrier, quickReply: { items } }];
}

/**
 * Maps a degraded message to LINE message objects: text, image, video, audio, location, sticker,
 * Flex product cards, with choices as quick replies on the last object. Pure.
 *
 * @example
 * ```ts
 * renderMessage({ parts: [{ kind: 'text', text: 'Size?' }, { kind: 'choices', choices: [{ label: 'S', payload: 'size.s' }] }] }, {});
 * // [{ type: 'text', text: 'Size?', quickReply: { items: [{ type: 'action', action: { type: 'postback', label: 'S', data: 'size.s', displayText: 'S' } }] } }]
 * ```
 */
export function renderMessage(message: OutboundMessage, options: RenderOptions): LineMessageObject[] {
  const objects = message.parts.flatMap((part) => partObjects(part, options));
  const choices = message.parts.find((p): p is ChoicesPart => p.kind === 'choices');
  return attachChoices(objects, choices);
}
