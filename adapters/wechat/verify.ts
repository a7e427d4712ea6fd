import { type HttpAck, markVerified, type RawRequest, type VerifyResult } from '../../src/core/adapter.js';
import type { Clock } from '../../src/core/ports.js';
import { type CryptoConfig, decryptMessage, signatureMatches } from './crypto.js';
import { extractEncrypt, MAX_XML_BYTES } from './xml.js';

/**
 * How one channel checks callbacks. `crypto` present means encrypted callbacks (Official
 * Account safe mode, always for WeCom); `plainAllowed` lets the Official Account's plain
 * `signature` through (never WeCom, whose callbacks are always encrypted).
 */
export interface VerifyOptions {
  token: string;
  crypto?: CryptoConfig;
  plainAllowed: boolean;
  timestampWindowSec: number;
  clock: Clock;
}

/** What verification established: the callback XML, decrypted when it came encrypted. */
export interface WechatVerified {
  xml: string;
  encrypted: boolean;
}

const reject = (reason: string, status = 401): VerifyResult<WechatVerified> => ({ ok: false, status, reason });

function fresh(timestamp: string | undefined, opts: VerifyOptions): boolean {
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return false;
  return Math.abs(opts.clock.now() / 1000 - Number(timestamp)) <= opts.timestampWindowSec;
}

/**
 * Verifies a callback POST. Plain mode: `signature` = sha1(sorted token, timestamp, nonce),
 * which does not cover the body (safe mode does). Encrypted: `msg_signature` = sha1(sorted
 * token, timestamp, nonce, Encrypt), then AES decryption and the AppID / CorpID check. Only
 * the decrypted XML is used in encrypted mode; plaintext fields of a "compatible mode" body
 * are unsigned and ignored.
 */
export function verifyCallback(req: RawRequest, opts: VerifyOptions): VerifyResult<WechatVerified> {
  if (req.body.length > MAX_XML_BYTES) return reject('body over 1 MB', 413);
  const { timestamp, nonce = '', signature, msg_signature: msgSignature } = req.query;
  if (!fresh(timestamp, opts)) return reject('timestamp missing or outside the window');
  const body = req.body.toString('utf8');
  if (opts.crypto) {
    const encrypted = extractEncrypt(body);
    if (!encrypted || !signatureMatches(msgSignature, [opts.token, timestamp ?? '', nonce, encrypted])) return reject('bad msg_signature');
    const plain = decryptMessage(encrypted, opts.crypto);
    if (!plain.ok) return reject(`decryption failed: ${plain.reason}`);
    return { ok: true, request: markVerified(req, { xml: plain.message, encrypted: true }) };
  }
  if (!opts.plainAllowed || !signatureMatches(signature, [opts.token, timestamp ?? '', nonce])) return reject('bad signature');
  return { ok: true, request: markVerified(req, { xml: body, encrypted: false }) };
}

const text = (status: number, body: string): HttpAck => ({
  status,
  body,
  headers: { 'content-type': 'text/plain; charset=utf-8' },
});

/**
 * Answers the `GET` URL check made when the callback URL is saved in the console. With
 * `msg_signature` (WeCom, encrypted): verify over `echostr`, decrypt it and return the
 * plaintext exactly (no quotes, BOM or newline). With `signature` (Official Account): echo
 * `echostr` as it came.
 */
export function answerHandshake(req: RawRequest, opts: VerifyOptions): HttpAck {
  const { timestamp = '', nonce = '', signature, msg_signature: msgSignature } = req.query;
  // base64 never contains spaces: a `+` that reached us unencoded was decoded to one.
  const echostr = req.query.echostr?.replaceAll(' ', '+');
  if (!echostr || !fresh(timestamp, opts)) return text(401, '');
  if (msgSignature !== undefined && opts.crypto) {
    if (!signatureMatches(msgSignature, [opts.token, timestamp, nonce, echostr])) return text(401, '');
    const plain = decryptMessage(echostr, opts.crypto);
    return plain.ok ? text(200, plain.message) : text(401, '');
  }
  if (opts.plainAllowed && signatureMatches(signature, [opts.token, timestamp, nonce])) return text(200, echostr);
  return text(401, '');
}
