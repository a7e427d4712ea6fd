import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/server/gateway.js';
import { makeSite, startTestGateway, type TestSite } from '../support/gateway.js';
import { type Answer, PlatformServer, type Received } from '../support/platform-server.js';
import { until } from '../support/webchat-client.js';
import { telegramWhatsAppYaml, WA, whatsappText } from '../support/local-channels.js';

const KEY = 'test-api-key-0123456789';
const TG_TOKEN = '123456:ABC-care_token';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function platformRoutes(req: Received): Answer {
  if (req.path.startsWith('/bot')) {
    if (req.path.endsWith('/sendMessage'))
      return { json: { ok: true, result: { message_id: Math.floor(Math.random() * 1e6), date: 1, chat: { id: 1, type: 'private' } } } };
    return { json: { ok: true, result: true } };
  }
  if (req.path === `/v21.0/${WA.pnid}/messages`) return { json: { messaging_product: 'whatsapp', messages: [{ id: `wamid.out${Math.random()}` }] } };
  return { status: 404, json: { error: 'unknown path in test server' } };
}

const careYaml = (api: string) => `
care:
  channelOrder: [wa, tg]
  quietHours: { start: "21:00", end: "08:00" }
  feedback: { delayDays: 3 }
  scheduler: { pollMs: 100 }
channels:
${telegramWhatsAppYaml(api, TG_TOKEN, ['    templates:', '      order_shipped: { name: order_shipped_v1, languages: { es: es, en: en_US, ja: ja } }'])}
`;

/** A clock the test moves. */
function testClock(start: string) {
  let t = Date.parse(start);
  return {
    now: () => t,
    set(iso: string) {
      t = Date.parse(iso);
    },
    advance(ms: number) {
      t += ms;
    },
  };
}

function api(gateway: Gateway, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  return fetch(`${gateway.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

const shipped = (ref: string, orderId: string, total: { amount: number; currency: string }, extra: Record<string, unknown> = {}) => ({
  type: 'order.shipped',
  customer: { ref, ...extra },
  order: {
    id: orderId,
    items: [{ name: 'Camiseta', quantity: 1 }],
    total,
    carrier: 'SEUR',
    trackingUrl: `https://track.example/${orderId}`,
    eta: '2026-11-24',
  },
});

/** Texts and template parameters of the WhatsApp messages sent to one number. */
const waTo = (platform: PlatformServer, to: string) => platform.calls(/\/messages$/).filter((c) => (c.json as { to?: string }).to === to);
const tgTo = (platform: PlatformServer, chat: string) =>
  platform.calls(/\/sendMessage$/).filter((c) => String((c.json as { chat_id?: unknown }).chat_id) === chat);

async function whatsappInbound(gateway: Gateway, from: string, text: string, at: number, id: string) {
  const { body, signature: sig } = whatsappText({ from, name: 'Lucía', id, text, at });
  const res = await fetch(`${gateway.url}/webhooks/wa`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': sig }, body });
  expect(res.status).toBe(200);
}

async function telegramInbound(gateway: Gateway, chat: number, text: string, updateId: number, at: number) {
  const update = {
    update_id: updateId,
    message: {
      message_id: updateId,
      date: Math.floor(at / 1000),
      chat: { id: chat, type: 'private' },
      from: { id: chat, is_bot: false, first_name: 'Kim', language_code: 'en' },
      text,
    },
  };
  const res = await fetch(`${gateway.url}/webhooks/tg`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'tg-secret' },
    body: JSON.stringify(update),
  });
  expect(res.status).toBe(200);
}

/** Lets every turn and delivery in flight finish, so a reply that should not come had its chance. */
async function settled(gateway: Gateway) {
  await gateway.idle();
  await new Promise((r) => setTimeout(r, 300));
  await gateway.idle();
}

