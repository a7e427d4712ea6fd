import { describe, expect, it } from 'vitest';
import { isParleyError } from '../../src/core/errors.js';
import type { InboundEvent } from '../../src/core/message.js';
import { normalizeWebhook } from './normalize.js';
import { eventFixtures, fixture } from '../../test/support/line.js';

const user = 'U206d25c2ea6bd87c17655609a1c37cb8';
const group = 'Ca56f94637cc4347f90a25382909b24b9';
const room = 'Ra8dbf4673c4c812cd491258042226c99';

function only(name: string): InboundEvent {
  const { ack, events } = normalizeWebhook(fixture(name), 'line-a');
  expect(ack.status).toBe(200);
  expect(events).toHaveLength(1);
  const [event] = events;
  if (!event) throw new Error('no event');
  expect(event.channelId).toBe('line-a');
  expect(event.ref.channelId).toBe('line-a');
  return event;
}

const body = (events: unknown[]) => Buffer.from(JSON.stringify({ destination: 'U123', events }));

describe('LINE normalize: messages', () => {
  it('text in a one-on-one chat: ids, reply token and its timestamp', () => {
    expect(only('event_message_text.json')).toMatchObject({
      type: 'message',
      eventId: 'testwebhookeventid',
      messageId: '325708',
      timestamp: 1462629479859,
      parts: [{ kind: 'text', text: 'Hello, world' }],
      ref: { chatId: user, userId: user, extra: { sourceType: 'user', replyToken: 'nHuyWiB7yP5Zw52FIkcQobQuGDXCTA', replyTokenAt: 1462629479859 } },
    });
  });

  it('text in a group and in a room: chat is the group / room, user is the sender', () => {
    expect(only('event_message_text_group.json').ref).toMatchObject({ chatId: group, userId: user, extra: { sourceType: 'group' } });
    expect(only('event_message_text_room.json').ref).toMatchObject({ chatId: room, userId: user, extra: { sourceType: 'room' } });
  });

  it('LINE-hosted image, video, audio and file become platform:<message id> URLs', () => {
    expect(only('event_message_image_set.json')).toMatchObject({
      messageId: '354718705033693861',
      parts: [{ kind: 'image', url: 'platform:354718705033693861' }],
    });
    expect(only('event_message_file.json')).toMatchObject({ parts: [{ kind: 'file', url: 'platform:325708', name: 'file.txt' }] });
  });

  it('externally hosted content keeps its public URL; audio carries its duration', () => {
    expect(only('event_message_image_external.json')).toMatchObject({ parts: [{ kind: 'image', url: 'https://example.com' }], ref: { chatId: room } });
    expect(only('event_message_video.json')).toMatchObject({ parts: [{ kind: 'video', url: 'https://example.com' }] });
    expect(only('event_message_audio.json')).toMatchObject({ parts: [{ kind: 'audio', url: 'https://example.com', durationSec: 60 }] });
  });

  it('location and sticker (packageId/stickerId, with the message sticker text)', () => {
    expect(only('event_message_location.json')).toMatchObject({
      parts: [{ kind: 'location', latitude: 35.65910807942215, longitude: 139.70372892916203, name: 'my location', address: 'Tokyo' }],
    });
    expect(only('event_message_sticker.json')).toMatchObject({
      parts: [
        { kind: 'sticker', id: '1/1' },
        { kind: 'text', text: 'Just sticker' },
      ],
    });
  });

  it('an edited message becomes an edit event of the same message id', () => {
    expect(only('event_message_edited.json')).toMatchObject({ type: 'edit', messageId: '325708', parts: [{ kind: 'text', text: 'Hello, edited world' }] });
  });

  it('a redelivered event keeps the same event id, so the inbox stores it once', () => {
    const first = only('event_message_text.json');
    const again = only('event_message_text_redelivery.json');
    expect(again.eventId).toBe(first.eventId);
    expect(again).toMatchObject({ type: 'message', parts: [{ kind: 'text', text: 'Hello, world' }] });
  });

  it('keeps the platform event as raw', () => {
    expect((only('event_message_text.json').raw as { message: { id: string } }).message.id).toBe('325708');
  });
});

