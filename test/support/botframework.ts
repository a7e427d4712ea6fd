/**
 * Test helpers for the Bot Framework adapter: a fake context, RS256 keys minted with jose, and
 * one local server that plays the Bot Connector's OpenID metadata + JWKS, the Entra ID token
 * endpoint and the Connector REST API (the conversation's serviceUrl).
 */
import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { fileURLToPath } from 'node:url';
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';
import { type BotframeworkConfig, botframeworkConfigSchema } from '../../adapters/botframework/config.js';
import type { AdapterContext, RawRequest } from '../../src/core/adapter.js';
import { testAdapterContext } from './adapter-context.js';
import { PlatformServer } from './platform-server.js';

export const appId = '00000000-aaaa-bbbb-cccc-000000000001';
export const appPassword = 'bf-test-app-password';
const channelIssuer = 'https://api.botframework.com';

const fixturesDir = fileURLToPath(new URL('../../adapters/botframework/fixtures/', import.meta.url));

/** A fixture file, parsed. */
function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(`${fixturesDir}${name}`, 'utf8')) as T;
}

/** Every single-activity fixture: the two documented ones and the three recorded Teams activities. */
export function activityFixtures(): Record<string, Record<string, unknown>> {
  const recorded = fixture<Record<string, Record<string, unknown>>>('recorded_vercel_chat_dm_teams.json');
  return {
    quickstart: fixture('activity_connector_quickstart_message.json'),
    teamsPersonal: fixture('activity_teams_personal_message.json'),
    mention: recorded.mention as Record<string, unknown>,
    dmRequest: recorded.dmRequest as Record<string, unknown>,
    dmMessage: recorded.dmMessage as Record<string, unknown>,
  };
}

/** A context with a movable clock (seconds matter: tokens carry exp / nbf). */
export function fakeContext(overrides: Partial<AdapterContext> = {}, start = 1_700_000_000_000) {
  return testAdapterContext('bf-test', start, overrides);
}

export { envelope } from './adapter-context.js';

/** An RS256 signing key: the private half signs tokens, the public JWK goes in the served JWKS. */
export interface TestKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK & { endorsements?: string[] };
}

export async function mintKey(kid: string, endorsements?: string[]): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, use: 'sig', ...(endorsements ? { endorsements } : {}) };
  return { kid, privateKey, jwk };
}

/** A token as the Bot Connector signs it: iss, aud = app id, serviceurl, nbf / exp around `nowMs`. */
export async function channelToken(key: TestKey, nowMs: number, claims: JWTPayload = {}, lifetimeSec = 3600): Promise<string> {
  const now = Math.floor(nowMs / 1000);
  return new SignJWT({ iss: channelIssuer, aud: appId, nbf: now - 60, exp: now + lifetimeSec, ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
    .sign(key.privateKey);
}

/** A webhook request as the Bot Connector sends it. */
export function activityRequest(activity: unknown, token?: string): RawRequest {
  const body = Buffer.from(typeof activity === 'string' ? activity : JSON.stringify(activity));
  return {
    method: 'POST',
    url: '/webhooks/bf-test',
    headers: { 'content-type': 'application/json; charset=utf-8', ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}) },
    query: {},
    body,
  };
}

/** One request the local server received. */
interface Recorded {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  text: string;
  body: unknown;
}

/** A canned answer for the next Connector call. */
interface Canned {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * The local Bot Framework: `/bf/openid` + `/bf/keys` (channel keys), `/emu/openid` +
 * `/emu/keys` (emulator keys), `POST /token` (client credentials) and `POST /v3/...` (the
 * Connector). `keys` / `emulatorKeys` may be replaced to rotate; `answers` queues Connector
 * answers (default 200 with a numbered id).
 */
/** The bytes of every Connector attachment of {@link localBotFramework}. */
export const TEAMS_PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 9]);

export async function localBotFramework() {
  const requests: Recorded[] = [];
  const answers: Canned[] = [];
  const tokenAnswers: Canned[] = [];
  const state = { keys: [] as TestKey[], emulatorKeys: [] as TestKey[], tokensIssued: 0 };
  let url = '';
  const routes: Record<string, () => Canned> = {
    'GET /bf/openid': () => ({ status: 200, body: { issuer: channelIssuer, jwks_uri: `${url}/bf/keys`, id_token_signing_alg_values_supported: ['RS256'] } }),
    'GET /bf/keys': () => ({ status: 200, body: { keys: state.keys.map((k) => k.jwk) } }),
    'GET /emu/openid': () => ({ status: 200, body: { jwks_uri: `${url}/emu/keys` } }),
    'GET /emu/keys': () => ({ status: 200, body: { keys: state.emulatorKeys.map((k) => k.jwk) } }),
    'POST /token': () =>
      tokenAnswers.shift() ?? {
        status: 200,
        body: { token_type: 'Bearer', expires_in: 3600, ext_expires_in: 3600, access_token: `bot-token-${++state.tokensIssued}` },
      },
  };
  const server = await new PlatformServer((req) => {
    // An unparsable body is kept as text in `body`.
    requests.push({ method: req.method, path: req.url, headers: req.headers, text: req.body, body: req.json ?? (req.body || undefined) });
    // An attachment's contentUrl on the Connector (Teams: GET {serviceUrl}/v3/attachments/{id}/views/original with the bot token).
    if (req.method === 'GET' && /^\/v3\/attachments\/[\w-]+\/views\/original$/.test(req.url)) {
      return /^Bearer bot-token-\d+$/.test(req.headers.authorization ?? '')
        ? { bytes: TEAMS_PNG, headers: { 'content-type': 'image/png' } }
        : { status: 401, text: '' };
    }
    const route = routes[`${req.method} ${req.url}`];
    const connector = req.method === 'POST' && req.url.includes('/v3/conversations/');
    const answer = route
      ? route()
      : connector
        ? (answers.shift() ?? { status: 200, body: { id: `act-${requests.length}` } })
        : { status: 404, body: { error: 'not found' } };
    return {
      status: answer.status,
      text: answer.body === undefined ? '' : JSON.stringify(answer.body),
      headers: { 'content-type': 'application/json', ...answer.headers },
    };
  }).start();
  url = server.url;
  return {
    url,
    state,
    requests,
    answers,
    tokenAnswers,
    connectorCalls: () => requests.filter((r) => r.path.includes('/v3/conversations/')),
    close: () => server.stop(),
  };
}

/** A parsed config pointing every Microsoft endpoint at the local server. */
export function testConfig(baseUrl: string, extra: Record<string, unknown> = {}): BotframeworkConfig {
  return botframeworkConfigSchema.parse({
    appId,
    appPassword,
    openIdMetadataUrl: `${baseUrl}/bf/openid`,
    emulatorOpenIdMetadataUrl: `${baseUrl}/emu/openid`,
    tokenEndpoint: `${baseUrl}/token`,
    ...extra,
  });
}
