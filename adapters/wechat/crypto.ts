import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { safeEqual } from '../../src/core/http.js';
import { cdata } from './xml.js';

/**
 * The secrets of one WeChat / WeCom callback: the URL token, the 43-character
 * EncodingAESKey and the id that ends every plaintext (the Official Account's AppID, or the
 * WeCom CorpID).
 */
export interface CryptoConfig {
  token: string;
  encodingAESKey: string;
  receiveId: string;
}

/** What decrypting a callback ciphertext gave. */
export type DecryptResult = { ok: true; message: string } | { ok: false; reason: string };

// The message crypto pads PKCS#7 to 32 bytes (not AES's 16), so pad values 17..32 occur and
// Node's own padding check must stay off. "消息加解密说明": developers.weixin.qq.com/doc/offiaccount/Message_Management/Message_encryption_and_decryption_instructions.html
const BLOCK = 32;

/**
 * The platform signature: sha1 of the parts sorted as strings and concatenated.
 *
 * @example
 * ```ts
 * sha1Signature('test', '1410685589', 'test'); // 'f21891de399b4e33a1a93c9a7b8a8fffb5a443ff'
 * ```
 */
export function sha1Signature(...parts: string[]): string {
  return createHash('sha1')
    .update([...parts].sort().join(''))
    .digest('hex');
}

/** Whether `given` is the signature of `parts`, compared in constant time. */
export function signatureMatches(given: string | undefined, parts: string[]): boolean {
  return safeEqual(given?.toLowerCase(), sha1Signature(...parts));
}

/** The AES-256 key: base64 of the EncodingAESKey plus the `=` Tencent leaves off. */
function aesKeyOf(encodingAESKey: string): Buffer {
  const key = Buffer.from(`${encodingAESKey}=`, 'base64');
  if (key.length !== 32) throw new Error('EncodingAESKey must be 43 base64 characters (32 bytes).');
  return key;
}

function pad(data: Buffer): Buffer {
  const n = BLOCK - (data.length % BLOCK);
  return Buffer.concat([data, Buffer.alloc(n, n)]);
}

/**
 * Decrypts an `<Encrypt>` value or WeCom `echostr`: AES-256-CBC, iv = key[0..16], layout
 * random(16) | msgLen(4, big-endian) | msg | receiveId. The trailing id must be ours.
 */
export function decryptMessage(encrypted: string, config: CryptoConfig): DecryptResult {
  const key = aesKeyOf(config.encodingAESKey);
  const data = Buffer.from(encrypted, 'base64');
  if (data.length < BLOCK || data.length % 16 !== 0) return { ok: false, reason: 'ciphertext length' };
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
    plain = Buffer.concat([decipher.update(data), decipher.final()]);
  } catch {
    return { ok: false, reason: 'aes' };
  }
  const padLength = plain[plain.length - 1] ?? 0;
  if (padLength < 1 || padLength > BLOCK) return { ok: false, reason: 'padding' };
  const body = plain.subarray(0, plain.length - padLength);
  if (body.length < 20) return { ok: false, reason: 'short plaintext' };
  const msgLength = body.readUInt32BE(16);
  if (20 + msgLength > body.length) return { ok: false, reason: 'message length' };
  const receiveId = body.subarray(20 + msgLength);
  if (!safeEqual(receiveId, Buffer.from(config.receiveId))) return { ok: false, reason: 'receiveId' };
  return { ok: true, message: body.subarray(20, 20 + msgLength).toString('utf8') };
}

/** Encrypts a reply the way {@link decryptMessage} reads it; `random` is 16 bytes (tests fix it). */
export function encryptMessage(message: string, config: CryptoConfig, random: Buffer = randomBytes(16)): string {
  const key = aesKeyOf(config.encodingAESKey);
  const msg = Buffer.from(message, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(msg.length, 0);
  const plain = pad(Buffer.concat([random, length, msg, Buffer.from(config.receiveId)]));
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}

/**
 * Wraps a passive-reply XML in the encrypted envelope safe mode and WeCom require: the
 * ciphertext, its msg_signature, the timestamp and nonce.
 *
 * @example
 * ```ts
 * const body = encryptReply(renderPassiveReply(reply, ref, nowSec)!, cryptoConfig, '461056294', '1411525903');
 * // <xml>\n<Encrypt><![CDATA[...]]></Encrypt>\n<MsgSignature>...</MsgSignature>\n<TimeStamp>1411525903</TimeStamp>\n<Nonce>...</Nonce>\n</xml>
 * ```
 */
export function encryptReply(xml: string, config: CryptoConfig, nonce: string, timestamp: string, random: Buffer = randomBytes(16)): string {
  const encrypted = encryptMessage(xml, config, random);
  const signature = sha1Signature(config.token, timestamp, nonce, encrypted);
  return [
    '<xml>',
    `<Encrypt>${cdata(encrypted)}</Encrypt>`,
    `<MsgSignature>${cdata(signature)}</MsgSignature>`,
    `<TimeStamp>${timestamp}</TimeStamp>`,
    `<Nonce>${cdata(nonce)}</Nonce>`,
    '</xml>',
  ].join('\n');
}
