/** Test helpers for the Slack adapter: a fake context, signed requests and a local Slack Web API. */
import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { fileURLToPath } from 'node:url';
import { type SlackConfig, slackConfigSchema } from '../../adapters/slack/config.js';
import type { AdapterContext, RawRequest } from '../../src/core/adapter.js';
import { hmac } from '../../src/core/http.js';
import type { Logger } from '../../src/core/ports.js';
import { testAdapterContext } from './adapter-context.js';
import { type Answer, scriptedServer } from './platform-server.js';

export const signingSecret = 'slack-test-signing-secret';
const botToken = 'xoxb-test-0000-parley';
/** 2026-01-01T00:00:00Z. */
export const startMs = 1_767_225_600_000;

const fixturesDir = fileURLToPath(new URL('../../adapters/slack/fixtures/', import.meta.url));

/** A fixture file, parsed. */
export function fixtureJson<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(`${fixturesDir}${name}`, 'utf8')) as T;
}

/** Raw bytes of a fixture file. */
export function fixture(name: string): Buffer {
  return readFileSync(`${fixturesDir}${name}`);
}

/** A request as Slack sends it: signed with `key` at `timestampSec`. */
export function signedRequest(
  body: Buffer | string,
  options: { key?: string; timestampSec?: number; contentType?: string; headers?: Record<string, string> } = {},
): RawRequest {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const ts = String(options.timestampSec ?? Math.floor(startMs / 1000));
  const base = Buffer.concat([Buffer.from(`v0:${ts}:`), bytes]);
  return {
    method: 'POST',
    url: '/webhooks/slack-test',
    headers: {
      'content-type': options.contentType ?? 'application/json',
      'x-slack-request-timestamp': ts,
      'x-slack-signature': `v0=${hmac('sha256', options.key ?? signingSecret, base, 'hex')}`,
      ...options.headers,
    },
    query: {},
    body: bytes,
  };
}

/** An Events API body, signed. */
export const signedEvent = (payload: unknown, headers: Record<string, string> = {}) => signedRequest(JSON.stringify(payload), { headers });

/** An interactivity request: `payload=<json>`, form-encoded and signed. */
export function signedInteraction(payload: unknown): RawRequest {
  const form = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return signedRequest(form, { contentType: 'application/x-www-form-urlencoded' });
}

/** A logger that keeps every line, to check nothing secret or private is written. */
function recordingLogger(lines: { level: string; obj: object; msg?: string }[] = []): Logger & { lines: typeof lines } {
  const at = (level: string) => (obj: object, msg?: string) => {
    lines.push({ level, obj, ...(msg ? { msg } : {}) });
  };
  const logger = { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => logger };
  return logger;
}

/** A context with a movable clock starting at {@link startMs}. */
export function fakeContext(overrides: Partial<AdapterContext> = {}) {
  const log = recordingLogger();
  return { ...testAdapterContext('slack-test', startMs, { log, ...overrides }), log };
}

/** A parsed config pointing at a local Slack API. */
export function testConfig(slackApiUrl = 'http://127.0.0.1:9/api/', extra: Record<string, unknown> = {}): SlackConfig {
  return slackConfigSchema.parse({ botToken, signingSecret, slackApiUrl, ...extra });
}

export { envelope } from './adapter-context.js';

/** One request the local Slack API received; `form` is the decoded form body. */
export interface Recorded {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  form: Record<string, string>;
}

/**
 * A local server speaking Slack's Web API: records requests and answers from `answers` in order,
 * then `{ ok: true, channel, ts }` with a new ts per request, as `chat.postMessage` does.
 */
/** The bytes every file of {@link slackApiServer} has. */
export const SLACK_JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('slack photo')]);

export async function slackApiServer() {
  const form = (body: string) => Object.fromEntries(new URLSearchParams(body));
  const { server, answers } = await scriptedServer((req, count): Answer => {
    // files.info, then url_private_download with the bot token (https://docs.slack.dev/reference/methods/files.info).
    if (req.path === '/api/files.info') {
      const id = form(req.body).file ?? '';
      const file = {
        id,
        name: 'photo.jpg',
        mimetype: 'image/jpeg',
        size: SLACK_JPEG.length,
        url_private_download: `${server.url}/files-pri/T1-${id}/download/photo.jpg`,
      };
      return { json: { ok: true, file }, headers: { 'content-type': 'application/json; charset=utf-8' } };
    }
    if (req.path.startsWith('/files-pri/')) {
      return req.headers.authorization === `Bearer ${botToken}`
        ? { bytes: SLACK_JPEG, headers: { 'content-type': 'image/jpeg' } }
        : { status: 302, headers: { location: '/signin' } };
    }
    const { channel, text } = form(req.body);
    const ts = `1767225600.${String(count).padStart(6, '0')}`;
    return { json: { ok: true, channel, ts, message: { text, ts } }, headers: { 'content-type': 'application/json; charset=utf-8' } };
  });
  return {
    url: `${server.url}/api/`,
    /** What the server received so far, form bodies decoded. */
    get requests(): Recorded[] {
      return server.received.map((r) => ({ method: r.method, path: r.path, headers: r.headers, raw: r.body, form: form(r.body) }));
    },
    answers,
    close: () => server.stop(),
  };
}
