import { describe, expect, it } from 'vitest';
import { decryptMessage, encryptMessage, encryptReply, sha1Signature, signatureMatches } from './crypto.js';
import { fixture, vectors } from '../../test/support/wechat.js';

const { mp, plain, wecomA, wechatpy: wpy } = vectors;

const mpCrypto = { token: mp.token, encodingAESKey: mp.encodingAESKey, receiveId: mp.appId };
const aCrypto = { token: wecomA.token, encodingAESKey: wecomA.encodingAESKey, receiveId: wecomA.receiveId_corpId };
const wpyCrypto = { token: wpy.token, encodingAESKey: wpy.encodingAESKey, receiveId: wpy.receiveId_corpId };

describe('signatures', () => {
  it('reproduces the plain-mode signature of the wechatpy vector and rejects its negative case', () => {
    expect(sha1Signature(plain.token, plain.timestamp, plain.nonce)).toBe(plain.signature);
    expect(signatureMatches(plain.signature, [plain.token, plain.timestamp, plain.nonce])).toBe(true);
    expect(signatureMatches(plain.negative_case.signature, [plain.token, plain.timestamp, plain.nonce])).toBe(false);
  });

  it('reproduces the msg_signature of the official Official Account sample', () => {
    expect(sha1Signature(mp.token, mp.timestamp, mp.nonce, mp.encrypt)).toBe(mp.msg_signature);
  });

  it('reproduces both msg_signatures of the official WeCom sample', () => {
    const v = wecomA.verify_url;
    expect(sha1Signature(wecomA.token, v.timestamp, v.nonce, v.echostr)).toBe(v.msg_signature);
    const d = wecomA.decrypt_msg;
    expect(sha1Signature(wecomA.token, d.timestamp, d.nonce, d.encrypt)).toBe(d.msg_signature);
  });
});

describe('decryptMessage', () => {
  it('decrypts the official Official Account sample to its XML and checks the AppID', () => {
    expect(decryptMessage(mp.encrypt, mpCrypto)).toEqual({ ok: true, message: mp.expected_decrypted_xml });
    expect(fixture('wechat/crypto_mp_official_python_sample.decrypted.xml').trimEnd()).toBe(mp.expected_decrypted_xml);
  });

  it('decrypts the official WeCom echostr and message (pad values above 16)', () => {
    expect(decryptMessage(wecomA.verify_url.echostr, aCrypto)).toEqual({ ok: true, message: wecomA.verify_url.expected_echo_plaintext });
    expect(decryptMessage(wecomA.decrypt_msg.encrypt, aCrypto)).toEqual({ ok: true, message: wecomA.decrypt_msg.expected_decrypted_xml });
  });

  it('decrypts the wechatpy WeCom vectors', () => {
    expect(decryptMessage(wpy.verify_url.echostr, wpyCrypto)).toEqual({ ok: true, message: wpy.verify_url.expected_echo_plaintext });
    expect(decryptMessage(wpy.decrypt_msg.encrypt, wpyCrypto)).toEqual({ ok: true, message: wpy.decrypt_msg.expected_decrypted_xml });
  });

  it('refuses a message addressed to another AppID / CorpID', () => {
    expect(decryptMessage(mp.encrypt, { ...mpCrypto, receiveId: 'wx0000000000000000' })).toEqual({ ok: false, reason: 'receiveId' });
    expect(decryptMessage(wecomA.decrypt_msg.encrypt, { ...aCrypto, receiveId: 'wx5823bf96d3bd56c8' }).ok).toBe(false);
  });

  it('refuses a ciphertext with a changed byte, a wrong key or a broken length', () => {
    const bytes = Buffer.from(mp.encrypt, 'base64');
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff;
    expect(decryptMessage(bytes.toString('base64'), mpCrypto).ok).toBe(false);
    expect(decryptMessage(mp.encrypt, { ...mpCrypto, encodingAESKey: wecomA.encodingAESKey }).ok).toBe(false);
    expect(decryptMessage(mp.encrypt.slice(0, 40), mpCrypto)).toEqual({ ok: false, reason: 'ciphertext length' });
  });
});

describe('encryption', () => {
  it('re-encrypts the official sample byte for byte with its random prefix', () => {
    const random = Buffer.from(mp.expected_random16);
    expect(encryptMessage(mp.expected_decrypted_xml, mpCrypto, random)).toBe(mp.encrypt);
  });

  it('reproduces the wechatpy reply envelope exactly with the fixed random', () => {
    const r = wpy.encrypt_reply;
    const envelope = encryptReply(r.plaintext, wpyCrypto, r.nonce, r.timestamp, Buffer.from(r.random16));
    expect(envelope).toBe(r.expected_envelope_xml);
    expect(envelope).toBe(fixture('wecom/reply_encrypted_envelope_wechatpy.xml').trimEnd());
  });

  it('round-trips a reply through decryption, padding to 32-byte blocks (a full block when aligned)', () => {
    for (const size of [0, 1, 12, 44, 1000]) {
      const text = 'x'.repeat(size);
      const encrypted = encryptMessage(text, aCrypto);
      expect(Buffer.from(encrypted, 'base64').length % 32).toBe(0);
      expect(decryptMessage(encrypted, aCrypto)).toEqual({ ok: true, message: text });
    }
  });
});
