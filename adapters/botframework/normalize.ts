import { createHash } from 'node:crypto';
import { type Activity, type Attachment, type ChannelAccount, type ConversationReference, TurnContext } from 'botbuilder';
import type { Normalized } from '../../src/core/adapter.js';
import { ParleyError } from '../../src/core/errors.js';
import type { ConversationRef, InboundBase, InboundEvent, LocaleHints, Part } from '../../src/core/message.js';

/** A verified body that passed the shape check: enough to address a reply. */
type InboundActivity = Partial<Activity> & { type: string; conversation: { id: string } & Partial<Activity['conversation']> };

/** What the shared builders need besides the activity. */
interface Source {
  activity: InboundActivity;
  channelId: string;
  body: Buffer;
  now: () => number;
}

const ok = { status: 200 } as const;

/** Teams' reaction types, as emoji (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events#message-reaction-events). */
const reactionEmoji: Record<string, string> = { like: '👍', heart: '❤️', laugh: '😆', surprised: '😮', sad: '😢', angry: '😠', plusOne: '👍' };

function parseActivity(body: Buffer): InboundActivity {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (cause) {
    throw new ParleyError('BAD_PAYLOAD', 'Bot Framework sent a body that is not JSON.', { cause });
  }
  const a = parsed as Partial<InboundActivity> | null;
  if (!a || typeof a !== 'object' || typeof a.type !== 'string' || typeof a.conversation?.id !== 'string') {
    throw new ParleyError('BAD_PAYLOAD', 'Bot Framework sent a body that is not an activity (no type or conversation.id).');
  }
  return a as InboundActivity;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/** The objects in a list field; anything else (absent, a string, nulls inside) reads as empty. */
function objects<T>(v: unknown): Partial<T>[] {
  return Array.isArray(v) ? v.filter((x): x is Partial<T> => !!x && typeof x === 'object') : [];
}

/** A stable id for the activity: its `id`, else conversation + timestamp, else a hash of the bytes. */
function activityKey({ activity, body }: Source): string {
  const id = str(activity.id);
  if (id) return id;
  const when = str(activity.timestamp as unknown) ?? createHash('sha256').update(body).digest('hex').slice(0, 24);
  return `${activity.conversation.id}:${when}`;
}

function hintsOf(activity: InboundActivity): LocaleHints | undefined {
  const info = objects<{ type: string }>(activity.entities).find((e) => e.type === 'clientInfo') as { locale?: unknown; country?: unknown } | undefined;
  const locale = str(activity.locale) ?? str(info?.locale);
  const country = str(info?.country);
  if (!locale && !country) return undefined;
  return { ...(locale ? { locale } : {}), ...(country ? { country } : {}) };
}

/** The ref a reply needs later: the full conversation reference travels in `extra.reference`. */
function refOf(activity: InboundActivity, channelId: string, user?: Partial<ChannelAccount>): ConversationRef {
  const from = user ?? activity.from;
  const reference: Partial<ConversationReference> = TurnContext.getConversationReference(activity);
  if (user) reference.user = user as ChannelAccount;
  const channelData = activity.channelData as { tenant?: { id?: unknown } } | undefined;
  const tenantId = str(channelData?.tenant?.id) ?? str(activity.conversation.tenantId);
  const extra: Record<string, unknown> = { reference };
  if (str(from?.aadObjectId)) extra.aadObjectId = from?.aadObjectId;
  if (tenantId) extra.tenantId = tenantId;
  if (str(activity.conversation.conversationType)) extra.conversationType = activity.conversation.conversationType;
  return { channelId, chatId: activity.conversation.id, userId: str(from?.id) ?? activity.conversation.id, extra };
}

function base(src: Source, eventId: string, user?: Partial<ChannelAccount>): InboundBase {
  const { activity, channelId } = src;
  const parsed = Date.parse(String(activity.timestamp ?? ''));
  const hints = hintsOf(activity);
  const name = str((user ?? activity.from)?.name);
  return {
    channelId,
    eventId,
    ref: refOf(activity, channelId, user),
    timestamp: Number.isFinite(parsed) ? parsed : src.now(),
    ...(hints ? { hints } : {}),
    ...(name ? { senderName: name } : {}),
    raw: activity,
  };
}

/** Teams puts `<at>Bot</at>` in the text when the bot is @mentioned in a group or channel. */
function stripBotMention(activity: InboundActivity): string {
  let text = str(activity.text) ?? '';
  for (const entity of objects(activity.entities)) {
    const mention = entity as { type?: unknown; mentioned?: { id?: unknown }; text?: unknown };
    if (mention.type === 'mention' && mention.mentioned?.id === activity.recipient?.id && typeof mention.text === 'string') {
      text = text.split(mention.text).join('');
    }
  }
  return text.trim();
}

/** Attachments as parts. Teams mirrors the text as `text/html` and sends files as download info. */
function attachmentPart(att: Partial<Attachment>): Part | undefined {
  const type = str(att.contentType) ?? '';
  const name = str(att.name);
  if (type === 'application/vnd.microsoft.teams.file.download.info') {
    const url = str((att.content as { downloadUrl?: unknown } | undefined)?.downloadUrl);
    return url ? { kind: 'file', url, ...(name ? { name } : {}) } : undefined;
  }
  const url = str(att.contentUrl);
  if (!url || type === 'text/html') return undefined;
  const mime = type.includes('/') && !type.endsWith('/*') ? { mimeType: type } : {};
  if (type.startsWith('image/')) return { kind: 'image', url, ...mime, ...(name ? { name } : {}) };
  if (type.startsWith('video/')) return { kind: 'video', url, ...mime, ...(name ? { name } : {}) };
  if (type.startsWith('audio/')) return { kind: 'audio', url, ...mime };
  return { kind: 'file', url, ...mime, ...(name ? { name } : {}) };
}

/** A button press: `value` from a messageBack / postBack button or an Adaptive Card submit. */
function postbackPayload(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value || undefined;
  const payload = (value as { payload?: unknown }).payload;
  if (typeof payload === 'string' && payload) return payload;
  return JSON.stringify(value);
}

function messageEvents(src: Source): InboundEvent[] {
  const { activity } = src;
  const id = activityKey(src);
  const text = stripBotMention(activity);
  const payload = postbackPayload(activity.value);
  if (payload !== undefined) return [{ ...base(src, id), type: 'postback', payload, ...(text ? { label: text } : {}) }];
  const parts: Part[] = text ? [{ kind: 'text', text }] : [];
  for (const att of objects<Attachment>(activity.attachments)) {
    const part = attachmentPart(att);
    if (part) parts.push(part);
  }
  if (parts.length === 0) return [{ ...base(src, id), type: 'system', name: 'empty_message' }];
  const replyTo = str(activity.replyToId);
  return [{ ...base(src, id), type: 'message', parts, ...(str(activity.id) ? { messageId: activity.id } : {}), ...(replyTo ? { replyTo } : {}) }];
}

/**
 * Members joining or leaving. The bot's own entry (the recipient) is skipped; in a Teams
 * personal chat the bot being added is the user installing it, so that counts as the user's follow.
 */
function membershipEvents(src: Source): InboundEvent[] {
  const { activity } = src;
  const botId = activity.recipient?.id;
  const personal = activity.conversation.conversationType === 'personal';
  const events: InboundEvent[] = [];
  const changes = [
    { members: activity.membersAdded, change: 'follow', tag: 'added' },
    { members: activity.membersRemoved, change: 'unfollow', tag: 'removed' },
  ] as const;
  for (const { members, change, tag } of changes) {
    const list = objects<ChannelAccount>(members).filter((m): m is ChannelAccount => typeof m.id === 'string');
    const people = list.filter((m) => m.id !== botId);
    const who = people.length > 0 ? people : personal && list.length > 0 && activity.from?.id ? [activity.from] : [];
    for (const member of who) events.push({ ...base(src, `${activityKey(src)}:${tag}:${member.id}`, member), type: 'membership', change });
  }
  return events.length > 0 ? events : [{ ...base(src, activityKey(src)), type: 'system', name: 'conversationUpdate' }];
}

function reactionEvents(src: Source): InboundEvent[] {
  const { activity } = src;
  const messageId = str(activity.replyToId) ?? '';
  const events: InboundEvent[] = [];
  for (const [list, added] of [
    [activity.reactionsAdded, true],
    [activity.reactionsRemoved, false],
  ] as const) {
    for (const r of objects<{ type: string }>(list)) {
      const type = str(r.type);
      if (!type) continue;
      const id = `${activityKey(src)}:${added ? 'add' : 'remove'}:${type}`;
      events.push({ ...base(src, id), type: 'reaction', messageId, emoji: added ? (reactionEmoji[type] ?? type) : '' });
    }
  }
  return events;
}

/** Teams sends `messageUpdate` when a user edits a message; the id is the edited message's. */
function editEvents(src: Source): InboundEvent[] {
  const { activity } = src;
  const text = stripBotMention(activity);
  const messageId = str(activity.id);
  if (!messageId || !text) return [{ ...base(src, activityKey(src)), type: 'system', name: 'messageUpdate' }];
  const id = `${messageId}:edit:${str(activity.timestamp as unknown) ?? createHash('sha256').update(src.body).digest('hex').slice(0, 24)}`;
  return [{ ...base(src, id), type: 'edit', messageId, parts: [{ kind: 'text', text }] }];
}

/**
 * Turns a verified Bot Framework activity into events. `invoke` and `typing` produce none
 * (invoke is answered 200 so Teams does not show an error); unknown types become `system`
 * events. A body that is not an activity throws `BAD_PAYLOAD` (answered 400: the Bot
 * Connector does not redeliver on 4xx).
 *
 * @example
 * ```ts
 * const { ack, events } = normalizeActivity(req.body, 'teams', () => Date.now());
 * ```
 */
export function normalizeActivity(body: Buffer, channelId: string, now: () => number): Normalized {
  const src: Source = { activity: parseActivity(body), channelId, body, now };
  switch (src.activity.type) {
    case 'message':
      return { ack: ok, events: messageEvents(src) };
    case 'conversationUpdate':
      return { ack: ok, events: membershipEvents(src) };
    case 'messageReaction':
      return { ack: ok, events: reactionEvents(src) };
    case 'messageUpdate':
      return { ack: ok, events: editEvents(src) };
    case 'invoke':
    case 'typing':
      return { ack: ok, events: [] };
    default:
      return { ack: ok, events: [{ ...base(src, activityKey(src)), type: 'system', name: src.activity.type }] };
  }
}
