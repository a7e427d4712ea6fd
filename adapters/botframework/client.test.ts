import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationRef } from '../../src/core/message.js';
import { createBotframeworkAdapter } from './adapter.js';
import { normalizeActivity } from './normalize.js';
import { activityFixtures, appId, appPassword, envelope, fakeContext, localBotFramework, TEAMS_PNG, testConfig } from '../../test/support/botframework.js';
import { failure } from '../../test/support/adapter-context.js';

let bf: Awaited<ReturnType<typeof localBotFramework>>;
beforeAll(async () => {
  bf = await localBotFramework();
});
afterAll(() => bf.close());
afterEach(() => {
  bf.requests.length = 0;
  bf.answers.length = 0;
  bf.tokenAnswers.length = 0;
  bf.state.tokensIssued = 0;
});

/** A ref as normalize stores it, for a Teams personal chat whose serviceUrl is the local Connector. */
function teamsRef(serviceUrl = `${bf.url}/amer/`): ConversationRef {
  const activity = { ...activityFixtures().teamsPersonal, serviceUrl };
  const [event] = normalizeActivity(Buffer.from(JSON.stringify(activity)), 'bf-test', () => 0).events;
  if (!event) throw new Error('fixture gave no event');
  return event.ref;
}

function setup(extra: Record<string, unknown> = {}) {
  const { ctx, clock, state } = fakeContext();
  return { adapter: createBotframeworkAdapter(testConfig(bf.url, extra), ctx), clock, state };
}