describe('proactive care end to end: shop backend API in, platform APIs out', () => {
  let platform: PlatformServer;
  let site: TestSite;
  let gateway: Gateway;
  const clock = testClock('2026-11-20T10:00:00Z');

  beforeAll(async () => {
    platform = await new PlatformServer(platformRoutes).start();
    site = makeSite(careYaml(platform.url));
    gateway = await startTestGateway(site, { clock });
  }, 60_000);
  afterAll(async () => {
    await gateway?.close();
    await platform?.stop();
    site?.cleanup();
  });

  it('order.shipped twice with one Idempotency-Key: one WhatsApp template in Spanish, outside the 24-hour window', async () => {
    // Lucía chatted in Spanish two days ago: the 24-hour window has closed.
    const past = clock.now() - 2 * DAY;
    const shopper = await gateway.store.ensureShopper('wa', '34600111222', past);
    const conv = await gateway.store.ensureConversation({ channelId: 'wa', chatId: '34600111222', userId: '34600111222' }, shopper.id, past);
    await gateway.store.appendMessages(conv.id, [], past, { language: 'es', lastInboundAt: past });

    const link = await api(gateway, 'PUT', '/shoppers/C-ES-1/identities', [{ channelId: 'wa', platformUserId: '34600111222' }]);
    expect(link.status).toBe(200);
    expect((await link.json()).shopperId).toBe(shopper.id);

    const event = shipped('C-ES-1', 'A-1042', { amount: 12.9, currency: 'EUR' });
    const first = await api(gateway, 'POST', '/events', event, { 'idempotency-key': 'ship-A-1042' });
    const second = await api(gateway, 'POST', '/events', event, { 'idempotency-key': 'ship-A-1042' });
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    const body = await first.json();
    expect(await second.json()).toEqual(body);
    expect(body.messages[0]).toMatchObject({ kind: 'order.shipped', status: 'sent', channelId: 'wa', language: 'es' });

    const [sent] = await until(
      async () => waTo(platform, '34600111222'),
      (c) => c.length >= 1,
    );
    await new Promise((r) => setTimeout(r, 800));
    expect(waTo(platform, '34600111222')).toHaveLength(1);
    expect(sent?.json).toMatchObject({ type: 'template', template: { name: 'order_shipped_v1', language: { code: 'es' } } });
    const template = (sent?.json ?? {}) as { template?: { components?: { parameters: { text: string }[] }[] } };
    const params = template.template?.components?.[0]?.parameters.map((p) => p.text);
    expect(params).toEqual(['A-1042', '12,90\u00a0€', 'SEUR', 'martes, 24 de noviembre', 'https://track.example/A-1042']);

    const reused = await api(gateway, 'POST', '/events', { ...event, order: { ...event.order, carrier: 'MRW' } }, { 'idempotency-key': 'ship-A-1042' });
    expect(reused.status).toBe(422);
    expect((await reused.json()).error).toBe('idempotency_key_reused');
    expect(waTo(platform, '34600111222')).toHaveLength(1);

    const log = await (await api(gateway, 'GET', '/care/messages')).json();
    expect(log.messages.find((m: { id: string }) => m.id === body.messages[0].id)).toMatchObject({ status: 'sent', channelId: 'wa', orderId: 'A-1042' });
  });

  it('the same event for a Telegram shopper in Japanese arrives as a normal message with yen and a Japanese date', async () => {
    expect((await api(gateway, 'PUT', '/shoppers/C-JA-1/identities', [{ channelId: 'tg', platformUserId: '777' }])).status).toBe(200);
    const res = await api(gateway, 'POST', '/events', shipped('C-JA-1', 'J-7', { amount: 1200, currency: 'JPY' }, { language: 'ja' }), {
      'idempotency-key': 'ship-J-7',
    });
    expect(res.status).toBe(202);
    const [sent] = await until(
      async () => tgTo(platform, '777'),
      (c) => c.length >= 1,
    );
    const text = String((sent?.json as { text?: string } | undefined)?.text);
    expect(text).toContain('￥1,200');
    expect(text).toContain('11月24日(火)');
    expect(text).toContain('発送しました');
  });

  it('refuses bad input with a 4xx that names the problem', async () => {
    const unknownType = await api(gateway, 'POST', '/events', { type: 'order.lost', customer: { ref: 'C-ES-1' } });
    expect(unknownType.status).toBe(400);
    expect(await unknownType.json()).toMatchObject({ error: 'unknown_event_type', message: expect.stringMatching(/"order\.lost".*order\.shipped/) });

    const noOrderId = await api(gateway, 'POST', '/events', {
      type: 'order.paid',
      customer: { ref: 'C-ES-1' },
      order: { total: { amount: 5, currency: 'EUR' } },
    });
    expect(noOrderId.status).toBe(400);
    expect(await noOrderId.json()).toMatchObject({ error: 'invalid_event', message: expect.stringMatching(/order\.id: required/) });

    const nobody = await api(gateway, 'POST', '/events', shipped('C-NOBODY', 'X-1', { amount: 1, currency: 'EUR' }));
    expect(nobody.status).toBe(404);
    expect(await nobody.json()).toMatchObject({ error: 'unknown_shopper', message: expect.stringContaining('C-NOBODY') });

    const wrongKey = await api(gateway, 'POST', '/events', shipped('C-ES-1', 'A-1', { amount: 1, currency: 'EUR' }), {
      authorization: 'Bearer wrong-key-000000000000',
    });
    expect(wrongKey.status).toBe(401);
    expect((await wrongKey.json()).message).toMatch(/api\.keys/);

    const noTarget = await api(gateway, 'POST', '/messages', { text: 'hola' });
    expect(noTarget.status).toBe(400);
    expect((await noTarget.json()).message).toMatch(/customerRef or conversationId/);

    // A channel named in the body is unprocessable (422); in a webhook path it is not found (404).
    const nowhere = await api(gateway, 'PUT', '/shoppers/C-XX-1/identities', [{ channelId: 'nowhere', platformUserId: '1' }]);
    expect(nowhere.status).toBe(422);
    expect(await nowhere.json()).toMatchObject({ error: 'unknown_channel', message: expect.stringContaining('"nowhere"') });
    const webhook = await fetch(`${gateway.url}/webhooks/nowhere`, { method: 'POST', body: '{}' });
    expect(webhook.status).toBe(404);
    expect(await webhook.json()).toMatchObject({ error: 'unknown_channel' });
  });

  it("quiet hours defer a message to the morning of the shopper's time zone", async () => {
    clock.set('2026-11-20T22:30:00Z'); // 23:30 in Madrid
    await whatsappInbound(gateway, '34600333444', 'Hola, ¿cuándo llega mi pedido?', clock.now() - HOUR, 'wamid.Q1');
    await gateway.idle();
    expect((await api(gateway, 'PUT', '/shoppers/C-ES-2/identities', [{ channelId: 'wa', platformUserId: '34600333444' }])).status).toBe(200);
    expect((await api(gateway, 'PUT', '/shoppers/C-ES-2', { timezone: 'Europe/Madrid' })).status).toBe(200);
    const before = waTo(platform, '34600333444').length;

    const res = await api(gateway, 'POST', '/events', { type: 'order.out_for_delivery', customer: { ref: 'C-ES-2' }, order: { id: 'A-2000' } });
    expect((await res.json()).messages[0]).toMatchObject({ status: 'deferred', scheduledFor: '2026-11-21T07:00:00.000Z' });
    await new Promise((r) => setTimeout(r, 500));
    expect(waTo(platform, '34600333444')).toHaveLength(before);

    clock.set('2026-11-21T07:01:00Z'); // 08:01 in Madrid
    gateway.care.wake();
    const sent = await until(
      async () => waTo(platform, '34600333444'),
      (c) => c.length > before,
    );
    expect(JSON.stringify(sent.at(-1)?.json)).toMatch(/A-2000 está en reparto/);
  });

  it('an opted-out shopper gets no marketing message but still gets the delivery notice', async () => {
    clock.set('2026-11-21T10:00:00Z');
    expect((await api(gateway, 'PUT', '/shoppers/C-ES-2', { marketingOptIn: true })).status).toBe(200);
    const earlier = waTo(platform, '34600333444').length;
    await whatsappInbound(gateway, '34600333444', 'Baja', clock.now(), 'wamid.Q2');
    await until(
      async () => waTo(platform, '34600333444'),
      (c) => c.some((m) => JSON.stringify(m.json).includes('Te hemos dado de baja')),
    );
    await settled(gateway);
    // The confirmation, and no knowledge-base answer to "Baja".
    const replies = waTo(platform, '34600333444').slice(earlier);
    expect(replies.map((m) => JSON.stringify(m.json))).toEqual([expect.stringContaining('Te hemos dado de baja')]);
    const count = earlier + replies.length;

    const promo = await api(gateway, 'POST', '/messages', { customerRef: 'C-ES-2', text: 'Black Friday: 20% off everything!', marketing: true });
    expect(promo.status).toBe(202);
    expect((await promo.json()).message).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/^opted_out/) });

    const notice = await api(gateway, 'POST', '/events', {
      type: 'order.delivered',
      customer: { ref: 'C-ES-2' },
      order: { id: 'A-2001', deliveredAt: '2026-11-21' },
    });
    expect((await notice.json()).messages[0]).toMatchObject({ status: 'sent' });
    const after = await until(
      async () => waTo(platform, '34600333444'),
      (c) => c.length > count,
    );
    expect(after.map((m) => JSON.stringify(m.json)).join('\n')).not.toMatch(/Black Friday/);
    expect(JSON.stringify(after.at(-1)?.json)).toMatch(/A-2001 se entregó el sábado, 21 de noviembre/);
  });
});

