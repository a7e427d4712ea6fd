import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelAdapter } from '../core/adapter.js';
import { richCapabilities } from '../core/capabilities.js';
import { ConversationBus } from '../core/events.js';
import { type InboundEvent, type MembershipEvent, plainText } from '../core/message.js';
import { createPipeline } from '../core/pipeline.js';
import { noTranslator, silentLogger } from '../core/ports.js';
import type { Outgoing } from '../core/send.js';
import { createLanguageDetector } from '../language/detector.js';
import { loadLocales } from '../language/i18n.js';
import { projectRoot } from '../server/gateway.js';
import { PostgresDriver, type SqlDriver, SqliteDriver, SqlStore } from '../store/index.js';
import { compose } from './compose.js';
import { deliverCare } from './deliver.js';
import type { CareDeps } from './deps.js';
import { formatDay, formatMoney } from './format.js';
import { createCareIntercept } from './intercept.js';
import { isOptOut, parseRating } from './optout.js';
import { recordMembership } from './route.js';
import { createScheduler } from './scheduler.js';
import { SqlCareStore } from './sql-store.js';
import { localMonthDay, nextYearly, quietUntil, zoneOfPhone } from './timezone.js';

describe('locale formatting', () => {
  it('formats amounts and days the way each locale writes them', () => {
    expect(formatMoney({ amount: 12.9, currency: 'EUR' }, 'es')).toBe('12,90\u00a0€');
    expect(formatMoney({ amount: 1200, currency: 'JPY' }, 'ja')).toBe('￥1,200');
    expect(formatDay('2026-11-24', 'es', 'Europe/Madrid')).toBe('martes, 24 de noviembre');
    expect(formatDay('2026-11-24', 'ja', 'Asia/Tokyo')).toBe('11月24日(火)');
    // An instant is a day in the shopper's zone: 23:30 UTC is already Wednesday in Tokyo.
    expect(formatDay('2026-11-24T23:30:00Z', 'ja', 'Asia/Tokyo')).toBe('11月25日(水)');
  });
});

describe('time zones and quiet hours', () => {
  it('defers to the end of quiet hours in the shopper zone, across midnight', () => {
    const quiet = { start: '21:00', end: '08:00' };
    expect(quietUntil(Date.parse('2026-11-20T22:30:00Z'), quiet, 'Europe/Madrid')).toBe(Date.parse('2026-11-21T07:00:00Z'));
    expect(quietUntil(Date.parse('2026-11-21T02:00:00Z'), quiet, 'Europe/Madrid')).toBe(Date.parse('2026-11-21T07:00:00Z'));
    expect(quietUntil(Date.parse('2026-11-20T12:00:00Z'), quiet, 'Europe/Madrid')).toBeUndefined();
    // 12:30 UTC is 21:30 in Tokyo: quiet until 08:00 Tokyo = 23:00 UTC.
    expect(quietUntil(Date.parse('2026-11-20T12:30:00Z'), quiet, 'Asia/Tokyo')).toBe(Date.parse('2026-11-20T23:00:00Z'));
  });

  it('finds a zone from a phone number and the next yearly date', () => {
    expect(zoneOfPhone('+34 600 111 222')).toBe('Europe/Madrid');
    expect(zoneOfPhone('81312345678')).toBe('Asia/Tokyo');
    expect(zoneOfPhone('+1 212 555 0100')).toBeUndefined();
    expect(localMonthDay(Date.parse('2026-11-20T23:30:00Z'), 'Asia/Tokyo')).toBe('11-21');
    expect(nextYearly('1990-03-05', '10:00', Date.parse('2026-11-20T00:00:00Z'), 'UTC')).toBe(Date.parse('2027-03-05T10:00:00Z'));
  });
});

