import { describe, expect, it } from 'vitest';
import type { RawRequest, VerifiedRequest } from '../../src/core/adapter.js';
import { isParleyError } from '../../src/core/errors.js';
import type { InboundEvent } from '../../src/core/message.js';
import { createSlackAdapter } from './adapter.js';
import { fakeContext, fixture, fixtureJson, signedEvent, signedInteraction, signedRequest, testConfig } from '../../test/support/slack.js';

// biome-ignore lint/suspicious/noExplicitAny: fixture JSON is read and patched field by field in tests.
type Json = Record<string, any>;

function adapterWith(extra: Record<string, unknown> = {}) {
  return createSlackAdapter(testConfig(undefined, extra), fakeContext().ctx);
}

function verified(req: RawRequest, extra: Record<string, unknown> = {}) {
  const adapter = adapterWith(extra);
  const result = adapter.verify(req);
  if (!('ok' in result) || !result.ok) throw new Error('expected the signed test request to verify');
  return { adapter, request: result.request as VerifiedRequest };
}

function normalize(req: RawRequest, extra: Record<string, unknown> = {}) {
  const { adapter, request } = verified(req, extra);
  return adapter.normalize(request);
}

const events = (payload: unknown, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): InboundEvent[] =>
  normalize(signedEvent(payload, headers), extra).events;

