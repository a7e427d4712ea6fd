import { describe, expect, it } from 'vitest';
import type { RawRequest } from '../../src/core/adapter.js';
import { isParleyError } from '../../src/core/errors.js';
import { dingtalkRequest, exampleConfig, fakeContext, feishuRequest, fixture, NOW } from '../../test/support/custom.js';
import { createCustomAdapter } from './adapter.js';
import { customConfigSchema } from './config.js';
import { EVAL_TIMEOUT_MS } from './expressions.js';

const feishu = () => createCustomAdapter(exampleConfig('feishu'), fakeContext('feishu').ctx);
const dingtalk = () => createCustomAdapter(exampleConfig('dingtalk'), fakeContext('dingtalk').ctx);

async function normalized(adapter: ReturnType<typeof feishu>, req: RawRequest) {
  const v = await adapter.verify(req);
  if (!v.ok) throw new Error(`refused: ${v.reason}`);
  return adapter.normalize(v.request);
}

async function refusal(adapter: ReturnType<typeof feishu>, req: RawRequest): Promise<string> {
  try {
    await normalized(adapter, req);
  } catch (err) {
    if (isParleyError(err, 'BAD_PAYLOAD')) return err.message;
    throw err;
  }
  throw new Error('expected BAD_PAYLOAD');
}

describe('custom channel normalisation: Feishu example', () => {
  it('reads the documented im.message.receive_v1 event', async () => {
    const { ack, events } = await normalized(feishu(), feishuRequest(fixture('feishu/im_message_receive_v1.json')));
    expect(ack).toEqual({ status: 200 });
    expect(events).toEqual([
      expect.objectContaining({
        type: 'message',
        channelId: 'feishu',
        eventId: '5e3702a84e847582be8db7fb73283c02',
        messageId: 'om_5ce6d572455d361153b7cb51da133945',
        timestamp: 1609073151345,
        ref: { channelId: 'feishu', chatId: 'oc_5ce6d572455d361153b7xx51da133945', userId: 'ou_84aad35d084aa403a838cf73ee18467' },
        parts: [{ kind: 'text', text: '@_user_1 hello' }],
      }),
    ]);
  });

  it('reads a Spanish direct message', async () => {
    const { events } = await normalized(feishu(), feishuRequest(fixture('feishu/im_message_receive_v1_p2p_es.json')));
    expect(events[0]).toMatchObject({
      type: 'message',
      parts: [{ kind: 'text', text: '¿Cuánto tarda el envío a Alemania?' }],
      ref: { chatId: 'oc_5ad11d72b830411d72b836c20' },
    });
  });

  it('keeps an image as a platform reference', async () => {
    const event = JSON.parse(fixture('feishu/im_message_receive_v1_p2p_es.json'));
    event.event.message.message_type = 'image';
    event.event.message.content = JSON.stringify({ image_key: 'img_7ea74629-9191-4176-998c-2e603c9c5e8g' });
    const { events } = await normalized(feishu(), feishuRequest(JSON.stringify(event)));
    expect(events[0]).toMatchObject({ type: 'message', parts: [{ kind: 'image', url: 'platform:img_7ea74629-9191-4176-998c-2e603c9c5e8g' }] });
  });

  it('answers the URL check, unsigned but encrypted and carrying the verification token', async () => {
    const check = JSON.parse(fixture('feishu/url_verification.json'));
    const ok = await normalized(feishu(), feishuRequest(JSON.stringify({ ...check, token: 'feishu-test-verification-token' }), { signed: false }));
    expect(ok).toEqual({
      ack: { status: 200, body: { challenge: 'ajls384kdjx98XX' }, headers: { 'content-type': 'application/json; charset=utf-8' } },
      events: [],
    });
    // The documented example's token is not ours, and a check encrypted with another key does not decrypt.
    expect(await feishu().verify(feishuRequest(JSON.stringify(check), { signed: false }))).toMatchObject({ ok: false, status: 401 });
    const otherKey = feishuRequest(JSON.stringify({ ...check, token: 'feishu-test-verification-token' }), { signed: false, key: 'other' });
    expect(await feishu().verify(otherKey)).toMatchObject({ ok: false, status: 401 });
  });

  it('acknowledges other event types and stores nothing', async () => {
    expect(await normalized(feishu(), feishuRequest(fixture('feishu/im_message_message_read_v1.json')))).toEqual({ ack: { status: 200 }, events: [] });
  });

  it('refuses an event without a chat id with 400 and the reason', async () => {
    const event = JSON.parse(fixture('feishu/im_message_receive_v1.json'));
    delete event.event.message.chat_id;
    expect(await refusal(feishu(), feishuRequest(JSON.stringify(event)))).toBe('Custom channel "feishu" cannot read this event: no chatId in the event.');
    expect(await refusal(feishu(), feishuRequest('not json'))).toMatch(/the decrypted body is not JSON/);
  });
});

