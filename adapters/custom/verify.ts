import { createDecipheriv, createHash, createHmac } from 'node:crypto';
import type { RawRequest } from '../../src/core/adapter.js';
import { safeEqual } from '../../src/core/http.js';
import type { DecryptConfig, VerifyConfig } from './config.js';

/** Outcome of the signature check: passed, or refused with a reason for the log. */
export type SignatureCheck = { ok: true } | { ok: false; reason: string };

const PLACEHOLDER = /\{(body|secret|header\.[A-Za-z0-9_-]+|query\.[A-Za-z0-9_.-]+)\}/g;

/**
 * The bytes a platform signs, from the operator's template: `{body}` is the raw body, byte for
 * byte; `{header.x}` and `{query.x}` the request's values; `{secret}` the shared secret; `\n`
 * (written in YAML as a real newline or "\n" in double quotes) stays a newline. Undefined when a
 * named header or parameter is absent.
 *
 * @example
 * ```ts
 * signingBytes('{header.timestamp}\n{secret}', req, 'SEC...'); // DingTalk: timestamp + "\n" + appSecret
 * ```
 */
export function signingBytes(template: string, req: RawRequest, secret: string): Buffer | undefined {
  const pieces: Buffer[] = [];
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    pieces.push(Buffer.from(template.slice(last, m.index), 'utf8'));
    const name = m[1] as string;
    let value: Buffer | string | undefined;
    if (name === 'body') value = req.body;
    else if (name === 'secret') value = secret;
    else if (name.startsWith('header.')) value = req.headers[name.slice(7).toLowerCase()];
    else value = req.query[name.slice(6)];
    if (value === undefined) return undefined;
    pieces.push(typeof value === 'string' ? Buffer.from(value, 'utf8') : value);
    last = (m.index ?? 0) + m[0].length;
  }
  pieces.push(Buffer.from(template.slice(last), 'utf8'));
  return Buffer.concat(pieces);
}

/** The signature the platform should have sent for this request. */
export function expectedSignature(config: Extract<VerifyConfig, { kind: 'hmac' | 'digest' }>, req: RawRequest, secret: string): string | undefined {
  const data = signingBytes(config.over, req, secret);
  if (!data) return undefined;
  const digest = config.kind === 'hmac' ? createHmac(config.algorithm, secret).update(data) : createHash(config.algorithm).update(data);
  return config.prefix + digest.digest(config.encoding);
}

function timestampProblem(config: NonNullable<Extract<VerifyConfig, { kind: 'hmac' | 'digest' }>['timestamp']>, req: RawRequest, now: number) {
  const raw = config.header ? req.headers[config.header.toLowerCase()] : req.query[config.query as string];
  const value = Number(raw);
  if (!raw || !Number.isFinite(value)) return 'missing timestamp';
  const ms = config.unit === 's' ? value * 1000 : value;
  return Math.abs(now - ms) > config.maxSkewSec * 1000 ? 'stale timestamp' : undefined;
}

/**
 * Checks the request as the block's `verify` says, over the raw bytes and in constant time,
 * before anything reads the body. `none` passes everything (the adapter warns loudly about it).
 */
export function checkSignature(config: VerifyConfig, req: RawRequest, now: number): SignatureCheck {
  switch (config.kind) {
    case 'none':
      return { ok: true };
    case 'bearer': {
      if (!config.token) return { ok: false, reason: 'token not configured' };
      const got = req.headers[config.header.toLowerCase()]?.replace(/^Bearer\s+/i, '');
      return safeEqual(got, config.token) ? { ok: true } : { ok: false, reason: got ? 'bad token' : 'missing token' };
    }
    case 'urlSecret': {
      if (!config.secret) return { ok: false, reason: 'secret not configured' };
      const got = req.query[config.param];
      return safeEqual(got, config.secret) ? { ok: true } : { ok: false, reason: got ? 'bad secret' : 'missing secret' };
    }
    default: {
      if (!config.secret) return { ok: false, reason: 'secret not configured' };
      const got = req.headers[config.header.toLowerCase()]?.trim();
      if (!got) return { ok: false, reason: 'missing signature' };
      if (config.timestamp) {
        const problem = timestampProblem(config.timestamp, req, now);
        if (problem) return { ok: false, reason: problem };
      }
      const want = expectedSignature(config, req, config.secret);
      if (!want) return { ok: false, reason: 'a signed header or parameter is missing' };
      return safeEqual(got, want) ? { ok: true } : { ok: false, reason: 'bad signature' };
    }
  }
}

/**
 * Decrypts `{ "<field>": "<base64>" }`: AES-256-CBC with the first 16 bytes as IV and PKCS#7
 * padding, the key SHA-256 of the configured key (Feishu's scheme:
 * https://open.feishu.cn/document/ukTMukTMukTM/uYDNxYjL2QTM24iN0EjN/event-subscription-configure-/encrypt-key-encryption-configuration-case)
 * or the key itself in base64. Returns the plaintext, or undefined when it does not decrypt.
 *
 * @example
 * ```ts
 * decryptField('P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=', { field: 'encrypt', cipher: 'aes-256-cbc', keyDerivation: 'sha256', key: 'test key' }); // 'hello world'
 * ```
 */
export function decryptField(ciphertext: string, config: DecryptConfig): string | undefined {
  if (!config.key) return undefined;
  const key = config.keyDerivation === 'sha256' ? createHash('sha256').update(config.key, 'utf8').digest() : Buffer.from(config.key, 'base64');
  const bytes = Buffer.from(ciphertext, 'base64');
  if (key.length !== 32 || bytes.length < 32 || bytes.length % 16 !== 0) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, bytes.subarray(0, 16));
    return Buffer.concat([decipher.update(bytes.subarray(16)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
