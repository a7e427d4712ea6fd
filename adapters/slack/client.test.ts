import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelAdapter } from '../../src/core/adapter.js';
import type { ConversationRef } from '../../src/core/message.js';
import { createSlackAdapter } from './adapter.js';
import type { SlackMessage } from './render.js';
import { envelope, fakeContext, SLACK_JPEG, slackApiServer, testConfig } from '../../test/support/slack.js';
import { failure } from '../../test/support/adapter-context.js';

let api: Awaited<ReturnType<typeof slackApiServer>>;
let fake: ReturnType<typeof fakeContext>;
let slack: ChannelAdapter<SlackMessage>;

const threadRef: ConversationRef = { channelId: 'slack-test', chatId: 'C123ABC456', userId: 'U061F7AUR', threadId: '1515449522.000016' };
const dmRef: ConversationRef = { channelId: 'slack-test', chatId: 'D024BE91L', userId: 'U2147483697' };

beforeEach(async () => {
  api = await slackApiServer();
  fake = fakeContext();
  slack = createSlackAdapter(testConfig(api.url), fake.ctx);
});

afterEach(async () => {
  await api.close();
});

describe('Slack deliver: chat.postMessage through the SDK WebClient', () => {
  it('creating the adapter calls nothing (no auth.test)', () => {
    expect(api.requests).toHaveLength(0);
  });

  it('POST {slackApiUrl}chat.postMessage with the bearer token, blocks and thread_ts', async () => {
    const payloads = slack.render(
      {
        parts: [
          { kind: 'text', text: 'Which size?', markup: 'mrkdwn' },
          { kind: 'choices', choices: [{ label: 'Small', payload: 'size.s' }] },
        ],
      },
      threadRef,
    );
    const receipt = await slack.deliver(threadRef, payloads, envelope());
    expect(api.requests).toHaveLength(1);
    const [req] = api.requests;
    expect(req).toMatchObject({ method: 'POST', path: '/api/chat.postMessage' });
    expect(req?.headers.authorization).toBe('Bearer xoxb-test-0000-parley');
    expect(req?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(req?.form.channel).toBe('C123ABC456');
    expect(req?.form.thread_ts).toBe('1515449522.000016');
    expect(req?.form.text).toBe('Which size?');
    expect(req?.form.token).toBeUndefined();
    expect(JSON.parse(req?.form.blocks ?? 'null')).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: 'Which size?' } },
      {
        type: 'actions',
        elements: [{ type: 'button', text: { type: 'plain_text', text: 'Small', emoji: true }, action_id: 'parley_choice_1', value: 'size.s' }],
      },
    ]);
    expect(receipt.platformMessageIds).toEqual(['1767225600.000001']);
  });

  it('a DM message outside a thread has no thread_ts and no blocks when it is only text', async () => {
    await slack.deliver(dmRef, [{ text: 'Hello &amp; welcome' }], envelope());
    expect(api.requests[0]?.form).toEqual({ channel: 'D024BE91L', text: 'Hello &amp; welcome' });
  });

  it('a 429 with Retry-After is retryable after that long, and the SDK does not wait or retry itself', async () => {
    api.answers.push({ status: 429, headers: { 'retry-after': '30' }, body: { ok: false, error: 'ratelimited' } });
    const started = Date.now();
    const err = await failure(slack.deliver(dmRef, [{ text: 'hi' }], envelope()));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(err).toMatchObject({ code: 'DELIVERY_FAILED', reason: 'rate_limited', retryable: true, retryAfterMs: 30_000 });
    expect(api.requests).toHaveLength(1);
  });

  it('invalid_auth is final and says to check SLACK_BOT_TOKEN', async () => {
    api.answers.push({ status: 200, body: { ok: false, error: 'invalid_auth' } });
    const err = await failure(slack.deliver(dmRef, [{ text: 'hi' }], envelope()));
    expect(err).toMatchObject({ reason: 'auth', retryable: false });
    expect(err.message).toBe('Slack chat.postMessage failed (invalid_auth). Check SLACK_BOT_TOKEN.');
  });

  it('channel_not_found is final with a hint; internal_error and HTTP 5xx are retryable', async () => {
    api.answers.push({ status: 200, body: { ok: false, error: 'channel_not_found' } });
    const notFound = await failure(slack.deliver(dmRef, [{ text: 'hi' }], envelope({ idempotencyKey: 'a' })));
    expect(notFound).toMatchObject({ reason: 'blocked', retryable: false, details: { error: 'channel_not_found' } });
    expect(notFound.message).toContain('invite it');

    api.answers.push({ status: 200, body: { ok: false, error: 'internal_error' } });
    expect(await failure(slack.deliver(dmRef, [{ text: 'hi' }], envelope({ idempotencyKey: 'b' })))).toMatchObject({ reason: 'transient', retryable: true });

    api.answers.push({ status: 503, body: { ok: false } });
    expect(await failure(slack.deliver(dmRef, [{ text: 'hi' }], envelope({ idempotencyKey: 'c' })))).toMatchObject({
      retryable: true,
      details: { status: 503 },
    });

    api.answers.push({ status: 400, body: 'bad' });
    expect(await failure(slack.deliver(dmRef, [{ text: 'hi' }], envelope({ idempotencyKey: 'd' })))).toMatchObject({
      reason: 'invalid',
      retryable: false,
      details: { status: 400 },
    });
  });

  it('a 429 without Retry-After is still retryable', async () => {
    api.answers.push({ status: 429, body: { ok: false, error: 'ratelimited' } });
    expect(await failure(slack.deliver(dmRef, [{ text: 'hi' }], envelope()))).toMatchObject({ retryable: true, retryAfterMs: undefined });
  });

  it('a network error is retryable', async () => {
    await api.close();
    const err = await failure(slack.deliver(dmRef, [{ text: 'hi' }], envelope()));
    expect(err).toMatchObject({ code: 'DELIVERY_FAILED', reason: 'transient', retryable: true });
  });

  it('a retry after a partial failure does not post the first payload again', async () => {
    api.answers.push({ status: 200, body: { ok: true, channel: 'D024BE91L', ts: '1.000001' } }, { status: 500, body: { ok: false } });
    await failure(slack.deliver(dmRef, [{ text: 'one' }, { text: 'two' }], envelope({ idempotencyKey: 'k' })));
    const receipt = await slack.deliver(dmRef, [{ text: 'one' }, { text: 'two' }], envelope({ idempotencyKey: 'k', attempt: 2 }));
    expect(api.requests.map((r) => r.form.text)).toEqual(['one', 'two', 'two']);
    expect(receipt.platformMessageIds[0]).toBe('1.000001');
    expect(receipt.platformMessageIds).toHaveLength(2);
  });

  it('without a bot token deliver fails with a hint and calls nothing', async () => {
    const noToken = createSlackAdapter(testConfig(api.url, { botToken: undefined }), fake.ctx);
    const err = await failure(noToken.deliver(dmRef, [{ text: 'hi' }], envelope()));
    expect(err.message).toContain('SLACK_BOT_TOKEN');
    expect(api.requests).toHaveLength(0);
  });

  it('never logs message text or the token', async () => {
    api.answers.push({ status: 200, body: { ok: false, error: 'channel_not_found' } });
    await failure(slack.deliver(dmRef, [{ text: 'secret shopper words' }], envelope()));
    await slack.deliver(
      dmRef,
      [{ text: 'more shopper words', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'x' } }] }],
      envelope({ idempotencyKey: 'z' }),
    );
    const logged = JSON.stringify(fake.log.lines);
    expect(logged).not.toContain('shopper words');
    expect(logged).not.toContain('xoxb-');
  });
});

describe('fetchMedia', () => {
  it('looks the file up with files.info and downloads url_private_download with the bot token', async () => {
    const media = await slack.fetchMedia?.('platform:F0123ABC', { maxBytes: 1000 });
    expect(media?.data.equals(SLACK_JPEG)).toBe(true);
    expect(media).toMatchObject({ mimeType: 'image/jpeg', name: 'photo.jpg' });
    expect(api.requests.map((r) => [r.path, r.form.file])).toEqual([
      ['/api/files.info', 'F0123ABC'],
      ['/files-pri/T1-F0123ABC/download/photo.jpg', undefined],
    ]);
  });

  it('refuses a file over the cap before downloading it', async () => {
    expect(await failure(slack.fetchMedia?.('platform:F0123ABC', { maxBytes: 4 }) ?? Promise.resolve())).toMatchObject({ details: { maxBytes: 4 } });
    expect(api.requests.map((r) => r.path)).toEqual(['/api/files.info']);
  });
});
