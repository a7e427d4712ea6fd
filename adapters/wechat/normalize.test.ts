import { describe, expect, it } from 'vitest';
import { isParleyError } from '../../src/core/errors.js';
import type { InboundEvent } from '../../src/core/message.js';
import { normalizeCallback, type NormalizeOptions } from './normalize.js';
import { fixture } from '../../test/support/wechat.js';

const opts: NormalizeOptions = { channelId: 'wx-a', platform: 'wechat', ack: { status: 200, body: 'success' } };
const events = (path: string, o = opts): InboundEvent[] => normalizeCallback(fixture(path), o).events;
const one = (path: string, o = opts): InboundEvent => {
  const [event, ...rest] = events(path, o);
  expect(rest).toHaveLength(0);
  if (!event) throw new Error(`no event from ${path}`);
  return event;
};

describe('WeChat messages', () => {
  it('text: MsgId is the event id; the openid is chat and user; the OA id goes into ref.extra', () => {
    const { events: list, ack } = normalizeCallback(fixture('wechat/msg_text.xml'), opts);
    expect(ack).toEqual({ status: 200, body: 'success' });
    expect(list).toEqual([
      expect.objectContaining({
        type: 'message',
        channelId: 'wx-a',
        eventId: '1234567890123456',
        messageId: '1234567890123456',
        timestamp: 1348831860000,
        ref: { channelId: 'wx-a', chatId: 'fromUser', userId: 'fromUser', extra: { toUserName: 'toUser' } },
        parts: [{ kind: 'text', text: 'this is a test' }],
      }),
    ]);
    expect(list[0]?.raw).toMatchObject({ MsgType: 'text', Content: 'this is a test' });
  });

  it('image: PicUrl as the url', () => {
    expect(one('wechat/msg_image.xml')).toMatchObject({ type: 'message', parts: [{ kind: 'image', url: 'this is a url' }] });
  });

  it('voice: media id, and Recognition as the transcript when speech recognition is on', () => {
    expect(one('wechat/msg_voice.xml')).toMatchObject({ parts: [{ kind: 'audio', url: 'platform:media_id' }] });
    expect((one('wechat/msg_voice.xml') as { parts: object[] }).parts[0]).not.toHaveProperty('transcript');
    expect(one('wechat/msg_voice_with_recognition.xml')).toMatchObject({
      type: 'message',
      parts: [{ kind: 'audio', url: 'platform:media_id', transcript: '腾讯微信团队' }],
    });
  });

  it('video and shortvideo', () => {
    expect(one('wechat/msg_video.xml')).toMatchObject({ parts: [{ kind: 'video', url: 'platform:media_id' }] });
    const short = fixture('wechat/msg_video.xml').replace('[video]', '[shortvideo]');
    expect(normalizeCallback(short, opts).events[0]).toMatchObject({ parts: [{ kind: 'video', url: 'platform:media_id' }] });
  });

  it('location: coordinates as numbers and the Label', () => {
    expect(one('wechat/msg_location.xml')).toMatchObject({
      parts: [{ kind: 'location', latitude: 23.134521, longitude: 113.358803, name: '位置信息' }],
    });
  });

  it('link: title, description and url as text', () => {
    expect(one('wechat/msg_link.xml')).toMatchObject({ parts: [{ kind: 'text', text: '公众平台官网链接\n公众平台官网链接\nurl' }] });
  });

  it('the decrypted official sample normalises too', () => {
    expect(one('wechat/crypto_mp_official_python_sample.decrypted.xml')).toMatchObject({
      eventId: '6054768590064713728',
      ref: { chatId: 'oyORnuP8q7ou2gfYjqLzSIWZf0rs', extra: { toUserName: 'gh_10f6c3c3ac5a' } },
      parts: [{ kind: 'text', text: 'abcdteT' }],
    });
  });
});

describe('WeChat events (dedupe id FromUserName:CreateTime:Event)', () => {
  it('subscribe → follow', () => {
    expect(one('wechat/event_subscribe.xml')).toMatchObject({ type: 'membership', change: 'follow', eventId: 'FromUser:123456789:subscribe' });
  });

  it('subscribe through a parametric QR code → follow plus a qrscene note', () => {
    expect(events('wechat/event_subscribe_qrscene.xml')).toEqual([
      expect.objectContaining({ type: 'membership', change: 'follow', eventId: 'FromUser:123456789:subscribe' }),
      expect.objectContaining({ type: 'system', name: 'wechat.qrscene', detail: '123123', eventId: 'FromUser:123456789:subscribe:qrscene' }),
    ]);
  });

  it('unsubscribe → unfollow', () => {
    expect(one('wechat/event_unsubscribe.xml')).toMatchObject({ type: 'membership', change: 'unfollow' });
  });

  it('CLICK → postback with the EventKey as payload', () => {
    expect(one('wechat/event_click.xml')).toMatchObject({ type: 'postback', payload: 'EVENTKEY', eventId: 'FromUser:123456789:CLICK' });
  });

  it('VIEW, SCAN and LOCATION → system events', () => {
    expect(one('wechat/event_view.xml')).toMatchObject({ type: 'system', name: 'wechat.view', detail: 'www.qq.com' });
    expect(one('wechat/event_scan.xml')).toMatchObject({ type: 'system', name: 'wechat.scan', detail: '123123' });
    expect(one('wechat/event_location.xml')).toMatchObject({ type: 'system', name: 'wechat.location', detail: '23.137466,113.352425' });
  });
});

