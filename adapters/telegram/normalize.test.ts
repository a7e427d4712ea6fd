import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { markVerified, type RawRequest } from '../../src/core/adapter.js';
import type { InboundEvent, Part } from '../../src/core/message.js';
import { silentLogger } from '../../src/core/ports.js';
import { normalizeRequest, normalizeUpdate, parseUpdate } from './normalize.js';

const ctx = { channelId: 'tg-a', now: 1_700_000_000_000 };

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8'));

function events(update: unknown): InboundEvent[] {
  const parsed = parseUpdate(update);
  if (!parsed) throw new Error('fixture did not parse as an update');
  return normalizeUpdate(parsed, ctx);
}

function only(update: unknown): InboundEvent {
  const all = events(update);
  expect(all).toHaveLength(1);
  return all[0] as InboundEvent;
}

function partsOf(update: unknown): Part[] {
  const event = only(update);
  if (event.type !== 'message' && event.type !== 'edit') throw new Error(`expected a message, got ${event.type}`);
  return event.parts;
}

function request(body: string | Buffer): RawRequest {
  return { method: 'POST', url: '/webhooks/tg-a', headers: {}, query: {}, body: Buffer.from(body) };
}

describe('telegram normalize: real payloads', () => {
  it('text message with language_code: ids, ref, locale hint, sender, timestamp', () => {
    const event = only(fixture('realworld_message_text_language_code'));
    expect(event).toMatchObject({
      type: 'message',
      channelId: 'tg-a',
      eventId: '892252934',
      messageId: '6557',
      ref: { channelId: 'tg-a', chatId: '218485655', userId: '218485655' },
      hints: { locale: 'en' },
      senderName: 'Waffle',
      timestamp: 1569518342 * 1000,
      parts: [{ kind: 'text', text: 'hello there' }],
    });
    expect(event.raw).toEqual(fixture('realworld_message_text_language_code'));
  });

  it('private text "4" stays text (the core maps numbers to choices)', () => {
    expect(partsOf(fixture('realworld_message_text_private'))).toEqual([{ kind: 'text', text: '4' }]);
  });

  it('official guide samples without language_code have no hints', () => {
    const event = only(fixture('official_webhooks_guide_message_text'));
    expect(event).toMatchObject({ eventId: '10000', ref: { chatId: '1111111', userId: '1111111' }, senderName: 'Test Firstname Test Lastname' });
    expect(event.hints).toBeUndefined();
    expect(partsOf(fixture('official_webhooks_guide_message_with_entities'))).toEqual([{ kind: 'text', text: 'Bold and italics' }]);
    expect(partsOf(fixture('official_webhooks_guide_forwarded_message'))).toEqual([{ kind: 'text', text: '/start' }]);
    expect(partsOf(fixture('official_webhooks_guide_forwarded_channel_message'))).toEqual([{ kind: 'text', text: '/start' }]);
  });

  it('reply keeps the replied-to message id', () => {
    expect(only(fixture('official_webhooks_guide_message_with_reply'))).toMatchObject({ type: 'message', replyTo: '1334' });
  });

  it('photo with caption: the largest size as platform:<file_id> with the caption, ru-RU hint', () => {
    const event = only(fixture('realworld_message_photo_caption'));
    expect(event.hints).toEqual({ locale: 'ru-RU' });
    expect(partsOf(fixture('realworld_message_photo_caption'))).toEqual([
      { kind: 'image', url: 'platform:AgADAgADOagxG8vyeUvsltCem_XPv5A6Sw0ABNXULc5u7jny5VkRAAEC', caption: 'description' },
    ]);
  });

  it('voice and audio become audio parts with duration and mime type', () => {
    expect(partsOf(fixture('realworld_message_voice'))).toEqual([
      { kind: 'audio', url: 'platform:AwADawAgADADy_JxS2gopIVIIxlhAg', mimeType: 'audio/ogg', durationSec: 1 },
    ]);
    expect(partsOf(fixture('official_webhooks_guide_message_voice'))).toEqual([
      { kind: 'audio', url: 'platform:AwADBAADbXXXXXXXXXXXGBdhD2l6_XX', mimeType: 'audio/ogg', durationSec: 5 },
    ]);
    expect(partsOf(fixture('official_webhooks_guide_message_audio'))).toEqual([
      { kind: 'audio', url: 'platform:AwADBAADbXXXXXXXXXXXGBdhD2l6_XX', mimeType: 'audio/mpeg', durationSec: 243 },
    ]);
  });

  it('document becomes a file part with its name', () => {
    expect(partsOf(fixture('official_webhooks_guide_message_document'))).toEqual([
      { kind: 'file', url: 'platform:AwADBAADbXXXXXXXXXXXGBdhD2l6_XX', mimeType: 'application/pdf', name: 'Testfile.pdf' },
    ]);
  });

  it('location', () => {
    expect(partsOf(fixture('realworld_message_location'))).toEqual([{ kind: 'location', latitude: 55.693416, longitude: 37.624605 }]);
  });

  it('edited_message becomes an edit event stamped with edit_date', () => {
    expect(only(fixture('official_webhooks_guide_edited_message'))).toMatchObject({
      type: 'edit',
      eventId: '10000',
      messageId: '1365',
      timestamp: 1441646600 * 1000,
      parts: [{ kind: 'text', text: 'Edited text' }],
    });
  });

  it("callback_query from an inline-mode message becomes a postback in the user's private chat", () => {
    expect(only(fixture('official_webhooks_guide_callback_query'))).toMatchObject({
      type: 'postback',
      eventId: '10000',
      payload: 'Data from button callback',
      timestamp: ctx.now,
      ref: { chatId: '1111111', userId: '1111111' },
    });
  });

  it('my_chat_member member → kicked in a private chat means the user blocked the bot', () => {
    expect(only(fixture('my_chat_member_bot_blocked_by_user'))).toMatchObject({
      type: 'membership',
      change: 'blocked',
      eventId: '0',
      ref: { chatId: '0', userId: '0' },
      timestamp: 1644677726 * 1000,
    });
  });

  it('inline_query and chosen_inline_result give no events', () => {
    expect(events(fixture('official_webhooks_guide_inline_query'))).toEqual([]);
    expect(events(fixture('official_webhooks_guide_chosen_inline_result'))).toEqual([]);
  });

  it('vercel/chat recording: mention and follow-up are two messages with their own ids', () => {
    const recorded = fixture('recorded_vercel_chat_telegram') as { mention: unknown; followUp: unknown };
    expect(only(recorded.mention)).toMatchObject({ eventId: '1001', parts: [{ kind: 'text', text: '@vercelchatsdkbot hi' }] });
    expect(only(recorded.followUp)).toMatchObject({ eventId: '1002', messageId: '134', ref: { chatId: '7527593' } });
  });
});