describe('opt-out words and ratings', () => {
  it.each([
    'STOP',
    'stop.',
    '退订',
    'Baja',
    'abmelden',
    'désabonner',
    '停止',
    '配信停止',
    '수신거부',
    'Отписаться',
    'إلغاء الاشتراك',
    'berhenti',
    'ยกเลิก',
    'Hủy đăng ký',
    'durdur',
    'care.optout',
  ])('recognises %s', (word) => expect(isOptOut(word)).toBe(true));

  it('only a whole message counts', () => {
    expect(isOptOut('please stop sending the wrong size')).toBe(false);
    expect(isOptOut('Darme de baja', ['Darme de baja'])).toBe(true);
  });

  it('reads ratings from payloads, digits, labels and stars', () => {
    expect(parseRating('care.rating.4')).toBe(4);
    expect(parseRating('５')).toBe(5);
    expect(parseRating('⭐⭐⭐')).toBe(3);
    expect(parseRating('2 ★ fair', new Map([['2 ★ fair', 2]]))).toBe(2);
    expect(parseRating('thanks')).toBeUndefined();
    expect(parseRating('7')).toBeUndefined();
  });
});

describe('composing a care message', () => {
  it('interpolates the order data and fills the template parameters in order', async () => {
    const l = await loadLocales(join(projectRoot, 'locales'));
    const composed = compose(
      {
        template: 'order_shipped',
        vars: { orderId: 'A-1', total: { amount: 12.9, currency: 'EUR' }, carrier: 'SEUR', eta: '2026-11-24', trackingUrl: 'https://t.example/A-1' },
      },
      { locale: 'es', t: l.forLanguage('es'), timeZone: 'Europe/Madrid', marketing: false },
    );
    expect(composed.parts[0]).toEqual({
      kind: 'text',
      text: expect.stringContaining('Tu pedido A-1 (12,90\u00a0€) ya está en camino con SEUR. Entrega prevista: martes, 24 de noviembre'),
    });
    expect(composed.template).toEqual({ key: 'order_shipped', params: ['A-1', '12,90\u00a0€', 'SEUR', 'martes, 24 de noviembre', 'https://t.example/A-1'] });
    const promo = compose(
      { template: 'customer_birthday', vars: { name: 'Ana' } },
      { locale: 'de', t: l.forLanguage('de'), timeZone: 'UTC', marketing: true, capabilities: richCapabilities },
    );
    expect(promo.parts.at(-1)).toEqual({ kind: 'choices', choices: [{ label: 'Abmelden', payload: 'care.optout' }] });
  });
});