describe('proactive care across a restart: the scheduled feedback request', () => {
  let platform: PlatformServer;
  let site: TestSite;
  const clock = testClock('2026-11-20T10:00:00Z');

  beforeAll(async () => {
    platform = await new PlatformServer(platformRoutes).start();
    site = makeSite(careYaml(platform.url));
  });
  afterAll(async () => {
    await platform?.stop();
    site?.cleanup();
  });

  it('survives a restart, is sent once, and the answer shows in the summary', async () => {
    const feedbackRequests = () => tgTo(platform, '888').filter((c) => String((c.json as { text: string }).text).includes('How was your order B-55'));
    let gateway = await startTestGateway(site, { clock });
    expect((await api(gateway, 'PUT', '/shoppers/C-EN-1/identities', [{ channelId: 'tg', platformUserId: '888' }])).status).toBe(200);
    const res = await api(gateway, 'POST', '/events', { type: 'order.delivered', customer: { ref: 'C-EN-1', language: 'en' }, order: { id: 'B-55' } });
    const body = await res.json();
    expect(body.messages[1]).toMatchObject({ id: 'feedback-B-55', status: 'scheduled', scheduledFor: '2026-11-23T10:00:00.000Z' });
    await gateway.close();

    clock.advance(3 * DAY + HOUR);
    gateway = await startTestGateway(site, { clock });
    const [request] = await until(
      async () => feedbackRequests(),
      (c) => c.length >= 1,
    );
    expect(JSON.stringify(request?.json)).toMatch(/5 ★ Excellent/);
    await gateway.close();

    gateway = await startTestGateway(site, { clock });
    await new Promise((r) => setTimeout(r, 600));
    expect(feedbackRequests()).toHaveLength(1);

    const tgTexts = (from: number) =>
      tgTo(platform, '888')
        .slice(from)
        .map((m) => String((m.json as { text: string }).text));
    const asked = tgTo(platform, '888').length;
    await telegramInbound(gateway, 888, '5', 5001, clock.now());
    await until(
      async () => tgTo(platform, '888'),
      (c) => c.some((m) => String((m.json as { text: string }).text).includes('anything you')),
    );
    await settled(gateway);
    // One reply to the rating, and no knowledge-base answer to "5".
    expect(tgTexts(asked)).toEqual([expect.stringContaining('anything you')]);
    await telegramInbound(gateway, 888, 'Great packaging, thanks!', 5002, clock.now());
    await until(
      async () => tgTo(platform, '888'),
      (c) => c.some((m) => String((m.json as { text: string }).text).includes('Thank you for your feedback')),
    );
    await settled(gateway);
    expect(tgTexts(asked + 1)).toEqual([expect.stringContaining('Thank you for your feedback')]);

    const feedback = await (await api(gateway, 'GET', '/care/feedback?orderId=B-55')).json();
    expect(feedback.feedback[0]).toMatchObject({ orderId: 'B-55', rating: 5, comment: 'Great packaging, thanks!', status: 'done' });
    const summary = await (await api(gateway, 'GET', '/care/feedback/summary')).json();
    expect(summary.summary).toEqual([{ channelId: 'tg', language: 'en', requests: 1, answers: 1, average: 5, distribution: [0, 0, 0, 0, 1] }]);
    await gateway.close();
  });
});
