import { describe, expect, it } from 'vitest';
import { describeAdapterContract } from '../../test/contract/adapter-contract.js';
import { createLineAdapter, lineChannel } from './adapter.js';
import { eventFixtures, fakeContext, fixture, signedRequest, testConfig } from '../../test/support/line.js';

describeAdapterContract({
  name: 'line',
  create: () => createLineAdapter(testConfig(), fakeContext().ctx),
  validRequests: () => [...eventFixtures(), 'python_sdk_v3_webhook_all_events.json'].map((f) => signedRequest(fixture(f))),
});

describe('lineChannel definition', () => {
  it('parses a block with defaults and strips trailing slashes', () => {
    const parsed = lineChannel.parseConfig({ channelSecret: 's', channelAccessToken: 't', apiBaseUrl: 'http://127.0.0.1:8080/' });
    expect(parsed).toEqual({
      ok: true,
      value: {
        channelSecret: 's',
        channelAccessToken: 't',
        apiBaseUrl: 'http://127.0.0.1:8080',
        dataApiBaseUrl: 'https://api-data.line.me',
        registerWebhook: true,
      },
    });
  });

  it('reports unknown keys and bad URLs with their paths', () => {
    const parsed = lineChannel.parseConfig({ channelSecret: 's', apiBaseUrl: 'not a url', chanelSecret: 'typo', videoPreviewImageUrl: 'http://x/p.jpg' });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      const paths = parsed.issues.map((i) => i.path.join('.') || i.message);
      expect(paths).toEqual(expect.arrayContaining(['apiBaseUrl', 'videoPreviewImageUrl']));
      expect(parsed.issues.some((i) => i.message.includes('chanelSecret'))).toBe(true);
    }
  });

  it('describe names the env vars of missing secrets', () => {
    const parsed = lineChannel.parseConfig({});
    if (!parsed.ok) throw new Error('an empty block parses; secrets are optional');
    expect(lineChannel.describe?.(parsed.value).missing).toEqual(['channelSecret (LINE_CHANNEL_SECRET)', 'channelAccessToken (LINE_CHANNEL_ACCESS_TOKEN)']);
  });

  it('without a channel secret every webhook is refused with 401', async () => {
    const adapter = lineChannel.create(testConfig(undefined, { channelSecret: undefined }), fakeContext().ctx);
    expect(await adapter.verify(signedRequest(fixture('event_message_text.json')))).toMatchObject({ ok: false, status: 401 });
  });

  it('declares LINE limits: 5000-character plain text, 13 quick replies of 20 characters, cards', () => {
    const { capabilities } = createLineAdapter(testConfig(undefined, { videoPreviewImageUrl: 'https://cdn.example/p.jpg' }), fakeContext().ctx);
    expect(capabilities).toMatchObject({ maxTextLength: 5000, markup: 'plain', buttons: { max: 13, maxLabelLength: 20 }, cards: true, list: false });
    expect(capabilities.media).toEqual(['image', 'video', 'audio', 'location', 'sticker']);
  });
});
