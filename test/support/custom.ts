/** Test helpers for custom channels: the worked examples' blocks, signed Feishu and DingTalk requests, local platform servers. */
import { createCipheriv, createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { type CustomConfig, customConfigSchema } from '../../adapters/custom/config.js';
import type { AdapterContext, RawRequest } from '../../src/core/adapter.js';
import { interpolate } from '../../src/config/interpolate.js';
import { testAdapterContext } from './adapter-context.js';
import { PlatformServer, type Received } from './platform-server.js';

const customDir = fileURLToPath(new URL('../../adapters/custom/', import.meta.url));

const FEISHU_ENCRYPT_KEY = 'feishu-test-encrypt-key';
const FEISHU_VERIFICATION_TOKEN = 'feishu-test-verification-token';
const FEISHU_APP_ID = 'cli_a1b2c3d4e5f60718';
const FEISHU_APP_SECRET = 'feishu-test-app-secret';
const DINGTALK_APP_SECRET = 'dingtalk-test-app-secret';
/** 2026-01-01T00:00:00Z: the unit tests' clock. */
export const NOW = 1_767_225_600_000;

/** The env the examples read, with the platforms' hosts pointed at `apiBase`. */
export function exampleEnv(apiBase = 'http://127.0.0.1:9'): Record<string, string> {
  return {
    FEISHU_ENCRYPT_KEY,
    FEISHU_VERIFICATION_TOKEN,
    FEISHU_APP_ID,
    FEISHU_APP_SECRET,
    FEISHU_API_BASE: apiBase,
    DINGTALK_APP_SECRET,
    DINGTALK_SESSION_PREFIX: `${apiBase}/robot/sendBySession`,
  };
}

/** A worked example's YAML (adapters/custom/examples/<name>.yaml), as written. */
export function exampleYaml(name: 'feishu' | 'dingtalk'): string {
  return readFileSync(`${customDir}examples/${name}.yaml`, 'utf8');
}

/** A worked example's channel block, interpolated with `env`, without `type`. */
export function exampleBlock(name: 'feishu' | 'dingtalk', env = exampleEnv()): Record<string, unknown> {
  const { value } = interpolate(parse(exampleYaml(name)), env);
  const { type: _type, ...block } = (value as { channels: Record<string, Record<string, unknown>> }).channels[name] as Record<string, unknown>;
  return block;
}

/** A worked example's parsed config. */
export function exampleConfig(name: 'feishu' | 'dingtalk', env = exampleEnv()): CustomConfig {
  return customConfigSchema.parse(exampleBlock(name, env));
}

/** A fixture file as text. */
export function fixture(path: string): string {
  return readFileSync(`${customDir}fixtures/${path}`, 'utf8');
}

/** A context with a movable clock. */
export function fakeContext(name: string, overrides: Partial<AdapterContext> = {}, start = NOW) {
  return testAdapterContext(name, start, overrides);
}

/** Encrypts as Feishu does: AES-256-CBC, key SHA-256(encrypt key), random IV prefixed, base64. */
export function feishuEncrypt(plaintext: string, key = FEISHU_ENCRYPT_KEY, iv = createHash('md5').update(plaintext).digest()): string {
  const cipher = createCipheriv('aes-256-cbc', createHash('sha256').update(key).digest(), iv);
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

/** X-Lark-Signature: sha256(timestamp + nonce + encrypt key + body), hex. */
export function feishuSignature(timestamp: string, nonce: string, body: string | Buffer, key = FEISHU_ENCRYPT_KEY): string {
  return createHash('sha256').update(`${timestamp}${nonce}${key}`).update(body).digest('hex');
}

/** An event as Feishu posts it with an Encrypt Key: `{ "encrypt": ... }`, signed; `signed: false` for the URL check. */
export function feishuRequest(plaintext: string, options: { signed?: boolean; timestamp?: string; nonce?: string; key?: string } = {}): RawRequest {
  const body = JSON.stringify({ encrypt: feishuEncrypt(plaintext, options.key) });
  return feishuSignedBody(body, options);
}

/** A raw body posted with Feishu's signature headers. */
export function feishuSignedBody(body: string, options: { signed?: boolean; timestamp?: string; nonce?: string; key?: string } = {}): RawRequest {
  const timestamp = options.timestamp ?? String(Math.floor(NOW / 1000));
  const nonce = options.nonce ?? '1739412545';
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.signed !== false) {
    headers['x-lark-request-timestamp'] = timestamp;
    headers['x-lark-request-nonce'] = nonce;
    headers['x-lark-signature'] = feishuSignature(timestamp, nonce, body, options.key);
  }
  return { method: 'POST', url: '/webhooks/feishu', headers, query: {}, body: Buffer.from(body) };
}

/** DingTalk's sign: base64(HmacSHA256(app secret, timestamp + "\n" + app secret)). */
export function dingtalkSign(timestamp: string, secret = DINGTALK_APP_SECRET): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
}

