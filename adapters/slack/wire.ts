/** Small readers for Slack's JSON: every field is checked before use, nothing throws. */

import type { ConversationRef, Part } from '../../src/core/message.js';
import { convertMarkup } from '../../src/core/markup.js';
import type { ChannelMessageMode } from './config.js';

/** A JSON object from Slack, fields still unchecked. */
export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
export const obj = (v: unknown): Json => (isObject(v) ? v : {});
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
export const list = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);

/** Slack timestamps are `"seconds.microseconds"` strings; they double as message ids. */
export function tsToMs(ts: unknown): number | undefined {
  const n = typeof ts === 'string' ? Number(ts) : typeof ts === 'number' ? ts : Number.NaN;
  return Number.isFinite(n) && n > 0 ? Math.round(n * 1000) : undefined;
}

// Why by prefix: interaction payloads carry no channel_type; DM conversation ids start with D.
// https://docs.slack.dev/reference/objects/conversation-object
export const isDmId = (channel: string) => channel.startsWith('D');

/** What the normalisers need to know about the channel instance. */
export interface NormalizeOptions {
  channelId: string;
  botUserId?: string;
  channelMessages: ChannelMessageMode;
}

/**
 * A Slack conversation: the channel, and the thread inside it. In a channel every
 * conversation is a thread (a top-level mention starts one at its own `ts`); in a DM only
 * messages already inside a thread get a thread id.
 */
export function slackRef(
  channelId: string,
  where: { channel: string; user: string; ts?: string; threadTs?: string },
  extra: Record<string, unknown>,
): ConversationRef {
  const threadId = isDmId(where.channel) ? where.threadTs : (where.threadTs ?? where.ts);
  const clean = Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined));
  return {
    channelId,
    chatId: where.channel,
    userId: where.user,
    ...(threadId ? { threadId } : {}),
    extra: clean,
  };
}

function fileKind(mimeType: string | undefined): 'image' | 'video' | 'audio' | 'file' {
  const major = mimeType?.split('/')[0];
  return major === 'image' || major === 'video' || major === 'audio' ? major : 'file';
}

/**
 * Files a shopper shared. Their `url_private` needs the bot token, so they are `platform:<file id>`
 * parts. https://docs.slack.dev/reference/objects/file-object
 */
function fileParts(files: unknown): Part[] {
  return list(files).flatMap((f): Part[] => {
    const id = str(f.id);
    if (!id) return [];
    const mimeType = str(f.mimetype);
    const name = str(f.name) ?? str(f.title);
    const url = `platform:${id}`;
    const kind = fileKind(mimeType);
    if (kind === 'audio') return [{ kind, url, ...(mimeType ? { mimeType } : {}) }];
    return [{ kind, url, ...(mimeType ? { mimeType } : {}), ...(name ? { name } : {}) }];
  });
}

/**
 * A message's text and files as parts. Slack text is mrkdwn with `& < >` escaped; Parley
 * stores what the shopper read: entities decoded, `<url|label>` as "label (url)".
 */
export function messageParts(message: Json, text = str(message.text)): Part[] {
  const plain = text ? convertMarkup(text, 'mrkdwn', 'plain').trim() : '';
  return [...(plain ? [{ kind: 'text' as const, text: plain }] : []), ...fileParts(message.files)];
}

/** The sender's name when Slack includes a profile (it does for most user messages). */
export function senderName(message: Json): string | undefined {
  const profile = obj(message.user_profile);
  return str(profile.display_name) ?? str(profile.real_name) ?? str(profile.name);
}
