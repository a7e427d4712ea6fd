/** Test helpers for the LINE adapter: a fake context, signed requests and a local LINE API. */
import { readFileSync, readdirSync } from 'node:fs';
import { testAdapterContext } from '../../test/support/adapter-context.js';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { AdapterContext, DeliveryEnvelope, RawRequest } from '../../src/core/adapter.js';
import { hmac } from '../../src/core/http.js';
import { type LineConfig, lineConfigSchema } from './config.js';

export const secret = 'line-test-channel-secret';
export const accessToken = 'line-test-access-token';

const fixturesDir = fileURLToPath(new URL('./fixtures/', import.meta.url));

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

export { memoryState } from '../../test/support/adapter-context.js';

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

export function envelope(overrides: Partial<DeliveryEnvelope> = {}): DeliveryEnvelope {
  return { idempotencyKey: 'out-1', messageId: 'm-1', seq: 1, role: 'bot', attempt: 1, createdAt: 0, ...overrides };
}

/** One request the fake LINE API received. */
export interface Recorded {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** A canned answer; `body` as a Buffer is sent as is. */
export interface Canned {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * A local server speaking LINE's API: records requests and answers from `answers` in order
 * (then 200 with `sentMessages`, numbered per request).
 */
export async function lineApiServer() {
  const requests: Recorded[] = [];
  const answers: Canned[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: text ? JSON.parse(text) : undefined });
      const count = (JSON.parse(text || '{}') as { messages?: unknown[] }).messages?.length ?? 0;
      const sentMessages = Array.from({ length: count }, (_, i) => ({ id: `${requests.length}-${i}`, quoteToken: 'q' }));
      const answer = answers.shift() ?? { status: 200, body: { sentMessages } };
      const raw = Buffer.isBuffer(answer.body) ? answer.body : Buffer.from(answer.body === undefined ? '' : JSON.stringify(answer.body));
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(raw);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    answers,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
