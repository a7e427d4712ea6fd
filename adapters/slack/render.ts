import type { types } from '@slack/bolt';
import { convertMarkup, renderSpans, type Span } from '../../src/core/markup.js';
import type { CardPart, Choice, ChoicesPart, MediaPart, OutboundMessage, Part, TextPart } from '../../src/core/message.js';
import { slackLimits } from './capabilities.js';
import { linkActionPrefix } from './interactive.js';

/** Block Kit blocks Parley sends. */
type SlackBlock = types.KnownBlock;

/**
 * One `chat.postMessage` body without `channel` and `thread_ts` (the conversation adds those).
 * `text` is the notification and screen-reader fallback when `blocks` are present.
 */
export interface SlackMessage {
  text: string;
  blocks?: SlackBlock[];
}

const isWebUrl = (url: string) => /^https?:\/\//i.test(url);
const plainText = (text: string): types.PlainTextElement => ({ type: 'plain_text', text, emoji: true });
const escapeMrkdwn = (text: string) => convertMarkup(text, 'plain', 'mrkdwn');

/** Text parts arrive in mrkdwn after degrade; anything else is converted (and escaped) here. */
function mrkdwn(part: TextPart): string {
  return part.markup === 'mrkdwn' ? part.text : convertMarkup(part.text, part.markup ?? 'plain', 'mrkdwn');
}

const section = (text: string): types.SectionBlock => ({ type: 'section', text: { type: 'mrkdwn', text: text.slice(0, slackLimits.sectionText) } });

/** Numbers action ids within one message: Slack requires them unique per message. */
class ActionIds {
  private n = 0;
  next(prefix: string): string {
    this.n += 1;
    return `${prefix}${this.n}`;
  }
}

function button(choice: Choice, ids: ActionIds): types.Button {
  if (choice.url) return { type: 'button', text: plainText(choice.label), action_id: ids.next(linkActionPrefix), url: choice.url };
  return { type: 'button', text: plainText(choice.label), action_id: ids.next('parley_choice_'), value: choice.payload.slice(0, slackLimits.value) };
}

/**
 * A list (set by degrade when the buttons do not fit) is a `static_select` beside its title.
 * https://docs.slack.dev/reference/block-kit/block-elements/select-menu-element#static_select
 */
function select(part: ChoicesPart, ids: ActionIds): SlackBlock {
  const title = part.title?.trim();
  const menu: types.StaticSelect = {
    type: 'static_select',
    action_id: ids.next('parley_select_'),
    placeholder: plainText((title || '…').slice(0, slackLimits.placeholder)),
    options: part.choices.map((c) => ({ text: plainText(c.label), value: c.payload })),
  };
  return title ? { ...section(escapeMrkdwn(title)), accessory: menu } : { type: 'actions', elements: [menu] };
}

function choices(part: ChoicesPart, ids: ActionIds): SlackBlock[] {
  if (part.choices.length === 0) return [];
  if (part.display === 'list') return [select(part, ids)];
  return [{ type: 'actions', elements: part.choices.map((c) => button(c, ids)) }];
}

function image(part: MediaPart): SlackBlock[] {
  const label = part.caption ?? part.name;
  // Why: `platform:` media lives on another platform; Slack can only show public URLs.
  if (!isWebUrl(part.url)) return label ? [section(escapeMrkdwn(label))] : [];
  const alt = (label ?? 'image').slice(0, slackLimits.imageText);
  const title = part.caption ? { title: plainText(part.caption.slice(0, slackLimits.imageText)) } : {};
  return [{ type: 'image', image_url: part.url, alt_text: alt, ...title }];
}

/** A product: bold (linked) title, subtitle and price, the picture beside, buttons below. */
function card(part: CardPart, ids: ActionIds): SlackBlock[] {
  const lines: Span[][] = [
    [{ text: part.title, bold: true, ...(part.url ? { href: part.url } : {}) }],
    part.subtitle ? [{ text: part.subtitle }] : [],
    part.price ? [{ text: part.price, bold: true }] : [],
  ];
  const text = lines
    .filter((l) => l.length > 0)
    .map((l) => renderSpans(l, 'mrkdwn'))
    .join('\n');
  const alt = part.title.slice(0, slackLimits.imageText);
  const picture: types.ImageElement | undefined =
    part.imageUrl && isWebUrl(part.imageUrl) ? { type: 'image', image_url: part.imageUrl, alt_text: alt } : undefined;
  const buttons: SlackBlock[] = part.buttons?.length ? [{ type: 'actions', elements: part.buttons.map((c) => button(c, ids)) }] : [];
  return [{ ...section(text), ...(picture ? { accessory: picture } : {}) }, ...buttons];
}

/** Media degrade should have turned into links: sent as a link anyway rather than dropped. */
function link(part: Part): SlackBlock[] {
  if ((part.kind === 'video' || part.kind === 'file' || part.kind === 'audio') && isWebUrl(part.url)) {
    const label = ('caption' in part ? part.caption : undefined) ?? ('name' in part ? part.name : undefined) ?? part.url;
    return [section(renderSpans([{ text: label, href: part.url }], 'mrkdwn'))];
  }
  return [];
}

function blocksOf(part: Part, ids: ActionIds): SlackBlock[] {
  switch (part.kind) {
    case 'text':
      return mrkdwn(part).trim() ? [section(mrkdwn(part))] : [];
    case 'image':
      return image(part);
    case 'choices':
      return choices(part, ids);
    case 'card':
      return card(part, ids);
    default:
      return link(part);
  }
}

/** What a notification shows: the text, else the card title, image caption or choice labels. */
function fallback(parts: readonly Part[]): string {
  for (const part of parts) {
    if (part.kind === 'text' && part.text.trim()) return mrkdwn(part);
  }
  const words = parts.flatMap((p) => {
    if (p.kind === 'card') return [p.title];
    if (p.kind === 'image') return [p.caption ?? p.name ?? ''];
    if (p.kind === 'choices') return [p.title ?? '', ...p.choices.map((c) => c.label)];
    return [];
  });
  return escapeMrkdwn(words.filter(Boolean).join(' · ')) || ' ';
}

/**
 * Turns one degraded message into one `chat.postMessage` body. A message that is only text
 * is sent as `text` (mrkdwn); anything else as Block Kit blocks with `text` as the fallback.
 * Buttons carry the payload id as `value` and a per-message `action_id`; link buttons carry
 * `url`. Text is already mrkdwn (degrade converted and escaped it); titles, labels and card
 * fields are escaped here.
 *
 * @example
 * ```ts
 * renderMessage({ parts: [{ kind: 'text', text: 'Size?', markup: 'mrkdwn' }, { kind: 'choices', choices: [{ label: 'S', payload: 'size.s' }] }] });
 * // [{ text: 'Size?', blocks: [section 'Size?', actions [button S value size.s]] }]
 * ```
 */
export function renderMessage(message: OutboundMessage): SlackMessage[] {
  const { parts } = message;
  if (parts.every((p) => p.kind === 'text')) return [{ text: parts.map(mrkdwn).join('\n\n') || ' ' }];
  const text = fallback(parts);
  const ids = new ActionIds();
  const blocks = parts.flatMap((p) => blocksOf(p, ids));
  return [blocks.length > 0 ? { text, blocks } : { text }];
}
