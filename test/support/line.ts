/** Test helpers for the LINE adapter: a fake context, signed requests and a local LINE API. */
import { readdirSync, readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { fileURLToPath } from 'node:url';
import { type LineConfig, lineConfigSchema } from '../../adapters/line/config.js';
import type { AdapterContext, RawRequest } from '../../src/core/adapter.js';
import { hmac } from '../../src/core/http.js';
import { testAdapterContext } from './adapter-context.js';
import { scriptedServer } from './platform-server.js';

const secret = 'line-test-channel-secret';
const accessToken = 'line-test-access-token';

const fixturesDir = fileURLToPath(new URL('../../adapters/line/fixtures/', import.meta.url));

/** Raw bytes of a fixture file. */
export function fixture(name: string): Buffer {
  return readFileSync(`${fixturesDir}${name}`);
}

/** Every single-event fixture, by file name. */
export function eventFixtures(): string[] {
  return readdirSync(fixturesDir).filter((f) => f.startsWith('event_') && f.endsWith('.json'));
}

/** A webhook request as LINE sends it, signed with `key`. */
export function signedRequest(body: Buffer | string, key = secret): RawRequest {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
  return {
    method: 'POST',
    url: '/webhooks/line-test',
    headers: { 'content-type': 'application/json; charset=utf-8', 'x-line-signature': hmac('sha256', key, bytes, 'base64') },
    query: {},
    body: bytes,
  };
}

/** A context with a movable clock; `now` starts at `start`. */
export function fakeContext(overrides: Partial<AdapterContext> = {}, start = 1_700_000_000_000) {
  return testAdapterContext('line-test', start, overrides);
}

/** A parsed config pointing at `baseUrl`. */
export function testConfig(baseUrl = 'http://127.0.0.1:9', extra: Record<string, unknown> = {}): LineConfig {
  return lineConfigSchema.parse({
    channelSecret: secret,
    channelAccessToken: accessToken,
    apiBaseUrl: baseUrl,
    dataApiBaseUrl: baseUrl,
    registerWebhook: false,
    ...extra,
  });
}

export { envelope } from './adapter-context.js';

/** One request the fake LINE API received. */
export interface Recorded {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/**
 * A local server speaking LINE's API: records requests and answers from `answers` in order
 * (then 200 with `sentMessages`, numbered per request). As LINE does, a reply token it has
 * answered once is refused after: 400 {"message":"Invalid reply token"}
 * (https://developers.line.biz/en/reference/messaging-api/#send-reply-message).
 */
export async function lineApiServer() {
  const usedTokens = new Set<string>();
  const { server, answers } = await scriptedServer((req, count) => {
    const replyToken = (req.json as { replyToken?: unknown } | undefined)?.replyToken;
    if (req.path === '/v2/bot/message/reply' && typeof replyToken === 'string') {
      if (usedTokens.has(replyToken)) return { status: 400, json: { message: 'Invalid reply token' } };
      usedTokens.add(replyToken);
    }
    const sentMessages = Array.from({ length: (req.json as { messages?: unknown[] } | undefined)?.messages?.length ?? 0 }, (_, i) => ({
      id: `${count}-${i}`,
      quoteToken: 'q',
    }));
    return { json: { sentMessages } };
  });
  return {
    url: server.url,
    /** What the server received so far, bodies parsed. */
    get requests(): Recorded[] {
      return server.received.map((r) => ({ method: r.method, path: r.path, headers: r.headers, body: r.json }));
    },
    answers,
    close: () => server.stop(),
  };
}