describe('custom channel normalisation: DingTalk example', () => {
  it('reads the documented group message and keeps the session webhook', async () => {
    const { ack, events } = await normalized(dingtalk(), dingtalkRequest(fixture('dingtalk/receive_message_text_group.json')));
    expect(ack).toEqual({ status: 200 });
    expect(events).toEqual([
      expect.objectContaining({
        type: 'message',
        eventId: 'msg0xxxxx',
        timestamp: 1613630252678,
        senderName: '杨xx',
        parts: [{ kind: 'text', text: '你好' }],
        ref: {
          channelId: 'dingtalk',
          chatId: 'xxx',
          userId: 'user123',
          extra: { sessionWebhook: 'https://oapi.dingtalk.com/robot/sendBySession?session=xxxxx', sessionWebhookExpiredTime: 1613635652738 },
        },
      }),
    ]);
  });

  it('records a message it cannot read as a system event', async () => {
    const body = JSON.parse(fixture('dingtalk/receive_message_text_single_es.json'));
    body.msgtype = 'picture';
    delete body.text;
    const { events } = await normalized(dingtalk(), dingtalkRequest(JSON.stringify(body)));
    expect(events[0]).toMatchObject({ type: 'system', name: 'custom.unreadable', eventId: 'msgLJ9WnmvpFMD2k8yLkpZk3w==' });
  });

  it('refuses a body that is not JSON, or has no message id, with 400', async () => {
    expect(await refusal(dingtalk(), dingtalkRequest('{"msgId":'))).toMatch(/the body is not JSON/);
    expect(await refusal(dingtalk(), dingtalkRequest('{"conversationId":"c","senderId":"u"}'))).toMatch(/no eventId in the event/);
  });
});

describe('custom channel normalisation: expressions', () => {
  const block = (inbound: Record<string, unknown>) =>
    customConfigSchema.parse({
      inbound: { verify: { kind: 'none' }, eventId: 'id', userId: 'user', chatId: 'chat', ...inbound },
      outbound: { url: 'https://x.example/send', body: 'text' },
    });
  const req = (body: unknown): RawRequest => ({
    method: 'POST',
    url: '/webhooks/x',
    headers: { 'x-lang': 'es' },
    query: {},
    body: Buffer.from(JSON.stringify(body)),
  });

  it('reads attachments, language hints, headers and ISO timestamps', async () => {
    const adapter = createCustomAdapter(
      block({
        text: 'text',
        attachments: "files.{ 'url': link, 'mimeType': type, 'name': name }",
        language: '$header.`x-lang`',
        timestamp: 'at',
      }),
      fakeContext('x').ctx,
    );
    const { events } = await normalized(
      adapter,
      req({
        id: 7,
        user: 'u',
        chat: 'c',
        text: 'hola',
        at: '2026-01-01T00:00:00Z',
        files: [{ link: 'https://cdn.example/a.png', type: 'image/png', name: 'a.png' }, { link: 'javascript:alert(1)' }],
      }),
    );
    expect(events[0]).toMatchObject({
      eventId: '7',
      timestamp: NOW,
      hints: { locale: 'es' },
      parts: [
        { kind: 'text', text: 'hola' },
        { kind: 'image', url: 'https://cdn.example/a.png', mimeType: 'image/png', name: 'a.png' },
      ],
    });
  });

  it('stops an expression that runs too long, and refuses the event with 400', async () => {
    const adapter = createCustomAdapter(
      block({ text: '($f := function($n) { $n > 0 ? $f($n - 1) + $f($n - 1) : 1 }; $string($f(40)))' }),
      fakeContext('x').ctx,
    );
    const started = Date.now();
    const message = await refusal(adapter, req({ id: 1, user: 'u', chat: 'c' }));
    expect(message).toMatch(/inbound\.text: D101[12]: /);
    expect(Date.now() - started).toBeLessThan(EVAL_TIMEOUT_MS * 20);
  });
});
