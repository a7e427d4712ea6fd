import type { Capabilities } from './capabilities.js';
import { type DegradeContext, layoutChoices, offerChoices, truncateLabel } from './choices.js';
import { localizeSpans, parseMarkup, type RichText, type Span } from './markup.js';
import type { AudioPart, CardPart, ContactPart, LocationPart, MediaPart, OrderPart, Part, StickerPart } from './message.js';

/**
 * A part the channel supports as it is, or text still to be split and rendered.
 *
 * @example
 * ```ts
 * const items: FlowItem[] = [{ kind: 'rich', spans: [{ text: 'Here it is' }] }, { kind: 'image', url }];
 * ```
 */
export type FlowItem = Part | RichText;

type MediaKind = Capabilities['media'][number];

const supports = (caps: Capabilities, kind: MediaKind) => caps.media.includes(kind);

const rich = (lines: Span[][]): RichText => ({
  kind: 'rich',
  spans: lines.filter((l) => l.length > 0).flatMap((line, i) => (i === 0 ? line : [{ text: '\n' }, ...line])),
});

const link = (url: string, text = url): Span => ({ text, href: url });

// Why: `platform:<id>` media lives on the platform that sent it; a link to it opens nothing.
const isWebUrl = (url: string) => /^https?:\/\//i.test(url);

function mediaLine(label: string, url: string, ctx: DegradeContext): Span[] {
  if (isWebUrl(url)) return localizeSpans(ctx.t, 'degrade.open_link', { label, url: link(url) });
  return localizeSpans(ctx.t, 'degrade.media_unavailable', { label });
}

function media(part: MediaPart, ctx: DegradeContext): FlowItem[] {
  if (supports(ctx.caps, part.kind)) return [part];
  const label = part.caption ?? part.name ?? ctx.t(`degrade.${part.kind}`);
  return [rich([mediaLine(label, part.url, ctx)])];
}

function audio(part: AudioPart, ctx: DegradeContext): FlowItem[] {
  if (supports(ctx.caps, 'audio')) return [part];
  const transcript = part.transcript ? localizeSpans(ctx.t, 'degrade.transcript', { text: part.transcript }) : [];
  return [rich([mediaLine(ctx.t('degrade.audio'), part.url, ctx), transcript])];
}

function location(part: LocationPart, ctx: DegradeContext): FlowItem[] {
  if (supports(ctx.caps, 'location')) return [part];
  const maps = `https://maps.google.com/?q=${part.latitude},${part.longitude}`;
  const name = part.name ?? (part.address ? undefined : ctx.t('degrade.location'));
  return [
    rich([
      name ? [{ text: name, bold: true }] : [],
      part.address ? [{ text: part.address }] : [],
      localizeSpans(ctx.t, 'degrade.map_link', { url: link(maps) }),
    ]),
  ];
}

function sticker(part: StickerPart, ctx: DegradeContext): FlowItem[] {
  if (supports(ctx.caps, 'sticker')) return [part];
  if (part.emoji) return [rich([[{ text: part.emoji }]])];
  if (part.url && isWebUrl(part.url) && supports(ctx.caps, 'image')) return [{ kind: 'image', url: part.url }];
  return [rich([[{ text: ctx.t('degrade.sticker') }]])];
}

function contact(part: ContactPart, ctx: DegradeContext): FlowItem[] {
  const { t } = ctx;
  return [
    rich([
      localizeSpans(t, 'degrade.contact', { name: { text: part.name, bold: true } }),
      part.phone ? localizeSpans(t, 'degrade.phone', { phone: part.phone }) : [],
      part.email ? localizeSpans(t, 'degrade.email', { email: part.email }) : [],
    ]),
  ];
}

function order(part: OrderPart, ctx: DegradeContext): FlowItem[] {
  const vars = { orderId: { text: part.orderId, bold: true }, status: part.status ?? '' };
  return [rich([localizeSpans(ctx.t, part.status ? 'degrade.order_status' : 'degrade.order', vars)])];
}

function cardAsText(card: CardPart, ctx: DegradeContext): FlowItem[] {
  const { caps, t } = ctx;
  const image = card.imageUrl && !supports(caps, 'image') ? [mediaLine(t('degrade.image'), card.imageUrl, ctx)] : [];
  const text = rich([
    [{ text: card.title, bold: true }],
    card.subtitle ? [{ text: card.subtitle }] : [],
    card.price ? [{ text: card.price }] : [],
    card.url ? [link(card.url, t('degrade.view_product'))] : [],
    ...image,
  ]);
  const picture: FlowItem[] = card.imageUrl && supports(caps, 'image') ? [{ kind: 'image', url: card.imageUrl }] : [];
  const buttons = card.buttons?.length ? layoutChoices({ kind: 'choices', choices: card.buttons }, ctx) : [];
  return [text, ...picture, ...buttons];
}

/** A native card keeps its buttons only when they fit the channel's buttons as they are. */
function nativeCard(card: CardPart, ctx: DegradeContext): FlowItem[] {
  const { buttons } = ctx.caps;
  if (!card.buttons?.length) return [card];
  if (buttons && card.buttons.length <= buttons.max) {
    offerChoices(card.buttons, ctx);
    const labelled = card.buttons.map((c) => ({ ...c, label: truncateLabel(c.label, buttons.maxLabelLength) }));
    return [{ ...card, buttons: labelled }];
  }
  const { buttons: extra, ...bare } = card;
  return [bare, ...layoutChoices({ kind: 'choices', choices: extra }, ctx)];
}

/**
 * Reshapes one part into parts the channel supports plus text still to be rendered. Nothing is
 * dropped: what cannot be shown becomes a localised line of text, usually with a link.
 *
 * @example
 * ```ts
 * fallbackPart({ kind: 'video', url: 'https://cdn.example/v.mp4', caption: 'How to fold' }, ctx);
 * // text-only channel: [{ kind: 'rich', spans: [{ text: 'How to fold' }, { text: ': ' }, { text: url, href: url }] }]
 * ```
 */
export function fallbackPart(part: Part, ctx: DegradeContext): FlowItem[] {
  switch (part.kind) {
    case 'text': {
      const spans = parseMarkup(part.text, part.markup ?? 'plain');
      return spans.some((s) => s.text.trim()) ? [{ kind: 'rich', spans }] : [];
    }
    case 'image':
    case 'video':
    case 'file':
      return media(part, ctx);
    case 'audio':
      return audio(part, ctx);
    case 'location':
      return location(part, ctx);
    case 'sticker':
      return sticker(part, ctx);
    case 'contact':
      return contact(part, ctx);
    case 'order':
      return order(part, ctx);
    case 'choices':
      return layoutChoices(part, ctx);
    case 'card':
      return ctx.caps.cards ? nativeCard(part, ctx) : cardAsText(part, ctx);
  }
}
