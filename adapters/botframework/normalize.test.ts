import { describe, expect, it } from 'vitest';
import { isParleyError } from '../../src/core/errors.js';
import type { InboundEvent, MessageEvent } from '../../src/core/message.js';
import { normalizeActivity } from './normalize.js';
import { activityFixtures } from '../../test/support/botframework.js';

const now = () => 1_700_000_000_000;
const normalize = (activity: unknown) => normalizeActivity(Buffer.from(typeof activity === 'string' ? activity : JSON.stringify(activity)), 'bf-test', now);
const only = (activity: unknown): InboundEvent => {
  const { ack, events } = normalize(activity);
  expect(ack.status).toBe(200);
  expect(events).toHaveLength(1);
  return events[0] as InboundEvent;
};
const fx = activityFixtures();

describe('message fixtures', () => {
  it('Teams personal message: text, ids, locale and country hints, the full conversation reference', () => {
    const event = only(fx.teamsPersonal) as MessageEvent;
    expect(event).toMatchObject({
      type: 'message',
      channelId: 'bf-test',
      eventId: '1485983408511',
      messageId: '1485983408511',
      timestamp: Date.parse('2017-02-01T21:10:07.437Z'),
      senderName: 'Megan Bowen',
      hints: { locale: 'en-US', country: 'US' },
      parts: [{ kind: 'text', text: 'Hello Teams TestBot' }],
    });
    expect(event.ref).toEqual({
      channelId: 'bf-test',
      chatId: 'a:17I0kl9EkpE1O9PH5TWrzrLNwnWWcfrU7QZjKR0WSfOpzbfcAg2IaydGElSo10tVr4C7Fc6GtieTJX663WuJCc1uA83n4CSrHSgGBj5XNYLcVlJAs2ZX8DbYBPck201w-',
      userId: '29:1XJKJMvc5GBtc2JwZq0oj8tHZmzrQgFmB39ATiQWA85gQtHieVkKilBZ9XHoq9j7Zaqt7CZ-NJWi7me2kHTL3Bw',
      extra: {
        reference: {
          activityId: '1485983408511',
          user: {
            id: '29:1XJKJMvc5GBtc2JwZq0oj8tHZmzrQgFmB39ATiQWA85gQtHieVkKilBZ9XHoq9j7Zaqt7CZ-NJWi7me2kHTL3Bw',
            name: 'Megan Bowen',
            aadObjectId: '7faf8ab2-3d56-4244-b585-20c8a42ed2b8',
          },
          bot: { id: '28:c9e8c047-2a74-40a2-b28a-b162d5f5327c', name: 'Teams TestBot' },
          conversation: (fx.teamsPersonal as { conversation: unknown }).conversation,
          channelId: 'msteams',
          locale: 'en-US',
          serviceUrl: 'https://smba.trafficmanager.net/amer/',
        },
        aadObjectId: '7faf8ab2-3d56-4244-b585-20c8a42ed2b8',
        tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
        conversationType: 'personal',
      },
    });
    expect(event.raw).toEqual(fx.teamsPersonal);
  });

  it('Connector quickstart message: no locale, no hints', () => {
    const event = only(fx.quickstart) as MessageEvent;
    expect(event).toMatchObject({
      type: 'message',
      eventId: 'bf3cc9a2f5de...',
      ref: {
        chatId: 'abcd1234',
        userId: '1234abcd',
        extra: { reference: { serviceUrl: 'https://smba.trafficmanager.net/apis', channelId: "channel's name/id" } },
      },
      senderName: "user's name",
      parts: [{ kind: 'text', text: 'Haircut on Saturday' }],
    });
    expect(event.hints).toBeUndefined();
  });

  it('recorded Teams channel mention: the bot’s <at> mention is stripped, tenant kept', () => {
    const event = only(fx.mention) as MessageEvent;
    expect(event).toMatchObject({
      eventId: '1767377017138',
      parts: [{ kind: 'text', text: 'Hey' }],
      ref: {
        chatId: '19:d441d38c655c47a085215b2726e76927@thread.tacv2;messageid=1767377017138',
        extra: { tenantId: 'a1b2c3d4-e5f6-7890-abcd-ef1234567890', conversationType: 'channel', aadObjectId: '00000000-1111-2222-3333-444444444444' },
      },
    });
  });

  it('recorded Teams DM: personal conversation id and message text', () => {
    expect(only(fx.dmMessage)).toMatchObject({
      type: 'message',
      eventId: '1767378504354',
      parts: [{ kind: 'text', text: 'Hey' }],
      ref: { chatId: expect.stringMatching(/^a:17Ndit/), userId: expect.stringMatching(/^29:1xXx/), extra: { conversationType: 'personal' } },
    });
    expect(only(fx.dmRequest)).toMatchObject({ parts: [{ kind: 'text', text: 'dm me' }] });
  });
});