// Constructed from the field lists in https://core.telegram.org/bots/api#update (no captured sample at hand).
const chat = { id: 42, type: 'private', first_name: 'Ana' };
const from = { id: 42, is_bot: false, first_name: 'Ana', language_code: 'es' };
const msg = (extra: Record<string, unknown>) => ({ update_id: 500, message: { message_id: 9, date: 1_700_000_000, chat, from, ...extra } });

describe('telegram normalize: constructed cases', () => {
  it('callback_query under a bot message: payload, label from the keyboard, chat of the message', () => {
    const update = {
      update_id: 501,
      callback_query: {
        id: '99',
        from,
        chat_instance: '-1',
        data: 'size.l',
        message: {
          message_id: 7,
          date: 1_700_000_000,
          chat,
          from: { id: 1, is_bot: true, first_name: 'Shop' },
          text: 'Which size?',
          reply_markup: {
            inline_keyboard: [
              [
                { text: 'Small', callback_data: 'size.s' },
                { text: 'Large', callback_data: 'size.l' },
              ],
            ],
          },
        },
      },
    };
    expect(only(update)).toMatchObject({ type: 'postback', payload: 'size.l', label: 'Large', ref: { chatId: '42', userId: '42' }, hints: { locale: 'es' } });
  });

  it('sticker, contact, venue, video, animation', () => {
    expect(
      partsOf(msg({ sticker: { file_id: 'S1', file_unique_id: 'u', type: 'regular', width: 1, height: 1, is_animated: false, is_video: false, emoji: '👍' } })),
    ).toEqual([{ kind: 'sticker', id: 'S1', emoji: '👍' }]);
    expect(partsOf(msg({ contact: { phone_number: '+34600000000', first_name: 'Ana', last_name: 'Ruiz' } }))).toEqual([
      { kind: 'contact', name: 'Ana Ruiz', phone: '+34600000000' },
    ]);
    const location = { latitude: 40.4, longitude: -3.7 };
    expect(partsOf(msg({ location, venue: { location, title: 'Shop', address: 'Gran Vía 1' } }))).toEqual([
      { kind: 'location', latitude: 40.4, longitude: -3.7, name: 'Shop', address: 'Gran Vía 1' },
    ]);
    expect(partsOf(msg({ video: { file_id: 'V1', file_unique_id: 'u', width: 1, height: 1, duration: 3, mime_type: 'video/mp4' }, caption: 'look' }))).toEqual([
      { kind: 'video', url: 'platform:V1', mimeType: 'video/mp4', caption: 'look' },
    ]);
    const gif = { file_id: 'G1', file_unique_id: 'u', width: 1, height: 1, duration: 1 };
    expect(partsOf(msg({ animation: gif, document: { file_id: 'G1', file_unique_id: 'u' } }))[0]).toMatchObject({ kind: 'video', url: 'platform:G1' });
  });

  it('a forum topic message keeps its thread', () => {
    const update = {
      update_id: 502,
      message: {
        message_id: 3,
        date: 1,
        chat: { id: -100123, type: 'supergroup', title: 'Shop' },
        from,
        message_thread_id: 77,
        is_topic_message: true,
        text: 'hola',
      },
    };
    expect(only(update).ref).toEqual({ channelId: 'tg-a', chatId: '-100123', userId: '42', threadId: '77' });
  });

  it('unblock and group membership changes', () => {
    const member = (status: string) => ({ user: { id: 1, is_bot: true, first_name: 'Shop' }, status });
    const change = (c: Record<string, unknown>, was: string, now: string) => ({
      update_id: 503,
      my_chat_member: { chat: c, from, date: 5, old_chat_member: member(was), new_chat_member: member(now) },
    });
    expect(only(change(chat, 'kicked', 'member'))).toMatchObject({ type: 'membership', change: 'unblocked' });
    const group = { id: -5, type: 'group', title: 'G' };
    expect(only(change(group, 'left', 'member'))).toMatchObject({ change: 'follow', ref: { chatId: '-5' } });
    expect(only(change(group, 'administrator', 'kicked'))).toMatchObject({ change: 'unfollow' });
    expect(events(change(group, 'member', 'administrator'))).toEqual([]);
  });

  it('a poll or dice becomes a system event; service messages and channel posts give none', () => {
    expect(only(msg({ dice: { emoji: '🎲', value: 3 } }))).toMatchObject({ type: 'system', name: 'unsupported_message', detail: 'telegram:dice' });
    expect(events(msg({ pinned_message: { message_id: 1, date: 1, chat } }))).toEqual([]);
    expect(events({ update_id: 504, channel_post: { message_id: 1, date: 1, chat: { id: -1, type: 'channel' }, text: 'news' } })).toEqual([]);
  });
});