/** A message as DingTalk posts it to the robot's HTTP endpoint. */
export function dingtalkRequest(body: string, options: { timestamp?: string; secret?: string } = {}): RawRequest {
  const timestamp = options.timestamp ?? String(NOW);
  return {
    method: 'POST',
    url: '/webhooks/dingtalk',
    headers: { 'content-type': 'application/json; charset=utf-8', timestamp, sign: dingtalkSign(timestamp, options.secret) },
    query: {},
    body: Buffer.from(body),
  };
}

/**
 * A local server speaking both platforms' documented APIs: Feishu's tenant_access_token and
 * im/v1/messages (Bearer token checked, `uuid` de-duplicated as Feishu does), and DingTalk's
 * sendBySession (session checked against those handed out).
 */
export async function platformServer() {
  const token = 't-caecc734c2e3328a62489fe0648c4b98779515d3';
  const uuids = new Set<string>();
  let n = 0;
  const server = await new PlatformServer((req: Received) => {
    const body = (req.json ?? {}) as Record<string, any>;
    if (req.path === '/open-apis/auth/v3/tenant_access_token/internal') {
      if (body.app_id !== FEISHU_APP_ID || body.app_secret !== FEISHU_APP_SECRET) return { json: { code: 10014, msg: 'app secret invalid' } };
      return { json: { code: 0, msg: 'ok', tenant_access_token: token, expire: 7200 } };
    }
    if (req.path === '/open-apis/im/v1/messages') {
      if (req.headers.authorization !== `Bearer ${token}`) return { status: 400, json: { code: 99991663, msg: 'Invalid access token for authorization.' } };
      if (req.query.get('receive_id_type') !== 'chat_id' || typeof body.receive_id !== 'string' || body.msg_type !== 'text')
        return { status: 400, json: { code: 230001, msg: 'invalid receive_id' } };
      const duplicate = typeof body.uuid === 'string' && uuids.has(body.uuid);
      if (typeof body.uuid === 'string') uuids.add(body.uuid);
      if (!duplicate) n += 1;
      return { json: { code: 0, msg: 'success', data: { message_id: `om_${String(n).padStart(32, '0')}`, chat_id: body.receive_id, msg_type: 'text' } } };
    }
    if (req.path === '/robot/sendBySession') {
      if (!req.query.get('session')) return { json: { errcode: 300001, errmsg: 'session is invalid' } };
      return { json: { errcode: 0, errmsg: 'ok' } };
    }
    return { status: 404, json: { code: 404, msg: 'not found' } };
  }).start();
  return {
    server,
    url: server.url,
    /** The Feishu messages received (retries with a known uuid included), bodies parsed. */
    feishuMessages: () => server.calls(/\/open-apis\/im\/v1\/messages/).map((r) => r.json as Record<string, any>),
    /** The DingTalk replies received. */
    dingtalkMessages: () => server.calls(/\/robot\/sendBySession/).map((r) => ({ session: r.query.get('session'), body: r.json as Record<string, any> })),
    close: () => server.stop(),
  };
}
