import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../src/core/errors.js';
import type { ConversationRef } from '../../src/core/message.js';
import { envelope } from '../../test/support/adapter-context.js';
import { ACCOUNT_SID, AUTH_TOKEN, fakeContext, MMS_JPEG, PUBLIC_URL, testConfig, twilioApiServer } from '../../test/support/twilio.js';
import { TwilioClient } from './client.js';

const ref: ConversationRef = { channelId: 'sms', chatId: '34612345678', userId: '34612345678', extra: { address: '+34612345678', via: '+34911234567' } };

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof DeliveryError)) throw new Error(`expected a DeliveryError, got ${String(err)}`);
  return err;
}

/** Twilio's documented error body. */
const twilioError = (code: number, message: string, status: number) => ({
  status,
  json: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
});

describe('TwilioClient against a local Messages API', () => {
  let api: Awaited<ReturnType<typeof twilioApiServer>>;
  beforeAll(async () => {
    api = await twilioApiServer();
  });
  afterAll(() => api.close());
  beforeEach(() => {
    api.server.received.length = 0;
    api.answers.length = 0;
  });

  it('POSTs the form with Basic auth: To, From (the number the shopper wrote to), Body, StatusCallback', async () => {
    const client = new TwilioClient(testConfig(api.url), fakeContext().ctx, PUBLIC_URL);
    const receipt = await client.deliver(ref, [{ body: 'Hola, ¿qué tal?' }], envelope());
    expect(receipt.platformMessageIds).toEqual([`SM${'1'.padStart(32, '0')}`]);
    const [sent] = api.messages();
    expect(sent?.path).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
    expect(sent?.headers.authorization).toBe(`Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`);
    expect(sent?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(sent?.form ?? [])).toEqual({ To: '+34612345678', From: '+34911234567', Body: 'Hola, ¿qué tal?', StatusCallback: PUBLIC_URL });
  });

  it('a Messaging Service replaces From; a push without a stored address goes to +<id> with media as MediaUrl', async () => {
    const config = testConfig(api.url, { messagingServiceSid: `MG${'ab'.repeat(16)}` });
    const client = new TwilioClient(config, fakeContext().ctx, undefined);
    await client.deliver(
      { channelId: 'sms', chatId: '14017122661', userId: '14017122661' },
      [{ mediaUrls: ['https://cdn.example/a.jpg', 'https://cdn.example/b.jpg'] }],
      envelope(),
    );
    const form = api.messages()[0]?.form;
    expect(form?.get('To')).toBe('+14017122661');
    expect(form?.get('MessagingServiceSid')).toBe(`MG${'ab'.repeat(16)}`);
    expect(form?.has('From')).toBe(false);
    expect(form?.has('StatusCallback')).toBe(false);
    expect(form?.getAll('MediaUrl')).toEqual(['https://cdn.example/a.jpg', 'https://cdn.example/b.jpg']);
  });

  it('maps Twilio errors to delivery reasons: 21610 blocked, 21211 invalid, 20003 auth, 429 rate limited with Retry-After, 5xx transient', async () => {
    const client = new TwilioClient(testConfig(api.url), fakeContext().ctx, PUBLIC_URL);
    const send = () => client.deliver(ref, [{ body: 'hi' }], envelope());
    api.answers.push(twilioError(21610, 'Attempt to send to unsubscribed recipient', 400));
    expect(await failure(send())).toMatchObject({ reason: 'blocked', retryable: false, details: { twilioCode: 21610 } });
    api.answers.push(twilioError(21211, "The 'To' number +34612345678 is not a valid phone number.", 400));
    expect(await failure(send())).toMatchObject({ reason: 'invalid' });
    api.answers.push(twilioError(20003, 'Authenticate', 401));
    const auth = await failure(send());
    expect(auth.reason).toBe('auth');
    expect(auth.message).toMatch(/TWILIO_AUTH_TOKEN/);
    expect(auth.message).not.toContain(AUTH_TOKEN);
    api.answers.push({ ...twilioError(20429, 'Too Many Requests', 429), headers: { 'retry-after': '3' } });
    expect(await failure(send())).toMatchObject({ reason: 'rate_limited', retryable: true, retryAfterMs: 3000 });
    api.answers.push(twilioError(20500, 'Internal Server Error', 503));
    expect(await failure(send())).toMatchObject({ reason: 'transient', retryable: true });
  });

  it('a retry after a failed second part does not send the first part again', async () => {
    const { ctx } = fakeContext();
    const client = new TwilioClient(testConfig(api.url), ctx, PUBLIC_URL);
    const parts = [{ body: 'part one' }, { body: 'part two' }];
    api.answers.push({ status: 201, json: { sid: 'SMfirst' } }, twilioError(20500, 'Internal Server Error', 500));
    await failure(client.deliver(ref, parts, envelope()));
    const receipt = await client.deliver(ref, parts, envelope({ attempt: 2 }));
    expect(receipt.platformMessageIds[0]).toBe('SMfirst');
    expect(api.messages().map((m) => m.form.get('Body'))).toEqual(['part one', 'part two', 'part two']);
  });

  it('without credentials nothing is sent and the error names the env vars', async () => {
    const client = new TwilioClient(testConfig(api.url, { authToken: undefined }), fakeContext().ctx, PUBLIC_URL);
    const err = await failure(client.deliver(ref, [{ body: 'hi' }], envelope()));
    expect(err).toMatchObject({ reason: 'auth' });
    expect(err.message).toMatch(/TWILIO_ACCOUNT_SID/);
    expect(api.messages()).toHaveLength(0);
  });
});

describe('fetchMedia against the local Media resource', () => {
  it('fetches MediaUrlN with Basic auth and follows the redirect to the file; foreign hosts get no credentials', async () => {
    const api = await twilioApiServer();
    try {
      const client = new TwilioClient(testConfig(api.url), fakeContext().ctx, PUBLIC_URL);
      const url = `${api.url}/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/MM${'a'.repeat(32)}/Media/ME${'b'.repeat(32)}`;
      const media = await client.fetchMedia(url, { maxBytes: 1000 });
      expect(media.data.equals(MMS_JPEG)).toBe(true);
      expect(media.mimeType).toBe('image/jpeg');
      const [lookup, file] = api.server.received;
      expect(lookup?.headers.authorization).toMatch(/^Basic /);
      expect(file?.path).toMatch(/^\/media-cdn\/ME/);
      const foreign = new TwilioClient(testConfig('http://127.0.0.1:9'), fakeContext().ctx, PUBLIC_URL);
      expect((await failure(foreign.fetchMedia(url))).reason).toBe('auth');
    } finally {
      await api.close();
    }
  });
});
