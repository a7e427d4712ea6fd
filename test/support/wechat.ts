/**
 * Test helpers for the WeChat / WeCom adapter: fixtures, a fake gateway context whose state and
 * leases can be shared between two adapter instances, signed requests and a local server
 * speaking the WeChat / WeCom API.
 */
import { readFileSync } from 'node:fs';
import { sha1Signature } from '../../adapters/wechat/crypto.js';
import type { AdapterContext, KeyValueState, Leases, RawRequest } from '../../src/core/adapter.js';
import { silentLogger } from '../../src/core/ports.js';
import { PlatformServer, type Received } from './platform-server.js';

const dir = new URL('../../adapters/wechat/fixtures/', import.meta.url);

/** A fixture file's text. */
export const fixture = (path: string): string => readFileSync(new URL(path, dir), 'utf8');

/** A JSON fixture. */
const fixtureJson = <T = Record<string, unknown>>(path: string): T => JSON.parse(fixture(path)) as T;

interface Signed {
  msg_signature: string;
  timestamp: string;
  nonce: string;
}

/** The official and SDK test vectors (see fixtures/{wechat,wecom}/PROVENANCE.md). */
export const vectors = {
  /** Official Account safe mode, Tencent's Python sample. */
  mp: fixtureJson<
    Signed & {
      token: string;
      encodingAESKey: string;
      appId: string;
      post_body_xml: string;
      encrypt: string;
      expected_decrypted_xml: string;
      expected_random16: string;
    }
  >('wechat/crypto_mp_official_python_sample.json'),
  /** Official Account plain mode, wechatpy. */
  plain: fixtureJson<{ token: string; timestamp: string; nonce: string; signature: string; negative_case: { signature: string } }>(
    'wechat/plain_signature_wechatpy.json',
  ),
  /** WeCom, Tencent's official sample. */
  wecomA: fixtureJson<{
    token: string;
    encodingAESKey: string;
    receiveId_corpId: string;
    verify_url: Signed & { echostr: string; expected_echo_plaintext: string };
    decrypt_msg: Signed & { post_body_xml: string; encrypt: string; expected_decrypted_xml: string };
  }>('wecom/crypto_official_A_QDG6eK.json'),
  /** WeCom, wechatpy with the random prefix fixed. */
  wechatpy: fixtureJson<{
    token: string;
    encodingAESKey: string;
    receiveId_corpId: string;
    verify_url: Signed & { echostr: string; expected_echo_plaintext: string; negative: { nonce: string } };
    encrypt_reply: { random16: string; timestamp: string; nonce: string; plaintext: string; expected_envelope_xml: string };
    decrypt_msg: Signed & { encrypt: string; expected_decrypted_xml: string };
  }>('wecom/crypto_wechatpy_work_fixed_random.json'),
};

/** State and leases that several fake contexts share, like instances sharing one database. */
export interface SharedBackend {
  values: Map<string, { value: string; expiresAt?: number }>;
  leases: Map<string, { owner: number; until: number }>;
}

export const sharedBackend = (): SharedBackend => ({ values: new Map(), leases: new Map() });

let owners = 0;

/** A context for one gateway instance; `now` is the clock (ms). */
export function fakeContext(options: { channelId?: string; now?: () => number; fetch?: typeof fetch; backend?: SharedBackend } = {}): AdapterContext {
  const backend = options.backend ?? sharedBackend();
  const now = options.now ?? (() => Date.now());
  const owner = ++owners;
  const state: KeyValueState = {
    async get(key) {
      const entry = backend.values.get(key);
      return entry && (entry.expiresAt === undefined || entry.expiresAt > now()) ? entry.value : undefined;
    },
    async set(key, value, expiresAt) {
      backend.values.set(key, { value, expiresAt });
    },
  };
  const leases: Leases = {
    async acquire(name, ttlMs) {
      const held = backend.leases.get(name);
      if (held && held.owner !== owner && held.until > now()) return false;
      backend.leases.set(name, { owner, until: now() + ttlMs });
      return true;
    },
    async release(name) {
      if (backend.leases.get(name)?.owner === owner) backend.leases.delete(name);
    },
  };
  return {
    channelId: options.channelId ?? 'wechat-test',
    log: silentLogger,
    clock: { now },
    fetch: options.fetch ?? fetch,
    webhookPath: `/webhooks/${options.channelId ?? 'wechat-test'}`,
    inbox: { accept: async () => {} },
    state,
    leases,
    dataDir: '/tmp',
    signingSecret: 'test-signing-secret',
  };
}

/** A webhook request with the given query and body. */
export function rawRequest(method: string, query: Record<string, string>, body = ''): RawRequest {
  const qs = new URLSearchParams(query).toString();
  return { method, url: `/webhooks/wechat-test?${qs}`, headers: { 'content-type': 'text/xml' }, query, body: Buffer.from(body) };
}

/** A plain-mode callback POST signed with `token`. */
export function plainPost(token: string, body: string, timestamp: string, nonce = '1320562132'): RawRequest {
  return rawRequest('POST', { signature: sha1Signature(token, timestamp, nonce), timestamp, nonce, openid: 'o1' }, body);
}

export type { Received } from './platform-server.js';

/** A local server: `respond` answers each request with a status and a JSON body (a string or a Buffer is sent as is). */
export async function apiServer(
  respond: (req: Received) => { status?: number; body: unknown; headers?: Record<string, string>; delayMs?: number },
): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const server = await new PlatformServer((req) => {
    const { status, body, headers, delayMs } = respond(req);
    return {
      ...(status ? { status } : {}),
      // A Buffer is a file, as `cgi-bin/media/get` answers one (its content-type in `headers`).
      ...(Buffer.isBuffer(body) ? { bytes: body } : typeof body === 'string' ? { text: body } : { json: body }),
      headers: { 'content-type': 'application/json', ...headers },
      ...(delayMs ? { delayMs } : {}),
    };
  }).start();
  return { url: server.url, received: server.received, close: () => server.stop() };
}
