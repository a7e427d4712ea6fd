import { describe, expect, it } from 'vitest';
import { ParleyError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/ports.js';
import { fixtureBytes, IG_USER_ID, PAGE_ID } from '../../test/support/meta.js';
import { normalizeWebhook } from './normalize.js';

const fb = (name: string) => normalizeWebhook(fixtureBytes(name), { channelId: 'fb', log: silentLogger, object: 'page' });
const ig = (name: string) => normalizeWebhook(fixtureBytes(name), { channelId: 'ig', log: silentLogger, object: 'instagram' });
const PSID = '6543210987654321';
const IGSID = '1234567890123456';

describe('Messenger webhooks (object: page)', () => {
  it('a text message: event id = mid, the PSID as chat and user, the Page in the ref, ms timestamp', () => {
    const { ack, events } = fb('messenger_text.json');
    expect(ack.status).toBe(200);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'message',
        eventId: 'm_1457764197618:41d102a3e1ae206a38',
        messageId: 'm_1457764197618:41d102a3e1ae206a38',
        ref: { channelId: 'fb', chatId: PSID, userId: PSID, extra: { pageId: PAGE_ID } },
        timestamp: 1458692752478,
        parts: [{ kind: 'text', text: 'hello, world!' }],
      }),
    ]);
  });

  it('a quick reply is a button press with its payload; a reply keeps what it answers', () => {
    expect(fb('messenger_quick_reply.json').events[0]).toMatchObject({ type: 'postback', payload: '<DEVELOPER_DEFINED_PAYLOAD>', label: 'hello, world!' });
    expect(fb('messenger_reply_to.json').events[0]).toMatchObject({ type: 'message', replyTo: 'm_1fTq8oLumEyIp3Q2MR-aY7IfLZDamVrALniheU' });
  });

  it('a postback button press carries payload, title and mid', () => {
    expect(fb('messenger_postback.json').events).toEqual([
      expect.objectContaining({ type: 'postback', payload: 'handoff.request', label: 'Talk to a person', eventId: expect.stringMatching(/^m_AG5H/) }),
    ]);
  });

  it('an image attachment becomes an image part with its URL (fetching is not done here)', () => {
    expect(fb('messenger_attachment_image.json').events[0]).toMatchObject({
      type: 'message',
      parts: [{ kind: 'image', url: 'https://scontent.xx.fbcdn.net/v/t1.15752-9/attachment.jpg' }],
    });
  });

  it('delivery receipts name each mid; a read watermark names none and stores nothing; echoes are skipped', () => {
    expect(fb('messenger_delivery.json').events).toEqual([
      expect.objectContaining({
        type: 'delivery',
        status: 'delivered',
        messageId: 'mid.1458668856218:ed81099e15d3f4f233',
        eventId: 'mid.1458668856218:ed81099e15d3f4f233:delivered',
      }),
    ]);
    expect(fb('messenger_read.json')).toEqual({ ack: { status: 200 }, events: [] });
    expect(fb('messenger_echo.json')).toEqual({ ack: { status: 200 }, events: [] });
  });

  it('a reaction names the reacted message and the emoji', () => {
    expect(fb('messenger_reaction.json').events[0]).toMatchObject({ type: 'reaction', messageId: 'm_1457764197618:41d102a3e1ae206a38', emoji: '\u2764\ufe0f' });
  });

  it('not JSON is a 400 (Meta retries); another object or unknown events are acknowledged with nothing stored', () => {
    expect(() => normalizeWebhook(Buffer.from('{"object":'), { channelId: 'fb', log: silentLogger, object: 'page' })).toThrow(ParleyError);
    expect(ig('messenger_text.json').events).toEqual([]);
    const optin = JSON.stringify({ object: 'page', entry: [{ id: PAGE_ID, messaging: [{ sender: { id: PSID }, optin: { ref: 'x' } }, 'odd', null] }] });
    expect(normalizeWebhook(Buffer.from(optin), { channelId: 'fb', log: silentLogger, object: 'page' })).toEqual({ ack: { status: 200 }, events: [] });
  });
});

describe('Instagram webhooks (object: instagram)', () => {
  it('a text message, with the IGSID and the account in the ref', () => {
    expect(ig('instagram_text.json').events[0]).toMatchObject({
      type: 'message',
      ref: { channelId: 'ig', chatId: IGSID, userId: IGSID, extra: { igUserId: IG_USER_ID } },
      parts: [{ kind: 'text', text: 'Combien de temps prend la livraison en Allemagne ?' }],
    });
  });

  it('a story mention is kept for agents like a reaction: 📣 and the story link, never a question for the bot', () => {
    const [event] = ig('instagram_story_mention.json').events;
    expect(event).toMatchObject({ type: 'reaction', emoji: '📣 https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=17911111111111111&signature=def' });
    expect(event?.eventId).toMatch(/^aWdf/);
  });

  it('a story reply is the shopper text, with the story as a link part and replyTo the story id', () => {
    const [event] = ig('instagram_story_reply.json').events;
    expect(event).toMatchObject({
      type: 'message',
      replyTo: '17922222222222222',
      parts: [
        { kind: 'text', text: 'Je veux ce collier !' },
        { kind: 'file', url: 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=17922222222222222&signature=ghi', name: 'Instagram story' },
      ],
    });
  });

  it('seen is a read receipt for that mid; react and unreact are reactions with stable, distinct ids', () => {
    const [seen] = ig('instagram_seen.json').events;
    expect(seen).toMatchObject({ type: 'delivery', status: 'read', eventId: expect.stringMatching(/:read$/) });
    const [react] = ig('instagram_reaction.json').events;
    const [unreact] = ig('instagram_unreact.json').events;
    expect(react).toMatchObject({ type: 'reaction', emoji: '\u2764\ufe0f' });
    expect(unreact).toMatchObject({ type: 'reaction', emoji: '' });
    expect(react?.eventId).not.toBe(unreact?.eventId);
  });

  it('postbacks, images and echoes', () => {
    expect(ig('instagram_postback.json').events[0]).toMatchObject({ type: 'postback', payload: 'order.track', label: 'Track my order' });
    expect(ig('instagram_image.json').events[0]).toMatchObject({ type: 'message', parts: [{ kind: 'image' }] });
    expect(ig('instagram_echo.json').events).toEqual([]);
  });
});