describe('WeCom callbacks', () => {
  const wecom: NormalizeOptions = { channelId: 'wecom-a', platform: 'wecom', ack: { status: 200, body: '' } };

  it('text with AgentID', () => {
    expect(one('wecom/msg_text_agentid.xml', wecom)).toMatchObject({
      type: 'message',
      eventId: '1234567890123456',
      ref: { chatId: 'fromUser', userId: 'fromUser', extra: { toUserName: 'toUser', agentId: '1' } },
      parts: [{ kind: 'text', text: 'this is a test' }],
    });
  });

  it('the decrypted official sample and a subscribe event', () => {
    expect(one('wecom/crypto_official_A.decrypted.xml', wecom)).toMatchObject({
      eventId: '4561255354251345929',
      ref: { userId: 'mycreate', extra: { toUserName: 'wx5823bf96d3bd56c7', agentId: '218' } },
      parts: [{ kind: 'text', text: 'hello' }],
    });
    expect(one('wecom/event_subscribe_agentid.xml', wecom)).toMatchObject({ type: 'membership', change: 'follow', ref: { userId: 'UserID' } });
  });

  it('unknown WeCom events (enter_agent) become system events', () => {
    const xml = fixture('wecom/event_subscribe_agentid.xml').replace('[subscribe]', '[enter_agent]');
    expect(normalizeCallback(xml, wecom).events).toEqual([expect.objectContaining({ type: 'system', name: 'wecom.enter_agent' })]);
  });
});

describe('bad and unusual input', () => {
  const bad = (xml: string) => {
    try {
      normalizeCallback(xml, opts);
    } catch (err) {
      return isParleyError(err, 'BAD_PAYLOAD');
    }
    return false;
  };

  it('truncated XML, JSON, an empty body or a missing sender → BAD_PAYLOAD', () => {
    const text = fixture('wechat/msg_text.xml');
    expect(bad(text.slice(0, text.length / 2))).toBe(true);
    expect(bad('{"MsgType":"text"}')).toBe(true);
    expect(bad('')).toBe(true);
    expect(bad('<root><MsgType>text</MsgType></root>')).toBe(true);
    expect(bad(text.replace(/<FromUserName>.*<\/FromUserName>/, ''))).toBe(true);
  });

  it('refuses DOCTYPE / ENTITY declarations, but not the same words typed inside CDATA', () => {
    expect(bad(`<!DOCTYPE xml [<!ENTITY e "boom">]>${fixture('wechat/msg_text.xml').replace('this is a test', '&e;')}`)).toBe(true);
    const typed = fixture('wechat/msg_text.xml').replace('this is a test', '<!DOCTYPE html> & <b>');
    expect(normalizeCallback(typed, opts).events[0]).toMatchObject({ parts: [{ kind: 'text', text: '<!DOCTYPE html> & <b>' }] });
  });

  it('keeps 64-bit ids and leading zeros as strings', () => {
    const xml = fixture('wechat/msg_text.xml').replace('1234567890123456', '6054768590064713728').replace('this is a test', '007');
    expect(normalizeCallback(xml, opts).events[0]).toMatchObject({ eventId: '6054768590064713728', parts: [{ text: '007' }] });
  });

  it('unknown message types and events become system events, never a crash', () => {
    const card = fixture('wechat/msg_text.xml').replace('[text]', '[miniprogrampage]');
    expect(normalizeCallback(card, opts).events).toEqual([
      expect.objectContaining({ type: 'system', name: 'wechat.unsupported', detail: 'miniprogrampage', eventId: '1234567890123456' }),
    ]);
    const image = fixture('wechat/msg_image.xml')
      .replace(/<PicUrl>.*<\/PicUrl>/, '')
      .replace(/<MediaId>.*<\/MediaId>/, '');
    expect(normalizeCallback(image, opts).events[0]).toMatchObject({ type: 'system', name: 'wechat.unsupported' });
    const event = fixture('wechat/event_click.xml').replace('[CLICK]', '[TEMPLATESENDJOBFINISH]');
    expect(normalizeCallback(event, opts).events[0]).toMatchObject({ type: 'system', name: 'wechat.templatesendjobfinish' });
  });
});
