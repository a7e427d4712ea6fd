import type { EditEvent, InboundEvent, MessageEvent, ReactionEvent, SystemEvent } from '../../src/core/message.js';
import { isDmId, type Json, messageParts, type NormalizeOptions, obj, senderName, slackRef, str, tsToMs } from './wire.js';

/** What the Events API envelope around one event says. */
export interface EventEnvelope {
  options: NormalizeOptions;
  eventId: string;
  /** Workspace of the event (`event.team`, else the envelope's `team_id`). */
  team: string | undefined;
  /** The bot's own user ids; its messages are never shopper messages. */
  botIds: ReadonlySet<string>;
  eventTime: number | undefined;
  raw: Json;
}

// Message subtypes a person sends; every other subtype (joins, topic changes, bot_message, ...)
// is channel housekeeping. https://docs.slack.dev/reference/events/message#subtypes
const personSubtypes = new Set(['file_share', 'thread_broadcast', 'me_message']);

const mentionPattern = /<@([A-Z0-9]+)(?:\|[^>]*)?>/g;

/**
 * The bot's own messages: anything posted with a bot token has a `bot_id`; older integrations
 * use the `bot_message` subtype; and a configured or authorised bot user id.
 */
function fromBot(message: Json, botIds: ReadonlySet<string>): boolean {
  const user = str(message.user);
  return Boolean(str(message.bot_id)) || message.subtype === 'bot_message' || (user !== undefined && botIds.has(user));
}

function mentionsBot(text: string | undefined, botIds: ReadonlySet<string>): boolean {
  return [...(text ?? '').matchAll(mentionPattern)].some((m) => botIds.has(m[1] ?? ''));
}

/** Drops the leading `<@BOT>` from an app_mention (any leading mention when the bot id is unknown). */
function stripLeadingMention(text: string, botIds: ReadonlySet<string>): string {
  const m = /^\s*<@([A-Z0-9]+)(?:\|[^>]*)?>[\s,:]*/.exec(text);
  if (!m || (botIds.size > 0 && !botIds.has(m[1] ?? ''))) return text;
  return text.slice(m[0].length);
}

const isThreadReply = (m: Json) => str(m.thread_ts) !== undefined && m.thread_ts !== m.ts;

/**
 * Whether a plain `message` in a channel is for Parley. A message that @mentions the bot is
 * not: Slack sends it again as `app_mention` (with another event id), which is the one kept.
 */
function wantedInChannel(message: Json, env: EventEnvelope): boolean {
  if (mentionsBot(str(message.text), env.botIds)) return false;
  const mode = env.options.channelMessages;
  return mode === 'all' || (mode === 'threads' && isThreadReply(message));
}

/** An edit is followed where the original would have been, mentions included. */
function editWanted(message: Json, channel: string, env: EventEnvelope): boolean {
  if (isDmId(channel)) return true;
  const mode = env.options.channelMessages;
  return mentionsBot(str(message.text), env.botIds) || mode === 'all' || (mode === 'threads' && isThreadReply(message));
}

function base(message: Json, channel: string, user: string, env: EventEnvelope) {
  const threadTs = str(message.thread_ts);
  const name = senderName(message);
  return {
    channelId: env.options.channelId,
    eventId: env.eventId,
    ref: slackRef(
      env.options.channelId,
      { channel, user, ts: str(message.ts), threadTs },
      { team: env.team, userTeam: str(message.user_team), channelType: str(message.channel_type) },
    ),
    timestamp: tsToMs(message.ts) ?? env.eventTime ?? 0,
    ...(name ? { senderName: name } : {}),
    raw: env.raw,
  };
}

