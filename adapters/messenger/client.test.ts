import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelope, failure } from '../../test/support/adapter-context.js';
import {
  fakeContext,
  fixtureJson,
  IG_TOKEN,
  IG_USER_ID,
  instagramConfig,
  messengerConfig,
  PAGE_ID,
  PAGE_TOKEN,
  sendApiServer,
} from '../../test/support/meta.js';
import { createInstagramAdapter, createMessengerAdapter } from './adapter.js';

const PSID = '6543210987654321';
let api: Awaited<ReturnType<typeof sendApiServer>>;
beforeAll(async () => {
  api = await sendApiServer();
});
afterAll(() => api.close());

const fbRef = { channelId: 'fb', chatId: PSID, userId: PSID, extra: { pageId: PAGE_ID } };

const DAY = 24 * 60 * 60 * 1000;

describe('Send API client', () => {
  it('Messenger: POST /v21.0/{page-id}/messages with the Page token, recipient and RESPONSE; returns the mid', async () => {
    const fb = createMessengerAdapter(messengerConfig(api.url), fakeContext().ctx);
    const payloads = fb.render({ parts: [{ kind: 'text', text: 'Bonjour !' }] }, fbRef);
    const receipt = await fb.deliver(fbRef, payloads, envelope());
    expect(receipt.platformMessageIds).toEqual([expect.stringMatching(/^m_test_/)]);
    const [sent] = api.sends().slice(-1);
    expect(sent?.path).toBe(`/v21.0/${PAGE_ID}/messages`);
    expect(sent?.headers.authorization).toBe(`Bearer ${PAGE_TOKEN}`);
    expect(sent?.payload).toEqual({ recipient: { id: PSID }, messaging_type: 'RESPONSE', message: { text: 'Bonjour !' } });
  });

  it('Instagram: POST /v21.0/{ig-user-id}/messages with the Instagram token (graph.instagram.com by default)', async () => {
    const ig = createInstagramAdapter(instagramConfig(api.url), fakeContext('ig').ctx);
    const ref = { channelId: 'ig', chatId: '1234567890123456', userId: '1234567890123456' };
    await ig.deliver(ref, ig.render({ parts: [{ kind: 'text', text: 'Hi' }] }, ref), envelope());
    const [sent] = api.sends().slice(-1);
    expect(sent?.path).toBe(`/v21.0/${IG_USER_ID}/messages`);
    expect(sent?.headers.authorization).toBe(`Bearer ${IG_TOKEN}`);
  });

  it('outside the window: an agent reply goes with MESSAGE_TAG HUMAN_AGENT for 7 days; a bot message is refused without a call', async () => {
    const fb = createMessengerAdapter(messengerConfig(api.url), fakeContext().ctx);
    const now = 30 * DAY;
    const agent = { role: 'agent' as const, now, lastInboundAt: now - 2 * DAY };
    const text = { parts: [{ kind: 'text' as const, text: 'Ana here' }] };
    const tagged = fb.outsideWindow?.(text, fbRef, agent) ?? [];
    await fb.deliver(fbRef, tagged, envelope({ role: 'agent' }));
    expect(api.sends().slice(-1)[0]?.payload).toMatchObject({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
    const before = api.sends().length;
    const err = await failure(fb.deliver(fbRef, tagged, envelope({ role: 'bot' })));
    expect(err).toMatchObject({ reason: 'invalid' });
    expect(err.message).toMatch(/24-hour messaging window is closed/);
    expect(api.sends().length).toBe(before);
    // The bot's answers, a person's reply 7 days on, and care's messages have nothing to go as.
    expect(fb.outsideWindow?.(text, fbRef, { ...agent, role: 'bot' })).toBeUndefined();
    expect(fb.outsideWindow?.(text, fbRef, { ...agent, lastInboundAt: now - 8 * DAY })).toBeUndefined();
    expect(fb.outsideWindow?.({ parts: [{ kind: 'text', text: 'Shipped' }], template: { key: 'order_shipped', params: [] } }, fbRef, agent)).toBeUndefined();
  });

  it.each([
    ['send_error_551.json', 400, 'blocked', /551/],
    ['send_error_outside_window.json', 400, 'invalid', /10\/2018278.*window/],
    ['send_error_190.json', 401, 'auth', /FB_PAGE_TOKEN/],
    ['send_error_613.json', 400, 'rate_limited', /613/],
    ['send_error_100.json', 400, 'invalid', /100/],
    ['send_error_2.json', 500, 'transient', /Graph error 2\b/],
  ])('%s (HTTP %i) → %s', async (file, status, reason, message) => {
    const fb = createMessengerAdapter(messengerConfig(api.url), fakeContext().ctx);
    api.answers.push({ status, json: fixtureJson(file) });
    const err = await failure(fb.deliver(fbRef, fb.render({ parts: [{ kind: 'text', text: 'x' }] }, fbRef), envelope()));
    expect(err).toMatchObject({ reason });
    expect(err.message).toMatch(message);
  });

  it('a wrong token is refused by the server (190) as auth; a retry skips parts already sent', async () => {
    const fb = createMessengerAdapter(messengerConfig(api.url, { pageAccessToken: 'wrong' }), fakeContext().ctx);
    expect(await failure(fb.deliver(fbRef, fb.render({ parts: [{ kind: 'text', text: 'x' }] }, fbRef), envelope()))).toMatchObject({ reason: 'auth' });
    const { ctx } = fakeContext();
    const good = createMessengerAdapter(messengerConfig(api.url), ctx);
    const two = good.render({ parts: [{ kind: 'image', url: 'https://shop.example/a.jpg', caption: 'Parcel' }] }, fbRef);
    api.answers.push({ json: fixtureJson('send_response_ok.json') }, { status: 500, json: fixtureJson('send_error_2.json') });
    await failure(good.deliver(fbRef, two, envelope({ idempotencyKey: 'k2' })));
    const before = api.sends().length;
    const receipt = await good.deliver(fbRef, two, envelope({ idempotencyKey: 'k2', attempt: 2 }));
    expect(api.sends().length).toBe(before + 1);
    expect(receipt.platformMessageIds[0]).toBe(fixtureJson<{ message_id: string }>('send_response_ok.json').message_id);
  });
});
