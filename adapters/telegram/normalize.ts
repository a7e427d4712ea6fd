import type { HttpAck, Normalized, VerifiedRequest } from '../../src/core/adapter.js';
import type { ConversationRef, InboundEvent, LocaleHints, MembershipEvent, Part } from '../../src/core/message.js';
import type { Logger } from '../../src/core/ports.js';
import { type TgCallbackQuery, type TgChatMemberUpdated, type TgMessage, type TgUpdate, type TgUser, updateSchema } from './update.js';

/** What normalising needs besides the update: the channel instance and the time of receipt. */
export interface NormalizeContext {
  channelId: string;
  /** Telegram gives no time for button presses; they are stamped with the receipt time. */
  now: number;
}

/** Media Telegram hosts: fetched later through the Bot API's getFile. */
const platformUrl = (fileId: string) => `platform:${fileId}`;

const fullName = (u: TgUser | undefined) => [u?.first_name, u?.last_name].filter(Boolean).join(' ') || undefined;

function hintsOf(user: TgUser | undefined): LocaleHints | undefined {
  return user?.language_code ? { locale: user.language_code } : undefined;
}

function refOf(channelId: string, message: Pick<TgMessage, 'chat' | 'from' | 'sender_chat' | 'message_thread_id' | 'is_topic_message'>): ConversationRef {
  const ref: ConversationRef = {
    channelId,
    chatId: String(message.chat.id),
    userId: String(message.from?.id ?? message.sender_chat?.id ?? message.chat.id),
  };
  // Why only topic messages: message_thread_id is also set on plain replies in supergroups.
  if (message.is_topic_message && message.message_thread_id !== undefined) ref.threadId = String(message.message_thread_id);
  return ref;
}

function mediaParts(m: TgMessage): Part[] {
  const caption = m.caption ? { caption: m.caption } : {};
  if (m.photo?.length) {
    // Telegram lists the sizes of one photo smallest first; take the largest.
    const largest = m.photo.reduce((a, b) => ((b.width ?? 0) * (b.height ?? 0) >= (a.width ?? 0) * (a.height ?? 0) ? b : a));
    return [{ kind: 'image', url: platformUrl(largest.file_id), ...caption }];
  }
  // Animations also carry a `document`; check them first so GIFs read as video.
  const video = m.video ?? m.animation ?? m.video_note;
  if (video) return [{ kind: 'video', url: platformUrl(video.file_id), ...opt('mimeType', video.mime_type), ...caption }];
  if (m.document) {
    const d = m.document;
    return [{ kind: 'file', url: platformUrl(d.file_id), ...opt('mimeType', d.mime_type), ...opt('name', d.file_name), ...caption }];
  }
  const audio = m.voice ?? m.audio;
  if (audio) {
    const part: Part = { kind: 'audio', url: platformUrl(audio.file_id), ...opt('mimeType', audio.mime_type), ...opt('durationSec', audio.duration) };
    return m.caption ? [part, { kind: 'text', text: m.caption }] : [part];
  }
  return [];
}

function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** The parts of a message; empty for service messages and kinds Parley does not read. */
function messageParts(m: TgMessage): Part[] {
  if (m.text !== undefined) return [{ kind: 'text', text: m.text }];
  const media = mediaParts(m);
  if (media.length > 0) return media;
  if (m.sticker) return [{ kind: 'sticker', id: m.sticker.file_id, ...opt('emoji', m.sticker.emoji) }];
  if (m.venue) {
    const { location, title, address } = m.venue;
    return [{ kind: 'location', latitude: location.latitude, longitude: location.longitude, name: title, address }];
  }
  if (m.location) return [{ kind: 'location', latitude: m.location.latitude, longitude: m.location.longitude }];
  if (m.contact) {
    const name = [m.contact.first_name, m.contact.last_name].filter(Boolean).join(' ');
    return [{ kind: 'contact', name, phone: m.contact.phone_number }];
  }
  return [];
}

// Content a shopper sends that Parley cannot read; service messages (pins, joins) are ignored.
const unreadableKinds = ['poll', 'dice', 'game', 'story', 'invoice', 'paid_media', 'giveaway'] as const;

function base(update: TgUpdate, ref: ConversationRef, timestamp: number, from: TgUser | undefined) {
  const hints = hintsOf(from);
  const senderName = fullName(from);
  return {
    channelId: ref.channelId,
    eventId: String(update.update_id),
    ref,
    timestamp,
    ...(hints ? { hints } : {}),
    ...(senderName ? { senderName } : {}),
    raw: update,
  };
}

function fromMessage(update: TgUpdate, m: TgMessage, ctx: NormalizeContext): InboundEvent[] {
  const common = base(update, refOf(ctx.channelId, m), m.date * 1000, m.from);
  const parts = messageParts(m);
  if (parts.length === 0) {
    const kind = unreadableKinds.find((k) => k in m);
    return kind ? [{ ...common, type: 'system', name: 'unsupported_message', detail: `telegram:${kind}` }] : [];
  }
  const replyTo = m.reply_to_message ? { replyTo: String(m.reply_to_message.message_id) } : {};
  return [{ ...common, type: 'message', parts, messageId: String(m.message_id), ...replyTo }];
}

