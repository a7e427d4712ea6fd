/** Test helpers for the Twilio adapter: fixtures, signed requests, a context and a local Messages API. */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type TwilioConfig, twilioConfigSchema } from '../../adapters/twilio/config.js';
import { expectedSignature, parseForm } from '../../adapters/twilio/verify.js';
import type { AdapterContext, RawRequest } from '../../src/core/adapter.js';
import { testAdapterContext } from './adapter-context.js';
import { type Answer, PlatformServer, type Received } from './platform-server.js';

export const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
export const AUTH_TOKEN = 'twilio-test-auth-token';
export const PUBLIC_URL = 'https://shop.example/webhooks/sms';

const fixturesDir = fileURLToPath(new URL('../../adapters/twilio/fixtures/', import.meta.url));

/** A fixture file as text. */
export function fixture(name: string): string {
  return readFileSync(`${fixturesDir}${name}`, 'utf8');
}

/** Every form-encoded webhook fixture, by file name. */
export function formFixtures(): string[] {
  return readdirSync(fixturesDir).filter((f) => f.endsWith('.form'));
}

/** The `X-Twilio-Signature` Twilio would send for `body` posted to `url`. */
export function sign(body: string, url = PUBLIC_URL, token = AUTH_TOKEN): string {
  return expectedSignature(token, url, parseForm(body));
}

/** A webhook request as Twilio sends it to `path` (query included), signed for `PUBLIC_URL`'s origin. */
export function signedRequest(body: string, path = '/webhooks/sms', token = AUTH_TOKEN): RawRequest {
  const url = `${new URL(PUBLIC_URL).origin}${path}`;
  return {
    method: 'POST',
    url: path,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': sign(body, url, token) },
    query: Object.fromEntries(new URL(url).searchParams),
    body: Buffer.from(body),
  };
}

/** A context with a movable clock. */
export function fakeContext(overrides: Partial<AdapterContext> = {}, start = 1_767_225_600_000) {
  return testAdapterContext('sms', start, overrides);
}

/** A parsed config pointing at `apiRoot`. */
export function testConfig(apiRoot = 'http://127.0.0.1:9', extra: Record<string, unknown> = {}): TwilioConfig {
  return twilioConfigSchema.parse({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: '+15005550006', publicUrl: PUBLIC_URL, apiRoot, ...extra });
}

/** A created Message resource as the API documents it (trimmed to what matters). */
function messageResource(sid: string, form: URLSearchParams) {
  return {
    account_sid: ACCOUNT_SID,
    api_version: '2010-04-01',
    body: form.get('Body') ?? '',
    direction: 'outbound-api',
    from: form.get('From'),
    messaging_service_sid: form.get('MessagingServiceSid'),
    num_media: String(form.getAll('MediaUrl').length),
    num_segments: '1',
    sid,
    status: 'queued',
    to: form.get('To'),
    uri: `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${sid}.json`,
  };
}

/**
 * A local server speaking the Messages API: `POST /2010-04-01/Accounts/{sid}/Messages.json`
 * answers 201 with a Message resource (SIDs numbered), unless `answers` holds a scripted reply.
 */
/** The bytes every MMS medium of {@link twilioApiServer} has. */
export const MMS_JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('mms photo')]);

export async function twilioApiServer() {
  const answers: Answer[] = [];
  let n = 0;
  const server = await new PlatformServer((req: Received): Answer => {
    const next = answers.shift();
    if (next) return next;
    // MMS media: GET .../Messages/MM.../Media/ME... with Basic auth redirects to the file
    // (https://www.twilio.com/docs/messaging/api/media-resource#fetch-a-media-resource).
    if (req.method === 'GET' && /^\/2010-04-01\/Accounts\/AC[0-9a-f]{32}\/Messages\/MM\w+\/Media\/ME\w+$/.test(req.path)) {
      if (req.headers.authorization !== `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`)
        return { status: 401, json: { code: 20003, message: 'Authenticate', status: 401 } };
      return { status: 307, headers: { location: `/media-cdn/${req.path.split('/').pop() ?? ''}` } };
    }
    if (req.method === 'GET' && req.path.startsWith('/media-cdn/')) return { bytes: MMS_JPEG, headers: { 'content-type': 'image/jpeg' } };
    if (req.method !== 'POST' || !/^\/2010-04-01\/Accounts\/AC[0-9a-f]{32}\/Messages\.json$/.test(req.path))
      return { status: 404, json: { code: 20404, message: 'The requested resource was not found', status: 404 } };
    n += 1;
    return { status: 201, json: messageResource(`SM${String(n).padStart(32, '0')}`, new URLSearchParams(req.body)) };
  }).start();
  return {
    server,
    url: server.url,
    answers,
    /** The Messages API requests received, form bodies parsed. */
    messages: () => server.calls(/\/Messages\.json$/).map((r) => ({ ...r, form: new URLSearchParams(r.body) })),
    close: () => server.stop(),
  };
}