describe('LINE normalize: other events', () => {
  it('follow / unblock / unfollow become membership changes', () => {
    expect(only('event_follow.json')).toMatchObject({ type: 'membership', change: 'unblocked', ref: { userId: user } });
    const [follow] = normalizeWebhook(
      body([{ type: 'follow', timestamp: 1, source: { type: 'user', userId: 'U1' }, webhookEventId: 'E1', follow: { isUnblocked: false } }]),
      'l',
    ).events;
    expect(follow).toMatchObject({ type: 'membership', change: 'follow' });
    expect(only('event_unfollow.json')).toMatchObject({ type: 'membership', change: 'blocked', ref: { chatId: user } });
  });

  it('postback carries postback.data; a picked date or time is the label', () => {
    expect(only('event_postback_date.json')).toMatchObject({ type: 'postback', payload: 'action=buyItem&itemId=123123&color=red', label: '2013-04-01' });
    expect(only('event_postback_datetime.json')).toMatchObject({ label: '2017-12-25T01:00' });
    expect(only('event_postback_time.json')).toMatchObject({ label: '10:00' });
    const [plain] = normalizeWebhook(
      body([{ type: 'postback', timestamp: 1, source: { type: 'user', userId: 'U1' }, webhookEventId: 'E2', postback: { data: 'size.l' } }]),
      'l',
    ).events;
    expect(plain).toEqual(expect.objectContaining({ type: 'postback', payload: 'size.l' }));
    expect(plain).not.toHaveProperty('label');
  });

  it('unsend, join, leave, member changes, beacon, account link, video complete and unknown types are system events', () => {
    expect(only('event_unsend.json')).toMatchObject({ type: 'system', name: 'unsend', detail: '325708', ref: { chatId: group, userId: user } });
    expect(only('event_join.json')).toMatchObject({ type: 'system', name: 'join', ref: { chatId: group, userId: group } });
    for (const [file, name] of [
      ['event_leave.json', 'leave'],
      ['event_member_joined.json', 'memberJoined'],
      ['event_member_left.json', 'memberLeft'],
      ['event_beacon.json', 'beacon'],
      ['event_beacon_dm.json', 'beacon'],
      ['event_account_link.json', 'accountLink'],
      ['event_video_play_complete.json', 'videoPlayComplete'],
      ['event_unknown_type.json', 'undefined'],
    ] as const) {
      expect(only(file), file).toMatchObject({ type: 'system', name });
    }
  });

  it('every single-event fixture normalises to exactly one event with a chat id', () => {
    const files = eventFixtures();
    expect(files.length).toBeGreaterThanOrEqual(25);
    for (const file of files) expect(only(file).ref.chatId, file).toBeTruthy();
  });

  it('the SDK fixture with all 28 events normalises in order', () => {
    const { events } = normalizeWebhook(fixture('python_sdk_v3_webhook_all_events.json'), 'line-a');
    expect(events).toHaveLength(28);
    expect(events.map((e) => e.type)).toEqual([
      ...['message', 'message', 'message', 'message', 'message', 'message'],
      ...['membership', 'membership', 'system', 'system', 'postback', 'system', 'system', 'system'],
      ...['message', 'message', 'postback', 'postback', 'postback', 'system', 'system', 'message'],
      ...['system', 'system', 'message', 'message', 'edit', 'system'],
    ]);
  });
});

describe('LINE normalize: odd input', () => {
  it('the console "Verify" body (no events) is acknowledged with no events', () => {
    expect(normalizeWebhook(body([]), 'l')).toEqual({ ack: { status: 200 }, events: [] });
  });

  it('a body that is not JSON, or has no events array, is a bad payload (400)', () => {
    for (const bad of ['{"destination":', '[]', '{"destination":"U1"}', '{"events":{}}', 'null']) {
      let error: unknown;
      try {
        normalizeWebhook(Buffer.from(bad), 'l');
      } catch (err) {
        error = err;
      }
      expect(isParleyError(error, 'BAD_PAYLOAD'), bad).toBe(true);
    }
  });

  it('unknown message types and broken content become system events, never a crash', () => {
    const events = normalizeWebhook(
      body([
        { type: 'message', webhookEventId: 'E3', timestamp: 1, source: { type: 'user', userId: 'U1' }, message: { id: '9', type: 'hologram' } },
        { type: 'message', webhookEventId: 'E4', timestamp: 1, source: { type: 'user', userId: 'U1' }, message: { id: '9', type: 'location' } },
        { type: 'message', webhookEventId: 'E5', source: 'nonsense', message: 'x' },
        42,
        null,
      ]),
      'l',
    ).events;
    expect(events).toHaveLength(3);
    expect(events[0]).toMatchObject({ type: 'system', name: 'unsupported_message', detail: 'hologram' });
    expect(events[1]).toMatchObject({ type: 'system', name: 'unsupported_message', detail: 'location' });
    expect(events[2]).toMatchObject({ type: 'system', eventId: 'E5', ref: { chatId: 'unknown' } });
  });

  it('standby-mode messages are recorded as system events without a reply token', () => {
    const [event] = normalizeWebhook(
      body([
        {
          type: 'message',
          mode: 'standby',
          webhookEventId: 'E6',
          timestamp: 1,
          source: { type: 'user', userId: 'U1' },
          message: { id: '1', type: 'text', text: 'hi' },
        },
      ]),
      'l',
    ).events;
    expect(event).toMatchObject({ type: 'system', name: 'standby', detail: 'message' });
    expect(event?.ref.extra).not.toHaveProperty('replyToken');
  });

  it('an event without webhookEventId gets a stable id from its content', () => {
    const payload = body([{ type: 'message', timestamp: 5, source: { type: 'user', userId: 'U1' }, message: { id: '77', type: 'text', text: 'hi' } }]);
    const a = normalizeWebhook(payload, 'l').events[0];
    const b = normalizeWebhook(Buffer.from(payload), 'l').events[0];
    expect(a?.eventId).toMatch(/^sha256:[0-9a-f]{32}$/);
    expect(a?.eventId).toBe(b?.eventId);
  });
});