function fromEdit(update: TgUpdate, m: TgMessage, ctx: NormalizeContext): InboundEvent[] {
  const parts = messageParts(m);
  if (parts.length === 0) return [];
  // Why edit_date: the edit happened then; `date` is when the original was sent.
  const at = m.edit_date ?? m.date;
  return [{ ...base(update, refOf(ctx.channelId, m), at * 1000, m.from), type: 'edit', messageId: String(m.message_id), parts }];
}

/** The visible text of the pressed button, found in the keyboard of the message it sits under. */
function buttonLabel(q: TgCallbackQuery): string | undefined {
  const rows = q.message?.reply_markup?.inline_keyboard ?? [];
  return rows.flat().find((b) => b.callback_data === q.data)?.text;
}

function fromCallback(update: TgUpdate, q: TgCallbackQuery, ctx: NormalizeContext): InboundEvent[] {
  // Game buttons carry no data; inline-mode buttons have no chat, so the private chat is the user's.
  if (q.data === undefined) return [];
  const chatOf = q.message ?? { chat: { id: q.from.id } };
  const ref = refOf(ctx.channelId, { ...chatOf, from: q.from });
  const label = buttonLabel(q);
  return [{ ...base(update, ref, ctx.now, q.from), type: 'postback', payload: q.data, ...(label ? { label } : {}) }];
}

const gone = new Set(['left', 'kicked']);

function membershipChange(u: TgChatMemberUpdated): MembershipEvent['change'] | undefined {
  const was = u.old_chat_member.status;
  const now = u.new_chat_member.status;
  // In a private chat "kicked" means the user blocked the bot; "member" after it, unblocked.
  if (u.chat.type === 'private') return now === 'kicked' ? 'blocked' : now === 'member' && was === 'kicked' ? 'unblocked' : undefined;
  if (gone.has(now) && !gone.has(was)) return 'unfollow';
  if (!gone.has(now) && gone.has(was)) return 'follow';
  return undefined;
}

function fromMembership(update: TgUpdate, u: TgChatMemberUpdated, ctx: NormalizeContext): InboundEvent[] {
  const change = membershipChange(u);
  if (!change) return [];
  const ref: ConversationRef = { channelId: ctx.channelId, chatId: String(u.chat.id), userId: String(u.from.id) };
  return [{ ...base(update, ref, u.date * 1000, u.from), type: 'membership', change }];
}

/**
 * Turns one update into Parley events. Pure; shared by the webhook and the long-polling loop.
 * Kinds Parley does not handle (inline queries, channel posts, polls' answers ...) give no events.
 *
 * @example
 * ```ts
 * normalizeUpdate({ update_id: 7, message: { message_id: 1, date: 1, chat: { id: 5 }, text: 'hi' } }, { channelId: 'tg', now: 0 });
 * // [{ type: 'message', eventId: '7', ref: { channelId: 'tg', chatId: '5', userId: '5' }, parts: [{ kind: 'text', text: 'hi' }], ... }]
 * ```
 */
export function normalizeUpdate(update: TgUpdate, ctx: NormalizeContext): InboundEvent[] {
  if (update.message) return fromMessage(update, update.message, ctx);
  if (update.edited_message) return fromEdit(update, update.edited_message, ctx);
  if (update.callback_query) return fromCallback(update, update.callback_query, ctx);
  if (update.my_chat_member) return fromMembership(update, update.my_chat_member, ctx);
  return [];
}

/** Parses a JSON value as an update; `undefined` when it is not one. */
export function parseUpdate(value: unknown): TgUpdate | undefined {
  const result = updateSchema.safeParse(value);
  return result.success ? result.data : undefined;
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * The webhook acknowledgement. A button press is answered inside it: Telegram runs a method
 * named in the webhook response, so the button stops spinning once the event is persisted
 * (the server sends the ack after the inbox accepted it) without another API call.
 * https://core.telegram.org/bots/api#making-requests-when-getting-updates
 */
function ackFor(update: TgUpdate | undefined): HttpAck {
  const id = update?.callback_query?.id;
  if (!id) return { status: 200 };
  return { status: 200, headers: { 'content-type': 'application/json' }, body: { method: 'answerCallbackQuery', callback_query_id: id } };
}

/**
 * Normalises a verified webhook request. A body that is not an update is acknowledged with 200
 * and no events (with a warning): Telegram would otherwise redeliver it and hold back every
 * later update behind it.
 */
export function normalizeRequest(req: VerifiedRequest, ctx: NormalizeContext, log: Logger): Normalized {
  const update = parseUpdate(parseJson(req.body));
  if (!update) {
    log.warn({ channel: ctx.channelId, bytes: req.body.length }, 'telegram webhook body is not an update; ignored');
    return { ack: { status: 200 }, events: [] };
  }
  return { ack: ackFor(update), events: normalizeUpdate(update, ctx) };
}