describe('Slack Events API fixtures (docs.slack.dev examples)', () => {
  it('message.im: a DM is a message in the DM channel, no thread, team in ref.extra', () => {
    const [event, ...rest] = events(fixtureJson('event_message_im.json'));
    expect(rest).toHaveLength(0);
    expect(event).toMatchObject({
      type: 'message',
      channelId: 'slack-test',
      eventId: 'Ev0PV52K21',
      timestamp: 1_355_517_523_000,
      messageId: '1355517523.000005',
      parts: [{ kind: 'text', text: 'Hello hello can you hear me?' }],
      ref: { channelId: 'slack-test', chatId: 'D024BE91L', userId: 'U2147483697', extra: { team: 'T123ABC456', channelType: 'im' } },
    });
    expect(event?.ref.threadId).toBeUndefined();
    expect(event?.raw).toEqual(fixtureJson('event_message_im.json'));
  });

  it('app_mention: the leading mention is stripped and the mention starts a thread at its ts', () => {
    const [event] = events(fixtureJson('event_app_mention.json'));
    expect(event).toMatchObject({
      type: 'message',
      eventId: 'Ev123ABC456',
      parts: [{ kind: 'text', text: 'is it everything a river should be?' }],
      ref: { chatId: 'C123ABC456', userId: 'U061F7AUR', threadId: '1515449522.000016', extra: { team: 'T123ABC456' } },
    });
  });

  it('message.channels: a top-level channel message is left to app_mention by default, taken with channelMessages: all', () => {
    expect(events(fixtureJson('event_message_channels.json'))).toEqual([]);
    expect(events(fixtureJson('event_message_channels.json'), { channelMessages: 'mentions' })).toEqual([]);
    const [event] = events(fixtureJson('event_message_channels.json'), { channelMessages: 'all' });
    expect(event).toMatchObject({
      type: 'message',
      eventId: 'Ev123ABC456',
      parts: [{ kind: 'text', text: 'Live long and prospect.' }],
      ref: { chatId: 'C123ABC456', userId: 'U123ABC456', threadId: '1355517523.000005', extra: { channelType: 'channel' } },
    });
  });

  it('url_verification: answered with the challenge, no events', () => {
    const body = fixtureJson('url_verification.json');
    const result = normalize(signedEvent(body));
    expect(result).toEqual({ ack: { status: 200, body: { challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' } }, events: [] });
  });
});

describe('Slack recorded payloads (vercel/chat replays)', () => {
  const dm = fixtureJson<Json>('recorded_vercel_chat_dm_slack.json');

  it('a mention, a thread reply and a DM: conversations by channel and thread', () => {
    const [mention] = events(dm.mention);
    expect(mention).toMatchObject({
      parts: [{ kind: 'text', text: 'Hey' }],
      ref: { chatId: 'C00FAKECHAN1', userId: 'U00FAKEUSER1', threadId: '1767376988.871629' },
    });
    const [reply] = events(dm.dmRequest);
    expect(reply).toMatchObject({
      parts: [{ kind: 'text', text: 'DM me' }],
      replyTo: '1767376988.871629',
      ref: { chatId: 'C00FAKECHAN1', threadId: '1767376988.871629' },
    });
    const [direct] = events(dm.dmMessage);
    expect(direct).toMatchObject({ parts: [{ kind: 'text', text: 'Hey!' }], ref: { chatId: 'D0A5319PS02', userId: 'U00FAKEUSER1' } });
    expect(direct?.ref.threadId).toBeUndefined();
  });

  it('without an event_id the id is still stable and distinct per event', () => {
    const a = events(dm.mention)[0]?.eventId;
    expect(a).toBe(events(dm.mention)[0]?.eventId);
    expect(a).not.toBe(events(dm.dmMessage)[0]?.eventId);
  });

  it('a channel message that @mentions the bot is skipped: Slack sends it again as app_mention', () => {
    const recorded = fixtureJson<Json>('vercel_channel_mention_message.json');
    expect(events(recorded.mention, { channelMessages: 'all' })).toEqual([]);
  });

  it('a thread reply in a channel is followed with channelMessages: threads (default), not with mentions', () => {
    expect(events(dm.dmRequest, { channelMessages: 'mentions' })).toEqual([]);
  });
});

describe('Slack retries and the bot itself', () => {
  const im = fixtureJson<Json>('event_message_im.json');

  it('a retry (X-Slack-Retry-Num) of the same event_id gives the same event id', () => {
    const first = events(im);
    const retry = events(im, {}, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
    expect(retry.map((e) => e.eventId)).toEqual(first.map((e) => e.eventId));
    expect(retry[0]?.eventId).toBe('Ev0PV52K21');
  });

  const withEvent = (patch: Json) => ({ ...im, event: { ...im.event, ...patch } });

  it('ignores messages with a bot_id, the bot_message subtype, or from the configured bot user', () => {
    expect(events(withEvent({ bot_id: 'B123' }))).toEqual([]);
    expect(events(withEvent({ subtype: 'bot_message', user: undefined, username: 'Parley' }))).toEqual([]);
    expect(events(withEvent({ user: 'UBOT' }), { botUserId: 'UBOT' })).toEqual([]);
    expect(events({ ...im, authorizations: [{ user_id: 'U2147483697', is_bot: true }] })).toEqual([]);
  });

  it('ignores the bot mentioning itself', () => {
    const mention = fixtureJson<Json>('event_app_mention.json');
    expect(events({ ...mention, event: { ...mention.event, bot_id: 'B1' } })).toEqual([]);
  });

  it('ignores housekeeping subtypes (joins, topic changes)', () => {
    expect(events(withEvent({ subtype: 'channel_join' }))).toEqual([]);
    expect(events(withEvent({ subtype: 'channel_topic' }))).toEqual([]);
  });

  it('message_changed is an edit of the original ts; an unfurl (same text) is not', () => {
    const changed = withEvent({
      subtype: 'message_changed',
      hidden: true,
      user: undefined,
      text: undefined,
      message: {
        type: 'message',
        user: 'U2147483697',
        text: 'Hello, can you hear me?',
        ts: '1355517500.000001',
        edited: { user: 'U2147483697', ts: '1355517523.000005' },
      },
      previous_message: { type: 'message', user: 'U2147483697', text: 'Hello hello can you hear me?', ts: '1355517500.000001' },
    });
    const [edit, ...rest] = events(changed);
    expect(rest).toHaveLength(0);
    expect(edit).toMatchObject({
      type: 'edit',
      messageId: '1355517500.000001',
      timestamp: 1_355_517_523_000,
      parts: [{ kind: 'text', text: 'Hello, can you hear me?' }],
      ref: { chatId: 'D024BE91L', userId: 'U2147483697' },
    });
    const unfurl = { ...changed, event: { ...changed.event, previous_message: { ...changed.event.message } } };
    expect(events(unfurl)).toEqual([]);
  });

  it('message_deleted in a DM is a system event; bot edits are ignored', () => {
    const deleted = withEvent({
      subtype: 'message_deleted',
      hidden: true,
      user: undefined,
      deleted_ts: '1355517500.000001',
      previous_message: { user: 'U2147483697', text: 'oops', ts: '1355517500.000001' },
    });
    expect(events(deleted)).toMatchObject([{ type: 'system', name: 'slack.message_deleted', detail: '1355517500.000001', ref: { chatId: 'D024BE91L' } }]);
    const botEdit = withEvent({ subtype: 'message_changed', message: { text: 'b', ts: '1.2', bot_id: 'B1', user: 'UBOT' }, previous_message: { text: 'a' } });
    expect(events(botEdit)).toEqual([]);
  });
});

describe('Slack other events and bad input', () => {
  it('shared files become platform media parts next to the text', () => {
    const im = fixtureJson<Json>('event_message_im.json');
    const withFile = {
      ...im,
      event: {
        ...im.event,
        subtype: 'file_share',
        text: 'my parcel',
        files: [
          { id: 'F123', name: 'box.jpg', mimetype: 'image/jpeg' },
          { id: 'F124', name: 'invoice.pdf', mimetype: 'application/pdf' },
        ],
      },
    };
    expect(events(withFile)[0]).toMatchObject({
      parts: [
        { kind: 'text', text: 'my parcel' },
        { kind: 'image', url: 'platform:F123', name: 'box.jpg', mimeType: 'image/jpeg' },
        { kind: 'file', url: 'platform:F124', name: 'invoice.pdf' },
      ],
    });
  });

  it('decodes Slack entities and links in shopper text', () => {
    const im = fixtureJson<Json>('event_message_im.json');
    const [event] = events({ ...im, event: { ...im.event, text: 'A &amp; B &lt;3 <https://shop.example/o/1|my order>' } });
    expect(event).toMatchObject({ parts: [{ kind: 'text', text: 'A & B <3 my order (https://shop.example/o/1)' }] });
  });

  it('a reaction in a DM is a reaction event; in a channel nothing', () => {
    const recorded = fixtureJson<Json>('vercel_actions_reactions.json');
    expect(events(recorded.reaction)).toEqual([]);
    const inDm = { ...recorded.reaction, event: { ...recorded.reaction.event, item: { type: 'message', channel: 'D0A5319PS02', ts: '1767326126.896109' } } };
    expect(events(inDm)).toMatchObject([
      { type: 'reaction', messageId: '1767326126.896109', emoji: ':+1:', ref: { chatId: 'D0A5319PS02', userId: 'U03STHCA1JM' } },
    ]);
  });

  it('unknown event types become system events; unknown envelopes nothing', () => {
    const body = {
      type: 'event_callback',
      team_id: 'T1',
      event_id: 'Ev9',
      event_time: 1_700_000_000,
      event: { type: 'app_home_opened', user: 'U1', channel: 'D1', tab: 'home' },
    };
    expect(events(body)).toMatchObject([{ type: 'system', name: 'slack.app_home_opened', eventId: 'Ev9', ref: { chatId: 'D1', userId: 'U1' } }]);
    expect(events({ type: 'something_new' })).toEqual([]);
  });

  it('app_rate_limited is recorded once per minute', () => {
    const body = { token: 't', type: 'app_rate_limited', team_id: 'T123ADS', minute_rate_limited: 1518467820, api_app_id: 'A123' };
    expect(events(body)).toMatchObject([{ type: 'system', name: 'slack.app_rate_limited', eventId: 'app_rate_limited:T123ADS:1518467820' }]);
  });

  it('a verified body that is not Slack JSON throws BAD_PAYLOAD; odd event content does not', () => {
    for (const body of ['not json', '[1,2]', '{"no":"type"}', '{"type":"event_callback"}', '{"type":"url_verification"}']) {
      expect(() => normalize(signedRequest(body)), body).toThrow(expect.objectContaining({ code: 'BAD_PAYLOAD' }));
    }
    const odd = { type: 'event_callback', event_id: 'Ev1', event: { type: 'message', channel: 42, user: ['x'], text: { a: 1 } } };
    expect(events(odd)).toEqual([]);
    try {
      normalize(signedRequest('not json'));
    } catch (err) {
      expect(isParleyError(err, 'BAD_PAYLOAD')).toBe(true);
    }
  });
});

describe('Slack interactivity (form-encoded payload=)', () => {
  const recorded = fixtureJson<Json>('vercel_channel_block_actions.json');

  it('a recorded button press in a channel thread is a postback with the trigger_id as event id, acked with an empty 200', () => {
    const result = normalize(signedInteraction(recorded.channel_post_action));
    expect(result.ack).toEqual({ status: 200 });
    expect(result.events).toMatchObject([
      {
        type: 'postback',
        eventId: '10518733222661.3901254001572.936ae4d48e9645d620cee6cdf8af6692',
        payload: 'channel-post',
        label: 'Channel Post',
        timestamp: 1_771_287_154_086,
        ref: { chatId: 'C0A511MBCUW', userId: 'U03STHCA1JM', threadId: '1771287144.743569', extra: { team: 'T03SH7G01GU', userTeam: 'T03SH7G01GU' } },
      },
    ]);
  });

  it('a press on a Parley button gives its value as payload; the conversation is the same as the mention', () => {
    const press = {
      ...recorded.channel_post_action,
      actions: [
        {
          type: 'button',
          action_id: 'parley_choice_2',
          block_id: 'b',
          value: 'size.l',
          text: { type: 'plain_text', text: 'Large', emoji: true },
          action_ts: '1771287154.085947',
        },
      ],
    };
    const [postback] = normalize(signedInteraction(press)).events;
    const [mention] = events(recorded.mention);
    expect(postback).toMatchObject({ type: 'postback', payload: 'size.l', label: 'Large' });
    expect(postback?.ref.threadId).toBe(mention?.ref.threadId);
    expect(postback?.ref.chatId).toBe(mention?.ref.chatId);
  });

  it('a static_select pick is a postback with the option value; link buttons send nothing', () => {
    const actions = fixtureJson<Json>('vercel_actions_reactions.json');
    expect(normalize(signedInteraction(actions.staticSelectAction)).events).toMatchObject([
      { type: 'postback', payload: 'greet', label: 'Say Hello', eventId: '10215325802133.3901254001572.staticselect123' },
    ]);
    const link = {
      ...actions.action,
      actions: [{ type: 'button', action_id: 'parley_link_1', url: 'https://shop.example/', text: { type: 'plain_text', text: 'Open' }, action_ts: '1.2' }],
    };
    expect(normalize(signedInteraction(link)).events).toEqual([]);
  });

  it('a press in a DM keeps the DM conversation (no thread unless the message is in one)', () => {
    const inDm = {
      ...recorded.channel_post_action,
      channel: { id: 'D0A5319PS02', name: 'directmessage' },
      container: { type: 'message', message_ts: '1.1', channel_id: 'D0A5319PS02' },
      message: { ts: '1.1', bot_id: 'B1' },
    };
    const [postback] = normalize(signedInteraction(inDm)).events;
    expect(postback?.ref).toMatchObject({ chatId: 'D0A5319PS02', userId: 'U03STHCA1JM' });
    expect(postback?.ref.threadId).toBeUndefined();
  });

  it('several actions in one payload get distinct ids; modal submissions give nothing', () => {
    const two = {
      ...recorded.channel_post_action,
      actions: [
        { type: 'button', value: 'a', action_id: 'x1', action_ts: '1.1' },
        { type: 'button', value: 'b', action_id: 'x2', action_ts: '1.2' },
      ],
    };
    const ids = normalize(signedInteraction(two)).events.map((e) => e.eventId);
    expect(new Set(ids).size).toBe(2);
    expect(normalize(signedInteraction({ type: 'view_submission', user: { id: 'U1' }, view: {} }))).toEqual({ ack: { status: 200 }, events: [] });
  });

  it('the official signature example (a slash command) verifies and is recorded as a system event', () => {
    const vector = fixtureJson<Json>('signature_official_example.json');
    const req = signedRequest(vector.raw_body, { contentType: 'application/x-www-form-urlencoded' });
    expect(normalize(req).events).toMatchObject([
      { type: 'system', name: 'slack.slash_command', detail: '/webhook-collect', ref: { chatId: 'G8PSS9T3V', userId: 'U2CERLKJA' } },
    ]);
  });

  it('a form body with broken JSON or no payload throws BAD_PAYLOAD', () => {
    const form = { contentType: 'application/x-www-form-urlencoded' };
    expect(() => normalize(signedRequest('payload=%7Bnot', form))).toThrow(expect.objectContaining({ code: 'BAD_PAYLOAD' }));
    expect(() => normalize(signedRequest('hello=1', form))).toThrow(expect.objectContaining({ code: 'BAD_PAYLOAD' }));
  });

  it('fixture bytes are exactly what verify checked', () => {
    expect(normalize(signedRequest(fixture('event_message_im.json'))).events).toHaveLength(1);
  });
});
