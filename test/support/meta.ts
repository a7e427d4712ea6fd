/** Test helpers for the Messenger and Instagram adapters: fixtures, signed requests, configs, a local Send API. */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type InstagramConfig, instagramConfigSchema, type MessengerConfig, messengerConfigSchema } from '../../adapters/messenger/config.js';
import type { AdapterContext, RawRequest } from '../../src/core/adapter.js';
import { hmac } from '../../src/core/http.js';
import { testAdapterContext } from './adapter-context.js';
import { type Answer, PlatformServer, type Received } from './platform-server.js';

export const APP_SECRET = 'meta-test-app-secret';
export const VERIFY_TOKEN = 'meta-verify-token';
export const PAGE_ID = '112233445566778';
export const PAGE_TOKEN = 'EAAB-test-page-token';
export const IG_USER_ID = '17841400000000000';
export const IG_TOKEN = 'IGAA-test-instagram-token';

const fixturesDir = fileURLToPath(new URL('../../adapters/messenger/fixtures/', import.meta.url));

/** A fixture's exact bytes (signatures are over raw bytes). */
export function fixtureBytes(name: string): Buffer {
  return readFileSync(`${fixturesDir}${name}`);
}

/** A fixture parsed. */
export function fixtureJson<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(fixtureBytes(name).toString()) as T;
}

/** The webhook body fixtures of one product (`messenger_*.json` or `instagram_*.json`). */
export function webhookFixtures(product: 'messenger' | 'instagram'): string[] {
  return readdirSync(fixturesDir).filter((f) => f.startsWith(`${product}_`) && f.endsWith('.json'));
}

/** The `X-Hub-Signature-256` Meta would send for `body`. */
export function sign(body: Buffer | string, secret = APP_SECRET): string {
  return `sha256=${hmac('sha256', secret, body, 'hex')}`;
}

/** A POST webhook request carrying `body`, signed as Meta signs it. */
export function signedRequest(body: Buffer | string, path = '/webhooks/fb', secret = APP_SECRET): RawRequest {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
  return {
    method: 'POST',
    url: path,
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(bytes, secret) },
    query: {},
    body: bytes,
  };
}

/** A context with a movable clock. */
export function fakeContext(name = 'fb', overrides: Partial<AdapterContext> = {}, start = 1_767_225_600_000) {
  return testAdapterContext(name, start, overrides);
}

/** A parsed Messenger block pointing at `graphBaseUrl`. */
export function messengerConfig(graphBaseUrl = 'http://127.0.0.1:9', extra: Record<string, unknown> = {}): MessengerConfig {
  return messengerConfigSchema.parse({
    pageId: PAGE_ID,
    pageAccessToken: PAGE_TOKEN,
    appSecret: APP_SECRET,
    verifyToken: VERIFY_TOKEN,
    graphBaseUrl,
    ...extra,
  });
}

/** A parsed Instagram block pointing at `graphBaseUrl`. */
export function instagramConfig(graphBaseUrl = 'http://127.0.0.1:9', extra: Record<string, unknown> = {}): InstagramConfig {
  return instagramConfigSchema.parse({ igUserId: IG_USER_ID, accessToken: IG_TOKEN, appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, graphBaseUrl, ...extra });
}

/**
 * A local server speaking the Send API: `POST /{version}/{page-id|ig-user-id}/messages` with the
 * right bearer token answers the documented `{ recipient_id, message_id }` (ids numbered);
 * a wrong token gets Graph's 190; `answers` holds scripted replies taken first.
 */
export async function sendApiServer(tokens: Record<string, string> = { [PAGE_ID]: PAGE_TOKEN, [IG_USER_ID]: IG_TOKEN }) {
  const answers: Answer[] = [];
  let n = 0;
  const server = await new PlatformServer((req: Received): Answer => {
    const match = /^\/v\d+\.\d+\/(\d+)\/messages$/.exec(req.path);
    if (req.method !== 'POST' || !match?.[1]) return { status: 404, json: { error: { message: 'Unknown path', type: 'GraphMethodException', code: 100 } } };
    const token = tokens[match[1]];
    if (!token || req.headers.authorization !== `Bearer ${token}`) return { status: 401, json: fixtureJson('send_error_190.json') };
    const next = answers.shift();
    if (next) return next;
    n += 1;
    const body = req.json as { recipient?: { id?: string } } | undefined;
    return { json: { recipient_id: body?.recipient?.id ?? '', message_id: `m_test_${String(n).padStart(4, '0')}` } };
  }).start();
  return {
    server,
    url: server.url,
    answers,
    /** The Send API requests received, bodies parsed. */
    sends: () => server.calls(/\/messages$/).map((r) => ({ ...r, payload: JSON.parse(r.body) as Record<string, unknown> })),
    close: () => server.stop(),
  };
}