describe('telegram normalize: webhook requests', () => {
  const norm = (body: string) => normalizeRequest(markVerified(request(body), {}), ctx, silentLogger);

  it('answers a button press inside the webhook response', () => {
    const result = norm(JSON.stringify(fixture('official_webhooks_guide_callback_query')));
    expect(result.ack).toEqual({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: { method: 'answerCallbackQuery', callback_query_id: '4382bfdwdsb323b2d9' },
    });
    expect(result.events).toHaveLength(1);
  });

  it('acknowledges messages with a bare 200', () => {
    expect(norm(JSON.stringify(fixture('realworld_message_voice'))).ack).toEqual({ status: 200 });
  });

  it('bad bodies are acknowledged without events and without throwing', () => {
    const warnings: object[] = [];
    const log = { ...silentLogger, warn: (o: object) => void warnings.push(o) };
    for (const body of ['not json', '[]', '{"message":{"text":"no update_id"}}', '{"update_id":"x"}', '{"update_id":1,"message":{"text":"no chat"}}', '']) {
      const result = normalizeRequest(markVerified(request(body), {}), ctx, log);
      expect(result).toEqual({ ack: { status: 200 }, events: [] });
    }
    expect(warnings).toHaveLength(6);
    expect(JSON.stringify(warnings)).not.toContain('no chat');
  });

  it('is pure: the same body gives the same events', () => {
    const body = JSON.stringify(fixture('realworld_message_photo_caption'));
    expect(norm(body)).toEqual(norm(body));
  });
});
