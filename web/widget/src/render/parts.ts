/** One message part as DOM: text, media, location, buttons, product card, sticker, order. */

import { type Child, h } from '../../../shared/dom.js';
import type { Vars } from '../../../shared/i18n.js';
import { icon } from '../icons.js';
import { link, safeUrl } from '../links.js';
import { isKnownKey, t } from '../strings.js';
import type { WireChoice, WirePart } from '../wire.js';
import { inline } from './markup.js';

/** What a rendered part can ask of the conversation. */
export interface PartActions {
  /** The shopper tapped a button; `group` is the button row, disabled once used. */
  postback(choice: WireChoice, label: string, group?: HTMLElement): void;
  /** An image finished loading and may have pushed the log up. */
  mediaLoaded(): void;
}

/** A fixed string that follows language switches (applyStrings re-reads `data-i18n`). */
export function i18nSpan(key: string, vars?: Vars | null, className?: string): HTMLSpanElement {
  const el = h('span', { class: className, 'data-i18n': key }, t(key, vars));
  if (vars) el.dataset.i18nVars = JSON.stringify(vars);
  return el;
}

function renderChoices(part: WirePart, actions: PartActions): Child[] {
  const title = part.title ? String(part.title) : '';
  const group = h('div', { class: 'parley-choices', role: 'group', 'aria-label': title || null });
  for (const choice of part.choices || []) {
    const label = String(choice.label ?? '');
    if (choice.url) group.append(link(choice.url, label, 'parley-chip parley-chip-link'));
    else {
      group.append(h('button', { type: 'button', class: 'parley-chip', dir: 'auto', onclick: () => actions.postback(choice, label, group) }, label));
    }
  }
  return [title ? h('p', { class: 'parley-bubble parley-text', dir: 'auto' }, inline(title, true)) : null, group];
}

function cardButtons(part: WirePart, actions: PartActions): Node[] {
  const buttons = (part.buttons || []).map((b) =>
    b.url
      ? link(b.url, String(b.label), 'parley-card-button')
      : h('button', { type: 'button', class: 'parley-card-button', onclick: () => actions.postback(b, String(b.label)) }, String(b.label)),
  );
  if (!buttons.length && part.url) buttons.push(link(part.url, t('view'), 'parley-card-button'));
  return buttons;
}

function renderCard(part: WirePart, actions: PartActions): HTMLElement {
  const img = safeUrl(part.imageUrl);
  const title = String(part.title ?? '');
  const buttons = cardButtons(part, actions);
  return h(
    'article',
    { class: 'parley-card', dir: 'auto' },
    img ? h('img', { class: 'parley-card-image', src: img, alt: title, loading: 'lazy', onload: actions.mediaLoaded }) : null,
    h(
      'div',
      { class: 'parley-card-body' },
      h('h3', { class: 'parley-card-title' }, part.url ? link(part.url, title, 'parley-card-link') : title),
      part.subtitle ? h('p', { class: 'parley-card-subtitle' }, String(part.subtitle)) : null,
      part.price ? h('p', { class: 'parley-card-price' }, String(part.price)) : null,
      buttons.length ? h('div', { class: 'parley-card-buttons' }, buttons) : null,
    ),
  );
}

function uploaded(part: WirePart, caption: HTMLElement | null): HTMLElement {
  const name = h('span', { class: 'parley-file', dir: 'auto' }, icon('file'), String(part.name || t(String(part.kind))));
  return caption ? h('div', null, name, caption) : name;
}

function renderMedia(part: WirePart, actions: PartActions): HTMLElement | null {
  const url = safeUrl(part.url);
  const caption = part.caption ? h('p', { class: 'parley-caption', dir: 'auto' }, inline(String(part.caption), true)) : null;
  // The shopper's own upload: kept by Parley for the agents, not served back to the page.
  if (!url && String(part.url ?? '').startsWith('upload:')) return uploaded(part, caption);
  if (!url) return caption;
  if (part.kind === 'image') {
    const alt = String(part.caption || part.name || t('image'));
    const img = h('img', { src: url, alt, loading: 'lazy', class: 'parley-image', onload: actions.mediaLoaded });
    const open = h('a', { href: url, target: '_blank', rel: 'noopener noreferrer', class: 'parley-image-link' }, img);
    return h('figure', { class: 'parley-media' }, open, caption);
  }
  if (part.kind === 'video') {
    const video = h('video', { src: url, controls: true, preload: 'metadata', class: 'parley-video' }, link(url, t('video')));
    return h('figure', { class: 'parley-media' }, video, caption);
  }
  if (part.kind === 'audio') {
    return h('div', { class: 'parley-media' }, h('audio', { src: url, controls: true, preload: 'none', 'aria-label': t('audio') }, link(url, t('audio'))));
  }
  return h('div', { class: 'parley-bubble parley-file' }, icon('file'), link(url, String(part.name || part.caption || t('file'))));
}

function renderLocation(part: WirePart): HTMLElement | null {
  const lat = Number(part.latitude);
  const lon = Number(part.longitude);
  if (!Number.isFinite(lat) || !Number.isFinite(lon)) return null;
  const url = `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=16/${lat}/${lon}`;
  return h(
    'div',
    { class: 'parley-bubble parley-location' },
    icon('pin'),
    h('span', null, part.name ? String(part.name) : i18nSpan('location'), ' · ', link(url, t('openMap'))),
  );
}

function renderOrder(part: WirePart): HTMLElement {
  const status = part.status ? String(part.status) : '';
  const statusKey = `orderStatus.${status.toLowerCase().replace(/[\s-]+/g, '_')}`;
  const known = isKnownKey(statusKey);
  return h(
    'div',
    { class: 'parley-bubble parley-order' },
    icon('box'),
    i18nSpan('order', { orderId: String(part.orderId ?? '') }, 'parley-order-id'),
    status ? (known ? i18nSpan(statusKey, null, 'parley-order-status') : h('span', { class: 'parley-order-status' }, status)) : null,
  );
}

function renderSticker(part: WirePart): HTMLElement {
  const url = safeUrl(part.url);
  if (url) return h('img', { class: 'parley-sticker-image', src: url, alt: part.emoji || t('sticker'), loading: 'lazy' });
  return h('span', { class: 'parley-sticker', role: 'img', 'aria-label': part.emoji || t('sticker') }, part.emoji || '🙂');
}

/** Nothing is silently dropped: an unknown part with text or a URL still shows. */
function renderUnknown(part: WirePart | undefined): HTMLElement | null {
  if (typeof part?.text === 'string') return h('p', { class: 'parley-bubble parley-text' }, inline(part.text, false));
  if (part?.url) return h('p', { class: 'parley-bubble parley-text' }, link(part.url, String(part.url)));
  return null;
}

export function renderPart(part: WirePart | undefined, role: string, actions: PartActions): Child {
  switch (part?.kind) {
    case 'text': {
      // The shopper's own words are plain text; Parley's replies are markdown unless they say otherwise.
      const markdown = part.markup ? part.markup === 'markdown' : role !== 'shopper';
      return h('p', { class: 'parley-bubble parley-text', dir: 'auto' }, inline(String(part.text ?? ''), markdown));
    }
    case 'image':
    case 'video':
    case 'audio':
    case 'file':
      return renderMedia(part, actions);
    case 'location':
      return renderLocation(part);
    case 'choices':
      return renderChoices(part, actions);
    case 'card':
      return renderCard(part, actions);
    case 'sticker':
      return renderSticker(part);
    case 'order':
      return renderOrder(part);
    default:
      return renderUnknown(part);
  }
}