const teams = fx.teamsPersonal as Record<string, unknown>;

describe('attachments and buttons', () => {
  it('maps images, Teams file downloads and other files to parts; skips the text/html mirror', () => {
    const event = only({
      ...teams,
      text: 'see',
      attachments: [
        { contentType: 'image/png', contentUrl: 'https://smba.example/img/1', name: 'a.png' },
        { contentType: 'text/html', content: '<p>see</p>' },
        {
          contentType: 'application/vnd.microsoft.teams.file.download.info',
          name: 'invoice.pdf',
          content: { downloadUrl: 'https://files.example/d', fileType: 'pdf' },
        },
        { contentType: 'application/pdf', contentUrl: 'https://x.example/b.pdf' },
        { contentType: 'video/mp4', contentUrl: 'https://x.example/v.mp4' },
      ],
    }) as MessageEvent;
    expect(event.parts).toEqual([
      { kind: 'text', text: 'see' },
      { kind: 'image', url: 'https://smba.example/img/1', mimeType: 'image/png', name: 'a.png' },
      { kind: 'file', url: 'https://files.example/d', name: 'invoice.pdf' },
      { kind: 'file', url: 'https://x.example/b.pdf', mimeType: 'application/pdf' },
      { kind: 'video', url: 'https://x.example/v.mp4', mimeType: 'video/mp4' },
    ]);
  });

  it('a messageBack button (value.payload) is a postback with the label', () => {
    expect(only({ ...teams, text: 'Large', value: { payload: 'size.l' } })).toMatchObject({
      type: 'postback',
      payload: 'size.l',
      label: 'Large',
      eventId: '1485983408511',
    });
  });

  it('a postBack string value and an Adaptive Card submit are postbacks', () => {
    expect(only({ ...teams, text: 'buy.bed', value: 'buy.bed' })).toMatchObject({ type: 'postback', payload: 'buy.bed' });
    expect(only({ ...teams, text: undefined, value: { size: 'L', qty: 2 } })).toMatchObject({ type: 'postback', payload: '{"size":"L","qty":2}' });
  });

  it('an empty message becomes a system event', () => {
    expect(only({ ...teams, text: '' })).toMatchObject({ type: 'system', name: 'empty_message' });
  });
});

