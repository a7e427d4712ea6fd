import { describe, expect, it } from 'vitest';
import { describeAdapterContract } from '../../test/contract/adapter-contract.js';
import { fakeContext, fixture, formFixtures, signedRequest, testConfig } from '../../test/support/twilio.js';
import { createTwilioAdapter, twilioChannel } from './adapter.js';

describeAdapterContract({
  name: 'twilio',
  create: () => createTwilioAdapter(testConfig(), fakeContext().ctx),
  validRequests: () => formFixtures().map((f) => signedRequest(fixture(f))),
});

describe('twilioChannel definition', () => {
  it('parses the documented block with defaults', () => {
    const parsed = twilioChannel.parseConfig({
      accountSid: `AC${'0'.repeat(32)}`,
      authToken: 't',
      from: '+15005550006',
      publicUrl: 'https://shop.example/webhooks/sms',
    });
    expect(parsed).toEqual({
      ok: true,
      value: {
        accountSid: `AC${'0'.repeat(32)}`,
        authToken: 't',
        from: '+15005550006',
        publicUrl: 'https://shop.example/webhooks/sms',
        apiRoot: 'https://api.twilio.com',
        statusCallback: true,
        maxSegments: 10,
        verifiedPhone: true,
        mms: false,
      },
    });
  });

  it('reports bad SIDs and unknown keys with their paths; describe names what is missing', () => {
    const parsed = twilioChannel.parseConfig({ accountSid: 'SK123', messagingServiceSid: 'MG1', form: '+1' });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.issues.map((i) => i.path.join('.'))).toEqual(expect.arrayContaining(['accountSid', 'messagingServiceSid']));
      expect(parsed.issues.some((i) => i.message.includes('form'))).toBe(true);
    }
    const empty = twilioChannel.parseConfig({});
    if (!empty.ok) throw new Error('an empty block parses');
    expect(twilioChannel.describe?.(empty.value).missing).toEqual([
      'accountSid (TWILIO_ACCOUNT_SID)',
      'authToken (TWILIO_AUTH_TOKEN)',
      'from or messagingServiceSid (the sending number or Messaging Service)',
    ]);
  });

  it('without a public URL from config or gateway, every webhook is refused with 401', async () => {
    const adapter = createTwilioAdapter(testConfig(undefined, { publicUrl: undefined }), fakeContext().ctx);
    expect(await adapter.verify(signedRequest(fixture('inbound_sms.form')))).toMatchObject({ ok: false, status: 401 });
    const viaGateway = createTwilioAdapter(testConfig(undefined, { publicUrl: undefined }), fakeContext({ publicUrl: 'https://shop.example/' }).ctx);
    expect((await viaGateway.verify(signedRequest(fixture('inbound_sms.form')))).ok).toBe(true);
  });

  it('declares SMS limits: plain text up to 1600 per request, no buttons, a verified phone; media only with mms', () => {
    const { capabilities } = createTwilioAdapter(testConfig(), fakeContext().ctx);
    expect(capabilities).toMatchObject({
      maxTextLength: 1600,
      markup: 'plain',
      buttons: false,
      list: false,
      cards: false,
      media: [],
      verifiedPhone: true,
      pushByUserId: true,
    });
    expect(createTwilioAdapter(testConfig(undefined, { mms: true }), fakeContext().ctx).capabilities.media).toEqual(['image', 'video', 'audio', 'file']);
    expect(createTwilioAdapter(testConfig(undefined, { verifiedPhone: false }), fakeContext().ctx).capabilities.verifiedPhone).toBe(false);
  });
});
