import { describe, expect, it } from 'vitest';
import { describeAdapterContract } from '../../test/contract/adapter-contract.js';
import { createSlackAdapter } from './adapter.js';
import { slackChannel } from './channel.js';
import { fakeContext, fixture, fixtureJson, signedInteraction, signedRequest, testConfig } from '../../test/support/slack.js';

// biome-ignore lint/suspicious/noExplicitAny: fixture JSON is read and patched field by field in tests.
type Json = Record<string, any>;

describeAdapterContract({
  name: 'slack',
  create: () => createSlackAdapter(testConfig(), fakeContext().ctx),
  validRequests: () => {
    const dm = fixtureJson<Json>('recorded_vercel_chat_dm_slack.json');
    const actions = fixtureJson<Json>('vercel_actions_reactions.json');
    const vector = fixtureJson<Json>('signature_official_example.json');
    return [
      ...['event_message_im.json', 'event_app_mention.json', 'event_message_channels.json', 'url_verification.json'].map((f) => signedRequest(fixture(f))),
      ...[dm.mention, dm.dmRequest, dm.dmMessage, actions.reaction].map((p) => signedRequest(JSON.stringify(p))),
      signedInteraction(fixtureJson<Json>('vercel_channel_block_actions.json').channel_post_action),
      signedInteraction(actions.staticSelectAction),
      signedRequest(vector.raw_body, { contentType: 'application/x-www-form-urlencoded' }),
    ];
  },
});

describe('slackChannel definition', () => {
  it('parses a block with defaults; the API URL ends in a slash', () => {
    const parsed = slackChannel.parseConfig({ botToken: 'xoxb-1', signingSecret: 's', slackApiUrl: 'http://127.0.0.1:8080/api' });
    expect(parsed).toEqual({
      ok: true,
      value: { botToken: 'xoxb-1', signingSecret: 's', channelMessages: 'threads', slackApiUrl: 'http://127.0.0.1:8080/api/', timeoutMs: 10_000 },
    });
    const defaults = slackChannel.parseConfig({});
    expect(defaults.ok && defaults.value.slackApiUrl).toBe('https://slack.com/api/');
  });

  it('reports unknown keys and bad values with their paths', () => {
    const parsed = slackChannel.parseConfig({ botToken: 'xoxb-1', slackApiUrl: 'not a url', channelMessages: 'everything', signingSecrett: 'typo' });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      const paths = parsed.issues.map((i) => i.path.join('.'));
      expect(paths).toEqual(expect.arrayContaining(['slackApiUrl', 'channelMessages']));
      expect(parsed.issues.some((i) => i.message.includes('signingSecrett'))).toBe(true);
    }
  });

  it('describe names the env vars of missing secrets and notes the request URL', () => {
    const parsed = slackChannel.parseConfig({ botToken: 'xoxp-user-token' });
    if (!parsed.ok) throw new Error('a block without secrets parses');
    const described = slackChannel.describe?.(parsed.value);
    expect(described?.missing).toEqual(['signingSecret (SLACK_SIGNING_SECRET)']);
    expect(described?.notes?.join('\n')).toContain('{publicUrl}/webhooks/<channel id>');
    expect(described?.notes?.join('\n')).toContain('xoxb-');
    expect(slackChannel.describe?.({ ...parsed.value, botToken: undefined }).missing).toContain('botToken (SLACK_BOT_TOKEN)');
  });

  it('two instances side by side keep their own secrets and ids', () => {
    const a = createSlackAdapter(testConfig(), fakeContext({ channelId: 'slack-a' }).ctx);
    const b = createSlackAdapter(testConfig(undefined, { signingSecret: 'other-secret' }), fakeContext({ channelId: 'slack-b' }).ctx);
    const req = signedRequest(fixture('event_message_im.json'));
    const va = a.verify(req);
    expect('ok' in va && va.ok).toBe(true);
    expect(b.verify(req)).toMatchObject({ ok: false, status: 401 });
    if ('ok' in va && va.ok) expect(a.normalize(va.request).events[0]?.channelId).toBe('slack-a');
  });

  it('declares Slack limits: mrkdwn, 3000 characters, 5 buttons of 75, a select, cards, images, no typing', () => {
    const { capabilities } = createSlackAdapter(testConfig(), fakeContext().ctx);
    expect(capabilities).toMatchObject({
      maxTextLength: 3000,
      markup: 'mrkdwn',
      buttons: { max: 5, maxLabelLength: 75 },
      list: { maxRows: 100, maxLabelLength: 75 },
      cards: true,
      typing: false,
    });
    expect(capabilities.media).toEqual(['image']);
  });

  it('a stale request is refused by the adapter with its injected clock', () => {
    const fake = fakeContext();
    const adapter = createSlackAdapter(testConfig(), fake.ctx);
    const req = signedRequest(fixture('event_message_im.json'));
    fake.clock.t += 5 * 60_000 + 1_000;
    expect(adapter.verify(req)).toMatchObject({ ok: false, status: 401 });
  });
});