describe('deliver', () => {
  it('gets a token by client credentials, then POSTs the addressed activity to {serviceUrl}/v3/conversations/{id}/activities', async () => {
    const { adapter } = setup();
    const ref = teamsRef();
    const receipt = await adapter.deliver(ref, [{ type: 'message', text: 'Hello **there**', textFormat: 'markdown' }], envelope());

    const [tokenCall, send] = bf.requests;
    expect(tokenCall?.method).toBe('POST');
    expect(tokenCall?.path).toBe('/token');
    expect(tokenCall?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(tokenCall?.text))).toEqual({
      grant_type: 'client_credentials',
      client_id: appId,
      client_secret: appPassword,
      scope: 'https://api.botframework.com/.default',
    });

    const conversationId = ref.chatId;
    expect(send?.method).toBe('POST');
    expect(send?.path).toBe(`/amer/v3/conversations/${encodeURIComponent(conversationId)}/activities`);
    expect(send?.headers.authorization).toBe('Bearer bot-token-1');
    expect(send?.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(send?.body).toEqual({
      type: 'message',
      text: 'Hello **there**',
      textFormat: 'markdown',
      channelId: 'msteams',
      locale: 'en-US',
      serviceUrl: `${bf.url}/amer/`,
      conversation: { conversationType: 'personal', id: conversationId },
      from: { id: '28:c9e8c047-2a74-40a2-b28a-b162d5f5327c', name: 'Teams TestBot' },
      recipient: { id: ref.userId, name: 'Megan Bowen', aadObjectId: '7faf8ab2-3d56-4244-b585-20c8a42ed2b8' },
    });
    expect(receipt).toEqual({ platformMessageIds: ['act-2'] });
  });

  it('fetches the token once and reuses it until shortly before it expires', async () => {
    const { adapter, clock } = setup();
    const ref = teamsRef();
    await adapter.deliver(
      ref,
      [
        { type: 'message', text: 'one' },
        { type: 'message', text: 'two' },
      ],
      envelope(),
    );
    await adapter.sendTyping(ref);
    expect(bf.requests.filter((r) => r.path === '/token')).toHaveLength(1);
    expect(bf.connectorCalls().map((r) => r.headers.authorization)).toEqual(['Bearer bot-token-1', 'Bearer bot-token-1', 'Bearer bot-token-1']);
    expect(bf.connectorCalls()[2]?.body).toMatchObject({ type: 'typing' });

    clock.t += 56 * 60_000; // 3600 s token, renewed 5 min early
    await adapter.deliver(ref, [{ type: 'message', text: 'three' }], envelope());
    expect(bf.requests.filter((r) => r.path === '/token')).toHaveLength(2);
    expect(bf.connectorCalls().at(-1)?.headers.authorization).toBe('Bearer bot-token-2');
  });

  it('a reply goes to /activities/{replyToId}', async () => {
    const { adapter } = setup();
    const ref = teamsRef();
    await adapter.deliver(ref, [{ type: 'message', text: 'ok', replyToId: 'act;7' }], envelope());
    expect(bf.connectorCalls()[0]?.path).toMatch(/\/activities\/act%3B7$/);
    expect(bf.connectorCalls()[0]?.body).toMatchObject({ replyToId: 'act;7' });
  });

  it('anonymous mode sends without a bearer and asks for no token', async () => {
    const { adapter } = setup({ appId: undefined, appPassword: undefined, allowAnonymous: true });
    await adapter.deliver(teamsRef(), [{ type: 'message', text: 'hi' }], envelope());
    expect(bf.requests.map((r) => r.path)).not.toContain('/token');
    expect(bf.connectorCalls()[0]?.headers.authorization).toBeUndefined();
  });

  it('429 with Retry-After is retryable with retryAfterMs', async () => {
    const { adapter } = setup();
    bf.answers.push({ status: 429, headers: { 'retry-after': '7' }, body: { error: { code: 'TooManyRequests' } } });
    const err = await failure(adapter.deliver(teamsRef(), [{ type: 'message', text: 'x' }], envelope()));
    expect(err).toMatchObject({ code: 'DELIVERY_FAILED', reason: 'rate_limited', retryable: true, retryAfterMs: 7000 });
  });

  it.each([500, 502, 503])('%i is retryable', async (status) => {
    const { adapter } = setup();
    bf.answers.push({ status, body: { error: { code: 'ServiceError' } } });
    expect(await failure(adapter.deliver(teamsRef(), [{ type: 'message', text: 'x' }], envelope()))).toMatchObject({ retryable: true });
  });

  it('400 is not retryable', async () => {
    const { adapter } = setup();
    bf.answers.push({ status: 400, body: { error: { code: 'BadArgument', message: 'Unknown activity type' } } });
    expect(await failure(adapter.deliver(teamsRef(), [{ type: 'message', text: 'x' }], envelope()))).toMatchObject({
      retryable: false,
      details: { status: 400 },
    });
  });

  it('401 from the Connector is not retryable, names the env vars, and drops the cached token', async () => {
    const { adapter, state } = setup();
    const ref = teamsRef();
    bf.answers.push({ status: 401, body: { message: 'Authorization has been denied for this request.' } });
    const err = await failure(adapter.deliver(ref, [{ type: 'message', text: 'x' }], envelope()));
    expect(err).toMatchObject({ reason: 'auth', retryable: false });
    expect(err.message).toContain('MICROSOFT_APP_ID');
    expect(err.message).toContain('MICROSOFT_APP_PASSWORD');
    expect(await state.get('botframework:token:bf-test')).toBeUndefined();
    await adapter.deliver(ref, [{ type: 'message', text: 'y' }], envelope({ attempt: 2 }));
    expect(bf.requests.filter((r) => r.path === '/token')).toHaveLength(2);
  });

  it('a wrong app password (400 invalid_client from the token endpoint) is not retryable and names the env vars', async () => {
    const { adapter } = setup();
    bf.tokenAnswers.push({ status: 400, body: { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' } });
    const err = await failure(adapter.deliver(teamsRef(), [{ type: 'message', text: 'x' }], envelope()));
    expect(err).toMatchObject({ code: 'DELIVERY_FAILED', reason: 'auth', retryable: false });
    expect(err.message).toContain('MICROSOFT_APP_PASSWORD');
    expect(bf.connectorCalls()).toHaveLength(0);
  });

  it('a user who blocked the bot in Teams (403 ConversationBlockedByUser) is blocked, not a credentials problem', async () => {
    const { adapter, state } = setup();
    const ref = teamsRef();
    bf.answers.push({ status: 403, body: { error: { code: 'ConversationBlockedByUser', message: 'User blocked the conversation with the bot.' } } });
    const err = await failure(adapter.deliver(ref, [{ type: 'message', text: 'x' }], envelope()));
    expect(err).toMatchObject({ reason: 'blocked', retryable: false });
    expect(err.message).not.toContain('MICROSOFT_APP_PASSWORD');
    expect(await state.get('botframework:token:bf-test')).toBeDefined();
  });

  it('a token endpoint outage is retryable', async () => {
    const { adapter } = setup();
    bf.tokenAnswers.push({ status: 503 });
    expect(await failure(adapter.deliver(teamsRef(), [{ type: 'message', text: 'x' }], envelope()))).toMatchObject({ retryable: true });
  });

  it('a ref without a stored conversation reference fails with a clear, final error', async () => {
    const { adapter } = setup();
    const err = await failure(adapter.deliver({ channelId: 'bf-test', chatId: 'c1', userId: 'u1' }, [{ type: 'message', text: 'x' }], envelope()));
    expect(err.retryable).toBe(false);
    expect(err.message).toContain('conversation reference');
  });
});

describe('fetchMedia', () => {
  it("sends the bot's token to a Connector host only", async () => {
    const url = `${bf.url}/v3/attachments/0-eus-d1-abc/views/original`;
    const adapter = createBotframeworkAdapter(testConfig(bf.url, { connectorHosts: ['127.0.0.1'] }), fakeContext().ctx);
    const media = await adapter.fetchMedia?.(url, { maxBytes: 100 });
    expect(media?.data.equals(TEAMS_PNG)).toBe(true);
    expect(bf.requests.filter((r) => r.path.startsWith('/v3/attachments/')).at(-1)?.headers.authorization).toMatch(/^Bearer bot-token-/);
    const elsewhere = createBotframeworkAdapter(testConfig(bf.url), fakeContext().ctx);
    await expect(elsewhere.fetchMedia?.(url)).rejects.toMatchObject({ reason: 'auth' });
    expect(bf.requests.filter((r) => r.path.startsWith('/v3/attachments/')).at(-1)?.headers.authorization).toBeUndefined();
  });
});
