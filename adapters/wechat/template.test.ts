import { describe, expect, it } from 'vitest';
import { createWechatAdapter } from './adapter.js';
import type { WechatConfig } from './config.js';
import { apiServer, fakeContext } from '../../test/support/wechat.js';

const envelope = { idempotencyKey: 'm1:0', messageId: 'm1', seq: 1, role: 'system' as const, attempt: 1, createdAt: 0 };
const ref = { channelId: 'wx', chatId: 'oShopper', userId: 'oShopper' };
const shipped = {
  parts: [{ kind: 'text' as const, text: 'Your order A-1042 has shipped.' }],
  template: { key: 'order_shipped', params: ['A-1042', '¥128.00', '顺丰速运'] },
};

describe('WeChat template messages outside the 48-hour window', () => {
  it('sends the configured template through the template API, fields filled in order', async () => {
    const server = await apiServer((req) =>
      req.path === '/cgi-bin/token' ? { body: { access_token: 'TOKEN', expires_in: 7200 } } : { body: { errcode: 0, errmsg: 'ok', msgid: 200228332 } },
    );
    const config: WechatConfig = {
      appId: 'wx123',
      appSecret: 's',
      token: 't',
      apiBaseUrl: server.url,
      replyBudgetMs: 4000,
      timestampWindowSec: 300,
      templates: {
        order_shipped: {
          templateId: 'ngqIpbwh8bUfcSsECmogfXcV14J0tQlEpBO27izEYtY',
          fields: ['orderId', 'amount', 'carrier'],
          url: 'https://shop.example/orders',
        },
      },
    };
    const adapter = createWechatAdapter(config, fakeContext());
    const payloads = adapter.outsideWindow?.(shipped, ref, { language: 'zh-CN', role: 'bot', now: 0 });
    expect(payloads).toBeDefined();
    const receipt = await adapter.deliver(ref, payloads ?? [], envelope);
    expect(receipt.platformMessageIds).toEqual(['200228332']);
    const sent = server.received.find((r) => r.path === '/cgi-bin/message/template/send');
    expect(sent?.query.get('access_token')).toBe('TOKEN');
    expect(JSON.parse(sent?.body ?? '{}')).toEqual({
      touser: 'oShopper',
      template_id: 'ngqIpbwh8bUfcSsECmogfXcV14J0tQlEpBO27izEYtY',
      url: 'https://shop.example/orders',
      data: { orderId: { value: 'A-1042' }, amount: { value: '¥128.00' }, carrier: { value: '顺丰速运' } },
    });
    expect(server.received.some((r) => r.path === '/cgi-bin/message/custom/send')).toBe(false);
    await server.close();
  });

  it('has nothing to send when no template is configured for the key (the outbox records why)', () => {
    const config: WechatConfig = {
      appId: 'wx123',
      appSecret: 's',
      token: 't',
      apiBaseUrl: 'http://127.0.0.1:9',
      replyBudgetMs: 4000,
      timestampWindowSec: 300,
      templates: {},
    };
    const adapter = createWechatAdapter(config, fakeContext());
    expect(adapter.outsideWindow?.(shipped, ref, { role: 'bot', now: 0 })).toBeUndefined();
    expect(adapter.outsideWindow?.({ parts: shipped.parts }, ref, { role: 'bot', now: 0 })).toBeUndefined();
  });
});