const POSTGRES_URL = process.env.PARLEY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const backends: [string, () => { driver: SqlDriver; cleanup(): Promise<void> }][] = [
  [
    'sqlite',
    () => {
      const driver = new SqliteDriver({ path: ':memory:' });
      return { driver, cleanup: () => driver.close() };
    },
  ],
  [
    'postgres',
    () => {
      const schema = `parley_care_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
      const driver = new PostgresDriver({ url: POSTGRES_URL, schema });
      return {
        driver,
        async cleanup() {
          await driver.close();
          const admin = new PostgresDriver({ url: POSTGRES_URL });
          await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
          await admin.close();
        },
      };
    },
  ],
];

describe.each(backends)('delivery decisions on a real store (%s)', (_name, open) => {
  let driver: SqlDriver;
  let cleanup: () => Promise<void>;
  let deps: CareDeps;
  let sent: { conversationId: string; out: Outgoing }[];
  let now: number;

  /** A channel with WeChat's 48-hour window and no template API. */
  const wechatLike = {
    type: 'wechat',
    id: 'wx',
    capabilities: { ...richCapabilities, messagingWindowMs: 48 * 3_600_000, pushByUserId: true },
  } as unknown as ChannelAdapter;
  const telegramLike = { type: 'telegram', id: 'tg', capabilities: { ...richCapabilities, pushByUserId: true } } as unknown as ChannelAdapter;

  beforeEach(async () => {
    ({ driver, cleanup } = open());
    const store = new SqlStore(driver);
    await store.migrate();
    sent = [];
    now = Date.parse('2026-11-20T10:00:00Z');
    const channels = new Map([
      ['wx', wechatLike],
      ['tg', telegramLike],
    ]);
    deps = {
      store,
      care: new SqlCareStore(driver),
      send: async (conversationId, out) => {
        sent.push({ conversationId, out });
        const conversation = await store.getConversation(conversationId);
        if (!conversation) throw new Error(`no conversation ${conversationId}`);
        return { conversation, messages: [] };
      },
      channel: (id) => channels.get(id),
      channelIds: () => [...channels.keys()],
      localizer: await loadLocales(join(projectRoot, 'locales')),
      settings: {
        channelOrder: ['wx', 'tg'],
        marketing: { maxPerWeek: 1 },
        feedback: { enabled: true, delayDays: 3, answerWindowDays: 14 },
        greetingTime: '10:00',
        scheduler: { pollMs: 20, concurrency: 2, leaseMs: 1000, maxAttempts: 3 },
      },
      shop: { timezone: 'UTC', defaultLanguage: 'en', workingLanguage: 'en' },
      clock: { now: () => now },
      log: silentLogger,
      bus: new ConversationBus(),
    };
  });
  afterEach(() => cleanup());

  async function message(id: string, shopperId: string, category: 'transactional' | 'marketing') {
    await deps.care.insertMessage({
      id,
      kind: 'message',
      category,
      shopperId,
      payload: { template: 'care_message', vars: {}, text: 'Hello', textLanguage: 'en' },
      status: 'scheduled',
      attempts: 0,
      createdAt: now,
      updatedAt: now,
    });
  }

  it('holds and reports a message a closed WeChat window cannot carry, and falls back to the next channel', async () => {
    const { shopper } = await deps.care.linkCustomer('C-1', [{ channelId: 'wx', platformUserId: 'oWX1' }], now);
    await message('m1', shopper.id, 'transactional');
    const held = await deliverCare(deps, 'm1');
    expect(held).toMatchObject({
      status: 'held',
      reason: expect.stringMatching(/wx: the 48-hour messaging window is closed and the channel has no template message API/),
    });
    expect(sent).toHaveLength(0);

    await deps.care.linkCustomer('C-1', [{ channelId: 'tg', platformUserId: '42' }], now);
    await message('m2', shopper.id, 'transactional');
    expect(await deliverCare(deps, 'm2')).toMatchObject({ status: 'sent', channelId: 'tg' });
    expect(sent[0]?.out).toMatchObject({ id: 'care:m2:0', template: { key: 'care_message', params: ['Hello'] } });
  });

  it('sends nothing on a channel the shopper unfollowed or blocked, until they follow it again', async () => {
    const { shopper } = await deps.care.linkCustomer('C-3', [{ channelId: 'tg', platformUserId: '44' }], now);
    const membership = (change: MembershipEvent['change']): MembershipEvent => ({
      type: 'membership',
      change,
      channelId: 'tg',
      eventId: `mb-${change}`,
      ref: { channelId: 'tg', chatId: '44', userId: '44' },
      timestamp: now,
    });
    await recordMembership(deps, membership('blocked'));
    await message('b1', shopper.id, 'transactional');
    expect(await deliverCare(deps, 'b1')).not.toMatchObject({ status: 'sent' });
    expect(sent).toHaveLength(0);
    await recordMembership(deps, membership('unblocked'));
    await message('b2', shopper.id, 'transactional');
    expect(await deliverCare(deps, 'b2')).toMatchObject({ status: 'sent', channelId: 'tg' });
  });

  it('needs opt-in for marketing and caps it per week', async () => {
    const { shopper } = await deps.care.linkCustomer('C-2', [{ channelId: 'tg', platformUserId: '43' }], now);
    await message('p1', shopper.id, 'marketing');
    expect(await deliverCare(deps, 'p1')).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/^no_consent/) });
    await deps.care.patchProfile(shopper.id, { marketingOptIn: true }, now);
    await message('p2', shopper.id, 'marketing');
    await message('p3', shopper.id, 'marketing');
    expect(await deliverCare(deps, 'p2')).toMatchObject({ status: 'sent' });
    expect(await deliverCare(deps, 'p3')).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/^frequency_cap/) });
    expect(sent).toHaveLength(1);
  });

  it('runs a due job once, even when the process dies after claiming it', async () => {
    const runs: string[] = [];
    await deps.care.addJob({ id: 'j1', kind: 'ping', runAt: now + 1000, payload: {} }, now);
    expect(await deps.care.addJob({ id: 'j1', kind: 'ping', runAt: now + 1000, payload: {} }, now)).toBe(false);
    expect(await deps.care.claimJobs(now, 1000, 10)).toEqual([]);
    now += 1000;
    expect(await deps.care.claimJobs(now, 1000, 10)).toHaveLength(1); // claimed, then "crashed"
    expect(await deps.care.claimJobs(now, 1000, 10)).toHaveLength(0);
    await deps.care.releaseJobLeases();
    const scheduler = createScheduler(deps, { ping: async (job) => void runs.push(job.id) });
    scheduler.start();
    await new Promise((r) => setTimeout(r, 100));
    await scheduler.stop();
    expect(runs).toEqual(['j1']);
    expect((await deps.care.listJobs({ limit: 10 }))[0]).toMatchObject({ id: 'j1', status: 'done' });
  });

  it("keeps a renewed job from other instances, and frees it one lease after the owner's last renewal", async () => {
    await deps.care.addJob({ id: 'j2', kind: 'ping', runAt: now, payload: {} }, now);
    const [job] = await deps.care.claimJobs(now, 1000, 10);
    expect(job?.id).toBe('j2');
    for (let t = now + 300; t <= now + 3000; t += 300) {
      expect(await deps.care.renewJobLeases(['j2'], t, 1000)).toBe(1);
      expect(await deps.care.claimJobs(t + 999, 1000, 10)).toEqual([]);
    }
    // The owner's last renewal was at now + 3000: the lease runs to now + 4000, and no longer.
    expect(await deps.care.claimJobs(now + 4000, 1000, 10)).toEqual([]);
    expect(await deps.care.claimJobs(now + 4001, 1000, 10)).toMatchObject([{ id: 'j2', attempts: 2 }]);
    await deps.care.completeJob('j2', now + 4002);
    expect(await deps.care.renewJobLeases(['j2'], now + 4003, 1000)).toBe(0);
  });

  it('answers an opt-out and a rating reply itself: one reply each, no knowledge-base answer', async () => {
    const asked: string[] = [];
    const care = createCareIntercept(deps);
    const pipeline = createPipeline({
      store: deps.store,
      channel: deps.channel,
      answerer: { answer: async (r) => (asked.push(r.text), { parts: [{ kind: 'text', text: 'From the knowledge base' }], confidence: 1, sources: [] }) },
      detector: createLanguageDetector({ languages: ['en', 'es'], defaultLanguage: 'en' }),
      translator: noTranslator,
      localize: (l) => deps.localizer.forLanguage(l),
      shop: { workingLanguage: 'es', defaultLanguage: 'en' },
      clock: deps.clock,
      log: silentLogger,
      intercept: (turn) => care.intercept(turn),
    });
    const ref = { channelId: 'tg', chatId: '44', userId: '44' };
    const shopper = await deps.store.ensureShopper('tg', '44', now);
    const conv = await deps.store.ensureConversation(ref, shopper.id, now);
    await deps.store.appendMessages(conv.id, [], now, { language: 'es' });
    await deps.care.patchProfile(shopper.id, { marketingOptIn: true }, now);
    let seen = 0;
    /** The bot messages the shopper got for one message. */
    async function say(text: string): Promise<string[]> {
      const event: InboundEvent = { type: 'message', channelId: 'tg', eventId: `e-${text}`, ref, timestamp: now, parts: [{ kind: 'text', text }] };
      await deps.store.acceptInbound([event], now);
      for (const item of await deps.store.claimInbox(now, 1000, 10)) await pipeline.runTurn(item);
      const bot = (await deps.store.listMessages(conv.id, { limit: 100 })).filter((m) => m.role === 'bot');
      const fresh = bot.slice(seen).map((m) => plainText(m.parts));
      seen = bot.length;
      return fresh;
    }

    expect(await say('Baja')).toEqual([expect.stringContaining('Te hemos dado de baja')]);
    expect(await deps.care.getProfile(shopper.id)).toMatchObject({ marketingOptIn: false, optedOutAt: now });

    await deps.care.insertFeedback({
      id: 'fb-A-1',
      orderId: 'A-1',
      conversationId: conv.id,
      channelId: 'tg',
      language: 'es',
      status: 'awaiting_rating',
      requestedAt: now,
    });
    expect(await say('5')).toEqual([expect.stringContaining('¿Quieres contarnos algo más')]);
    expect(await say('Llegó rápido y bien embalado')).toEqual([expect.stringContaining('Gracias por tu opinión')]);
    expect(await deps.care.listFeedback({ orderId: 'A-1', limit: 1 })).toMatchObject([{ rating: 5, comment: 'Llegó rápido y bien embalado', status: 'done' }]);
    expect(asked).toEqual([]);

    // Nothing open any more: the bot answers again.
    expect(await say('¿Hacéis envíos a Canarias?')).toEqual(['From the knowledge base']);
    expect(asked).toEqual(['¿Hacéis envíos a Canarias?']);
  });

  it('records a rating once when its turn is retried after a crash, and replies the same', async () => {
    const care = createCareIntercept(deps);
    const ref = { channelId: 'tg', chatId: '45', userId: '45' };
    const shopper = await deps.store.ensureShopper('tg', '45', now);
    const conversation = await deps.store.ensureConversation(ref, shopper.id, now);
    await deps.care.insertFeedback({
      id: 'fb-B-1',
      orderId: 'B-1',
      conversationId: conversation.id,
      channelId: 'tg',
      language: 'es',
      status: 'awaiting_rating',
      requestedAt: now,
    });
    // The same shopper message twice: its turn ran, the process died before the turn committed, and it ran again.
    const rating = { conversation, text: '4', language: 'es', messageId: 'm7-in' };
    const first = await care.intercept(rating);
    const again = await care.intercept(rating);
    expect(again).toEqual(first);
    expect(first?.reply).toEqual([{ kind: 'text', text: expect.stringContaining('¿Quieres contarnos algo más') }]);
    expect(await deps.care.listFeedback({ orderId: 'B-1', limit: 1 })).toMatchObject([{ rating: 4, status: 'awaiting_comment' }]);
    expect((await deps.care.listFeedback({ orderId: 'B-1', limit: 1 }))[0]?.comment).toBeUndefined();

    const comment = { conversation, text: 'Todo perfecto', language: 'es', messageId: 'm8-in' };
    const thanks = await care.intercept(comment);
    expect(await care.intercept(comment)).toEqual(thanks);
    expect(await deps.care.listFeedback({ orderId: 'B-1', limit: 1 })).toMatchObject([{ rating: 4, comment: 'Todo perfecto', status: 'done' }]);
    // A new message is no answer any more: the bot gets it.
    expect(await care.intercept({ conversation, text: 'Otra pregunta', language: 'es', messageId: 'm9-in' })).toBeUndefined();
  });

  it('remembers an idempotency key with its body hash and answer', async () => {
    expect(await deps.care.claimRequest('events:key:k1', 'h1', now)).toBeUndefined();
    expect(await deps.care.claimRequest('events:key:k1', 'h1', now)).toEqual({ bodyHash: 'h1', status: 0 });
    await deps.care.finishRequest('events:key:k1', 202, { ok: true });
    expect(await deps.care.claimRequest('events:key:k1', 'h2', now)).toEqual({ bodyHash: 'h1', status: 202, response: { ok: true } });
  });
});