function toMessage(message: Json, text: string | undefined, env: EventEnvelope): MessageEvent[] {
  const channel = str(message.channel);
  const user = str(message.user);
  const parts = messageParts(message, text);
  if (!channel || !user || parts.length === 0) return [];
  const ts = str(message.ts);
  const replyTo = isThreadReply(message) ? str(message.thread_ts) : undefined;
  return [
    {
      type: 'message',
      ...base(message, channel, user, env),
      parts,
      ...(ts ? { messageId: ts } : {}),
      ...(replyTo ? { replyTo } : {}),
    },
  ];
}

function plainMessage(event: Json, env: EventEnvelope): InboundEvent[] {
  const subtype = str(event.subtype);
  if (subtype === 'message_changed') return edited(event, env);
  if (subtype === 'message_deleted') return deleted(event, env);
  if ((subtype && !personSubtypes.has(subtype)) || fromBot(event, env.botIds)) return [];
  const channel = str(event.channel) ?? '';
  if (event.channel_type !== 'im' && !isDmId(channel) && !wantedInChannel(event, env)) return [];
  return toMessage(event, str(event.text), env);
}

function mention(event: Json, env: EventEnvelope): InboundEvent[] {
  if (fromBot(event, env.botIds)) return [];
  const text = str(event.text);
  return toMessage(event, text === undefined ? undefined : stripLeadingMention(text, env.botIds), env);
}

/**
 * `message_changed` also fires when Slack unfurls a link (same text, no `edited`): only a
 * changed text is an edit. https://docs.slack.dev/reference/events/message/message_changed
 */
function edited(event: Json, env: EventEnvelope): EditEvent[] {
  const message = obj(event.message);
  const channel = str(event.channel);
  const user = str(message.user);
  const ts = str(message.ts);
  if (!channel || !user || !ts || fromBot(message, env.botIds)) return [];
  if (str(obj(event.previous_message).text) === str(message.text) || !editWanted(message, channel, env)) return [];
  const withChannel = { ...message, channel, channel_type: event.channel_type };
  const common = base(withChannel, channel, user, env);
  const editedAt = tsToMs(obj(message.edited).ts) ?? tsToMs(event.ts) ?? common.timestamp;
  return [{ type: 'edit', ...common, timestamp: editedAt, messageId: ts, parts: messageParts(message) }];
}

/** Deletions are recorded in DMs only; in channels they are mostly other people's messages. */
function deleted(event: Json, env: EventEnvelope): SystemEvent[] {
  const channel = str(event.channel);
  const previous = obj(event.previous_message);
  if (!channel || !isDmId(channel) || fromBot(previous, env.botIds)) return [];
  const deletedTs = str(event.deleted_ts);
  const from = { ...previous, channel, ts: deletedTs };
  return [
    {
      type: 'system',
      ...base(from, channel, str(previous.user) ?? '', env),
      name: 'slack.message_deleted',
      ...(deletedTs ? { detail: deletedTs } : {}),
    },
  ];
}

/** Reactions in DMs (in channels the reacted message's thread is unknown). */
function reaction(event: Json, env: EventEnvelope): ReactionEvent[] {
  const item = obj(event.item);
  const channel = str(item.channel);
  const user = str(event.user);
  const ts = str(item.ts);
  const name = str(event.reaction);
  if (item.type !== 'message' || !channel || !isDmId(channel) || !user || !ts || !name || env.botIds.has(user)) return [];
  const emoji = event.type === 'reaction_added' ? `:${name}:` : '';
  const where = { channel, user, ts: str(event.event_ts) };
  return [{ type: 'reaction', ...base(where, channel, user, env), messageId: ts, emoji }];
}

/**
 * Events a shopper causes: messages, mentions, edits, deletions, reactions. `undefined` for
 * event types Parley does not read (the caller records those as system events).
 */
export function messageEvents(event: Json, env: EventEnvelope): InboundEvent[] | undefined {
  switch (event.type) {
    case 'message':
      return plainMessage(event, env);
    case 'app_mention':
      return mention(event, env);
    case 'reaction_added':
    case 'reaction_removed':
      return reaction(event, env);
    default:
      return undefined;
  }
}
