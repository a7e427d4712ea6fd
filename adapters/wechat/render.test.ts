import { describe, expect, it } from 'vitest';
import type { ConversationRef } from '../../src/core/message.js';
import { createWechatAdapter, createWecomAdapter } from './adapter.js';
import { decryptMessage, sha1Signature } from './crypto.js';
import { renderMessage, renderPassiveReply } from './render.js';
import { fakeContext, fixture } from '../../test/support/wechat.js';
import { parseXml } from './xml.js';

const ref: ConversationRef = { channelId: 'wx-a', chatId: 'toUser', userId: 'toUser', extra: { toUserName: 'fromUser' } };
const squash = (xml: string) => xml.replace(/>\s+</g, '><').trim();

describe('renderMessage', () => {
  it('maps text, cards and WeChat-hosted images to customer-service payloads', () => {
    expect(renderMessage({ parts: [{ kind: 'text', text: '你好' }] })).toEqual([{ msgtype: 'text', text: { content: '你好' } }]);
    expect(renderMessage({ parts: [{ kind: 'image', url: 'platform:MEDIA_1' }] })).toEqual([{ msgtype: 'image', image: { media_id: 'MEDIA_1' } }]);
    const card = {
      kind: 'card' as const,
      title: 'Cosy dog bed',
      subtitle: 'Washable',
      price: '€39.90',
      imageUrl: 'https://e.example/b.jpg',
      url: 'https://e.example/b',
    };
    expect(renderMessage({ parts: [card] })).toEqual([
      {
        msgtype: 'news',
        news: { articles: [{ title: 'Cosy dog bed', description: 'Washable\n€39.90', url: 'https://e.example/b', picurl: 'https://e.example/b.jpg' }] },
      },
    ]);
    expect(renderMessage({ parts: [{ kind: 'card', title: 'Bed', price: '€1' }] })).toEqual([{ msgtype: 'text', text: { content: 'Bed\n€1' } }]);
  });
});

describe('renderPassiveReply', () => {
  it('reproduces the documented text reply exactly', () => {
    expect(renderPassiveReply({ parts: [{ kind: 'text', text: '你好' }] }, ref, 12345678)).toBe(fixture('wechat/reply_passive_text.xml').trimEnd());
  });

  it('reproduces the documented image reply', () => {
    const xml = renderPassiveReply({ parts: [{ kind: 'image', url: 'platform:media_id' }] }, ref, 12345678);
    expect(squash(xml ?? '')).toBe(squash(fixture('wechat/reply_passive_image.xml')));
  });

  it('renders a card as a one-article news reply', () => {
    const xml = renderPassiveReply({ parts: [{ kind: 'card', title: 'Bed', url: 'https://e.example/b', imageUrl: 'https://e.example/b.jpg' }] }, ref, 1);
    expect(parseXml(xml ?? '')).toMatchObject({
      MsgType: 'news',
      ArticleCount: '1',
      Articles: { item: { Title: 'Bed', PicUrl: 'https://e.example/b.jpg', Url: 'https://e.example/b' } },
    });
  });

  it('keeps "]]>" typed in the text intact', () => {
    const xml = renderPassiveReply({ parts: [{ kind: 'text', text: 'a]]>b' }] }, ref, 1) ?? '';
    expect(parseXml(xml).Content).toBe('a]]>b');
  });

  it('returns undefined when the message needs two platform messages or the account id is unknown', () => {
    const two = {
      parts: [
        { kind: 'text' as const, text: 'hi' },
        { kind: 'card' as const, title: 'Bed', url: 'https://e.example/b' },
      ],
    };
    expect(renderPassiveReply(two, ref, 1)).toBeUndefined();
    expect(renderPassiveReply({ parts: [{ kind: 'text', text: 'hi' }] }, { ...ref, extra: {} }, 1)).toBeUndefined();
  });
});

describe('adapter.passiveReply', () => {
  const now = 1_411_525_903_000;
  const message = { parts: [{ kind: 'text' as const, text: 'test' }] };

  it('plain-mode Official Account: the reply XML itself', () => {
    const adapter = createWechatAdapter(
      { appId: 'wxa', appSecret: 's', token: 'test', apiBaseUrl: 'http://x', replyBudgetMs: 4000, timestampWindowSec: 300 },
      fakeContext({ now: () => now }),
    );
    expect(adapter.passiveReply(message, ref)).toEqual({
      status: 200,
      body: renderPassiveReply(message, ref, now / 1000),
      headers: { 'content-type': 'application/xml; charset=utf-8' },
    });
    expect(adapter.replyBudgetMs).toBe(4000);
  });

  it('WeCom: an encrypted envelope that is signed and decrypts to the reply', () => {
    const crypto = { token: '123456', encodingAESKey: 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR', receiveId: 'wx49f0ab532d5d035a' };
    const adapter = createWecomAdapter(
      {
        corpId: crypto.receiveId,
        agentId: 1,
        secret: 's',
        token: crypto.token,
        encodingAESKey: crypto.encodingAESKey,
        apiBaseUrl: 'http://x',
        replyBudgetMs: 4000,
        timestampWindowSec: 300,
      },
      fakeContext({ now: () => now }),
    );
    const wecomRef = { ...ref, extra: { toUserName: crypto.receiveId, agentId: '1' } };
    const envelope = parseXml(String(adapter.passiveReply(message, wecomRef)?.body));
    const { Encrypt = '', MsgSignature, TimeStamp = '', Nonce = '' } = envelope as Record<string, string | undefined>;
    expect(TimeStamp).toBe('1411525903');
    expect(Nonce).toMatch(/^\d{9,10}$/);
    expect(MsgSignature).toBe(sha1Signature(crypto.token, TimeStamp, Nonce, Encrypt));
    expect(decryptMessage(Encrypt, crypto)).toEqual({ ok: true, message: renderPassiveReply(message, wecomRef, 1411525903) });
  });
});
