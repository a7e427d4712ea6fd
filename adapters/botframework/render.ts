import { type Attachment, CardFactory, type CardAction } from 'botbuilder';
import type { CardPart, Choice, ChoicesPart, ConversationRef, MediaPart, OutboundMessage, Part } from '../../src/core/message.js';

/**
 * The content of one outbound Bot Framework activity. Addressing (conversation, from,
 * recipient, serviceUrl) is added by `deliver` from the stored conversation reference.
 */
export interface BotframeworkActivity {
  type: 'message';
  text?: string;
  textFormat?: 'markdown' | 'plain';
  attachments?: Attachment[];
  suggestedActions?: { actions: CardAction[] };
  /** Sent to `/v3/conversations/{id}/activities/{replyToId}` when set. */
  replyToId?: string;
}

/**
 * Where `messageBack` (a payload travels in `value`, the label shows as the user's message)
 * works. Other Azure Bot channels (Facebook, Telegram, SMS, ...) get `imBack`, which sends the
 * label as text; the core maps a typed label back to its payload.
 * https://learn.microsoft.com/azure/bot-service/bot-service-design-user-experience#suggested-actions
 */
const messageBackChannels = new Set(['msteams', 'webchat', 'directline', 'emulator']);

/** The platform channel (`msteams`, `webchat`, ...) of a conversation, from its stored reference. */
function platformChannel(ref: ConversationRef): string | undefined {
  const reference = ref.extra?.reference as { channelId?: unknown } | undefined;
  return typeof reference?.channelId === 'string' ? reference.channelId : undefined;
}

function action(choice: Choice, channel: string | undefined): CardAction {
  if (choice.url) return { type: 'openUrl', title: choice.label, value: choice.url };
  if (channel !== undefined && !messageBackChannels.has(channel)) return { type: 'imBack', title: choice.label, value: choice.label };
  return { type: 'messageBack', title: choice.label, text: choice.label, displayText: choice.label, value: { payload: choice.payload } };
}

/** A product as a hero card: price in the text, the product URL on tap. */
function heroCard(card: CardPart, channel: string | undefined): Attachment {
  const buttons = (card.buttons ?? []).map((c) => action(c, channel));
  return CardFactory.heroCard(card.title, card.price ?? '', card.imageUrl ? [card.imageUrl] : [], buttons, {
    ...(card.subtitle ? { subtitle: card.subtitle } : {}),
    ...(card.url ? { tap: { type: 'openUrl', title: card.title, value: card.url } } : {}),
  });
}

const extensionTypes: Record<string, string> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp' };

function mediaAttachment(part: MediaPart): Attachment {
  const ext = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(part.url)?.[1]?.toLowerCase() ?? '';
  const contentType = part.mimeType ?? extensionTypes[ext] ?? (part.kind === 'image' ? 'image/png' : 'application/octet-stream');
  return { contentType, contentUrl: part.url, ...(part.name ? { name: part.name } : {}) };
}

/**
 * Teams shows suggested actions only as `imBack` and only the first three, so in Teams choices
 * are hero card buttons (payload kept in `value`, shown in every scope); elsewhere they are
 * suggested actions. https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/suggested-actions
 */
function renderChoices(part: ChoicesPart, channel: string | undefined, out: BotframeworkActivity): void {
  const actions = part.choices.map((c) => action(c, channel));
  if (channel === 'msteams') {
    out.attachments = [...(out.attachments ?? []), CardFactory.heroCard(part.title ?? '', [], actions)];
  } else {
    out.suggestedActions = { actions };
    if (part.title) out.text = out.text ? `${out.text}\n\n${part.title}` : part.title;
  }
}

function addPart(part: Part, channel: string | undefined, out: BotframeworkActivity, texts: string[]): void {
  switch (part.kind) {
    case 'text':
      texts.push(part.text);
      break;
    case 'image':
    case 'video':
    case 'file':
      out.attachments = [...(out.attachments ?? []), mediaAttachment(part)];
      if (part.caption) texts.push(part.caption);
      break;
    case 'card':
      out.attachments = [...(out.attachments ?? []), heroCard(part, channel)];
      break;
    case 'choices':
      renderChoices(part, channel, out);
      break;
    default:
      // Why: degrade turns every other kind into text for this channel's capabilities.
      break;
  }
}

/**
 * Turns one degraded message into one Bot Framework activity: markdown text, image and hero
 * card attachments, and choices as hero card buttons (Teams) or suggested actions. Pure.
 *
 * @example
 * ```ts
 * renderMessage({ parts: [{ kind: 'text', text: '**Hi**', markup: 'markdown' }] }, ref);
 * // [{ type: 'message', text: '**Hi**', textFormat: 'markdown' }]
 * ```
 */
export function renderMessage(message: OutboundMessage, ref: ConversationRef): BotframeworkActivity[] {
  const channel = platformChannel(ref);
  const out: BotframeworkActivity = { type: 'message' };
  const texts: string[] = [];
  for (const part of message.parts) addPart(part, channel, out, texts);
  const text = [...texts, ...(out.text ? [out.text] : [])].join('\n\n');
  const activity: BotframeworkActivity = {
    type: 'message',
    ...(text ? { text, textFormat: 'markdown' as const } : {}),
    ...(out.attachments ? { attachments: out.attachments } : {}),
    ...(out.suggestedActions ? { suggestedActions: out.suggestedActions } : {}),
    ...(message.replyTo ? { replyToId: message.replyTo } : {}),
  };
  return [activity];
}
