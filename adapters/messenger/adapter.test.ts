import { describe, expect, it } from 'vitest';
import { describeAdapterContract } from '../../test/contract/adapter-contract.js';
import { fakeContext, fixtureBytes, instagramConfig, messengerConfig, signedRequest, webhookFixtures } from '../../test/support/meta.js';
import { createInstagramAdapter, createMessengerAdapter, instagramChannel, messengerChannel } from './adapter.js';

describeAdapterContract({
  name: 'messenger',
  create: () => createMessengerAdapter(messengerConfig(), fakeContext('fb').ctx),
  validRequests: () => webhookFixtures('messenger').map((f) => signedRequest(fixtureBytes(f))),
});

describeAdapterContract({
  name: 'instagram',
  create: () => createInstagramAdapter(instagramConfig(), fakeContext('ig').ctx),
  validRequests: () => webhookFixtures('instagram').map((f) => signedRequest(fixtureBytes(f), '/webhooks/ig')),
});

describe('messenger and instagram channel definitions', () => {
  it('parse the documented blocks with defaults; describe names what is missing with env vars', () => {
    const fb = messengerChannel.parseConfig({ pageId: 123, pageAccessToken: 't', appSecret: 's', verifyToken: 'v' });
    expect(fb).toEqual({
      ok: true,
      value: { pageId: '123', pageAccessToken: 't', appSecret: 's', verifyToken: 'v', graphBaseUrl: 'https://graph.facebook.com', apiVersion: 'v21.0' },
    });
    const ig = instagramChannel.parseConfig({ igUserId: '17841400000000000' });
    if (!ig.ok) throw new Error('an Instagram block without secrets parses');
    expect(ig.value.graphBaseUrl).toBe('https://graph.instagram.com');
    expect(instagramChannel.describe?.(ig.value).missing).toEqual(['accessToken (IG_TOKEN)', 'appSecret (META_APP_SECRET)', 'verifyToken (META_VERIFY_TOKEN)']);
    const bad = messengerChannel.parseConfig({ pageId: 'my-page', pageToken: 'x' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.issues.map((i) => i.path.join('.'))).toEqual(expect.arrayContaining(['pageId']));
  });

  it('declare Meta limits: 13 quick replies of 20 characters, cards, a 24-hour window; Instagram has no files', () => {
    const fb = createMessengerAdapter(messengerConfig(), fakeContext('fb').ctx).capabilities;
    const ig = createInstagramAdapter(instagramConfig(), fakeContext('ig').ctx).capabilities;
    expect(fb).toMatchObject({ maxTextLength: 2000, buttons: { max: 13, maxLabelLength: 20 }, list: false, cards: true, messagingWindowMs: 86_400_000 });
    expect(ig).toMatchObject({ maxTextLength: 1000, cards: true, media: ['image', 'video', 'audio'] });
  });
});