describe('other activities', () => {
  const convo = {
    serviceUrl: 'https://smba.example/',
    channelId: 'msteams',
    recipient: { id: '28:bot' },
    from: { id: '29:user', name: 'U' },
    timestamp: '2024-01-01T00:00:00Z',
  };

  it('members added: one follow per person, the bot itself skipped', () => {
    const { events } = normalize({
      ...convo,
      type: 'conversationUpdate',
      id: 'cu-1',
      conversation: { id: 'c1' },
      membersAdded: [{ id: '28:bot' }, { id: '29:a' }, { id: '29:b' }],
    });
    expect(events.map((e) => [e.type, e.eventId, e.ref.userId, e.type === 'membership' && e.change])).toEqual([
      ['membership', 'cu-1:added:29:a', '29:a', 'follow'],
      ['membership', 'cu-1:added:29:b', '29:b', 'follow'],
    ]);
    expect(events[0]?.ref.extra?.reference).toMatchObject({ user: { id: '29:a' }, bot: { id: '28:bot' }, serviceUrl: 'https://smba.example/' });
  });

  it('Teams personal install (only the bot added) is the user’s follow; removal an unfollow', () => {
    const personal = { id: 'c2', conversationType: 'personal' };
    expect(only({ ...convo, type: 'conversationUpdate', id: 'cu-2', conversation: personal, membersAdded: [{ id: '28:bot' }] })).toMatchObject({
      type: 'membership',
      change: 'follow',
      ref: { userId: '29:user' },
    });
    expect(only({ ...convo, type: 'conversationUpdate', id: 'cu-3', conversation: personal, membersRemoved: [{ id: '28:bot' }] })).toMatchObject({
      type: 'membership',
      change: 'unfollow',
    });
  });

  it('a conversationUpdate with no member change (rename) is a system event', () => {
    expect(only({ ...convo, type: 'conversationUpdate', id: 'cu-4', conversation: { id: 'c3' } })).toMatchObject({
      type: 'system',
      name: 'conversationUpdate',
    });
  });

  it('reactions added and removed', () => {
    const { events } = normalize({
      ...convo,
      type: 'messageReaction',
      id: 'r-1',
      replyToId: 'msg-9',
      conversation: { id: 'c1' },
      reactionsAdded: [{ type: 'like' }],
      reactionsRemoved: [{ type: 'heart' }],
    });
    expect(events).toMatchObject([
      { type: 'reaction', eventId: 'r-1:add:like', messageId: 'msg-9', emoji: '👍' },
      { type: 'reaction', eventId: 'r-1:remove:heart', messageId: 'msg-9', emoji: '' },
    ]);
  });

  it('a Teams edit is an edit event with its own event id', () => {
    expect(only({ ...convo, type: 'messageUpdate', id: 'msg-9', text: 'fixed', conversation: { id: 'c1' } })).toMatchObject({
      type: 'edit',
      messageId: 'msg-9',
      eventId: 'msg-9:edit:2024-01-01T00:00:00Z',
      parts: [{ kind: 'text', text: 'fixed' }],
    });
  });

  it('invoke and typing produce no events but a 200', () => {
    expect(normalize({ ...convo, type: 'invoke', name: 'adaptiveCard/action', conversation: { id: 'c1' } })).toEqual({ ack: { status: 200 }, events: [] });
    expect(normalize({ ...convo, type: 'typing', conversation: { id: 'c1' } }).events).toEqual([]);
  });

  it('unknown types are system events; without an id the event id is conversation + timestamp', () => {
    expect(only({ ...convo, type: 'endOfConversation', conversation: { id: 'c1' } })).toMatchObject({
      type: 'system',
      name: 'endOfConversation',
      eventId: 'c1:2024-01-01T00:00:00Z',
    });
  });

  it('without id and timestamp the event id is a stable hash of the body', () => {
    const body = { type: 'event', name: 'x', conversation: { id: 'c1' }, from: { id: 'u' } };
    const a = only(body);
    expect(a.eventId).toMatch(/^c1:[0-9a-f]{24}$/);
    expect(only(body).eventId).toBe(a.eventId);
    expect(a.timestamp).toBe(now());
  });
});

describe('bad payloads', () => {
  it.each([
    ['not JSON', '{"type":'],
    ['an array', '[]'],
    ['no type', { conversation: { id: 'c' } }],
    ['no conversation', { type: 'message', text: 'hi' }],
    ['null', 'null'],
  ])('%s throws BAD_PAYLOAD', (_name, body) => {
    expect.assertions(1);
    try {
      normalize(body);
    } catch (err) {
      expect(isParleyError(err, 'BAD_PAYLOAD')).toBe(true);
    }
  });

  it('odd but valid shapes never crash', () => {
    expect(
      only({ type: 'message', conversation: { id: 'c' }, attachments: [null, 5, { contentType: 'image/png' }], entities: [null], text: 'x' }),
    ).toMatchObject({
      type: 'message',
      ref: { userId: 'c' },
      parts: [{ kind: 'text', text: 'x' }],
    });
    expect(normalize({ type: 'messageReaction', conversation: { id: 'c' }, reactionsAdded: [{}, null] }).events).toEqual([]);
    expect(only({ type: 'message', conversation: { id: 'c' }, from: 'x', text: 5, entities: 'abc', attachments: {} })).toMatchObject({
      type: 'system',
      name: 'empty_message',
    });
    expect(only({ type: 'conversationUpdate', conversation: { id: 'c' }, membersAdded: 'all' })).toMatchObject({ type: 'system' });
  });
});
