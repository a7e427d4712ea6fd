import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databases } from '../../test/support/databases.js';
import type { InboundEvent, Part } from '../core/message.js';
import { silentLogger } from '../core/ports.js';
import type { Store } from '../core/store.js';
import { HandoffStore } from '../handoff/store.js';
import { type SqlDriver, SqlStore } from '../store/index.js';
import { SqlTranslationMemory } from '../store/translation-memory.js';
import { createRetention, type RetentionSettings, withoutAttachments } from './retention.js';

const DAY = 86_400_000;
const NOW = Date.parse('2027-06-01T12:00:00Z');
const ago = (days: number) => NOW - days * DAY;

const policy: RetentionSettings = {
  messageText: 365 * DAY,
  attachments: 90 * DAY,
  translationMemory: 90 * DAY,
  closedConversations: 730 * DAY,
  deliveryRecords: 30 * DAY,
  every: 3_600_000,
  batchSize: 500,
  pauseMs: 200,
};

const event = (eventId: string, chatId: string): InboundEvent => ({
  type: 'message',
  channelId: 'telegram',
  eventId,
  ref: { channelId: 'telegram', chatId, userId: chatId },
  timestamp: 1,
  parts: [{ kind: 'text', text: 'hi' }],
});

describe.each(databases)('retention on $name', (database) => {
  let driver: SqlDriver;
  let cleanup: () => Promise<void>;
  let store: Store;
  let pauses: number[];

  beforeEach(async () => {
    ({ driver, cleanup } = database.open());
    store = new SqlStore(driver);
    await store.migrate();
    pauses = [];
  });
  afterEach(() => cleanup());

  const retention = (settings: Partial<RetentionSettings> = {}, onPause?: () => Promise<void>) =>
    createRetention({
      driver,
      clock: { now: () => NOW },
      log: silentLogger,
      settings: { ...policy, ...settings },
      leases: store,
      sleep: async (ms) => {
        pauses.push(ms);
        await onPause?.();
      },
    });

  async function conversation(chatId: string, createdDaysAgo: number) {
    const shopper = await store.ensureShopper('telegram', chatId, ago(createdDaysAgo));
    return store.ensureConversation({ channelId: 'telegram', chatId, userId: chatId }, shopper.id, ago(createdDaysAgo));
  }

  const text = (t: string): Part => ({ kind: 'text', text: t });
  const count = async (sql: string, params: (string | number)[] = []) => Number((await driver.get<{ n: number }>(sql, params))?.n);

  it('removes what is older than the policy and keeps what is recent', async () => {
    // A conversation in use: messages from 400, 100 and 1 days ago.
    const live = await conversation('live', 400);
    const photo: Part[] = [
      text('the box arrived broken'),
      { kind: 'image', url: 'platform:AgAD-photo', caption: 'see the corner' },
      { kind: 'location', latitude: 52.5, longitude: 13.4 },
    ];
    await store.appendMessages(
      live.id,
      [{ id: 'old', role: 'shopper', direction: 'in', parts: [text('my address is Hauptstraße 5')], originalText: 'my address is Hauptstraße 5' }],
      ago(400),
    );
    await store.appendMessages(live.id, [{ id: 'mid', role: 'shopper', direction: 'in', parts: photo, originalText: 'the box arrived broken' }], ago(100));
    await store.appendMessages(live.id, [{ id: 'new', role: 'shopper', direction: 'in', parts: photo, originalText: 'again' }], ago(1), { state: 'bot' });
    // Closed long ago; and as old, but an agent still owns it.
    const closed = await conversation('closed', 800);
    await store.appendMessages(closed.id, [{ id: 'closed-1', role: 'shopper', direction: 'in', parts: [text('bye')] }], ago(800));
    await new HandoffStore(driver).addNote({ id: 'note-closed', conversationId: closed.id, agentId: 'a1', text: 'n', createdAt: ago(800) });
    const owned = await conversation('owned', 800);
    await store.updateConversation(owned.id, { state: 'assigned' }, ago(800));
    // Delivery records: replies delivered 40 and 1 days ago, and one still waiting since 40 days.
    for (const [id, days] of [
      ['out-old', 40],
      ['out-new', 1],
      ['out-waiting', 40],
    ] as const) {
      await store.appendMessages(live.id, [{ id, role: 'bot', direction: 'out', parts: [text('ok')], outbound: [{ parts: [text('ok')] }] }], ago(days));
    }
    // One row of a conversation is in flight at a time: deliver them in turn, the last stays waiting.
    for (const days of [40, 1]) {
      const [item] = await store.claimOutbox(NOW, 60_000, 10);
      await store.recordDelivery(item?.id ?? 0, { ok: true, platformIds: ['p'] }, ago(days));
    }
    const [old, fresh] = [await store.acceptInbound([event('ev-old', 'live')], ago(40)), await store.acceptInbound([event('ev-new', 'live')], ago(1))];
    for (const accepted of [old, fresh]) {
      const [item] = accepted.accepted;
      await store.claimInbox(NOW, 60_000, 1);
      await store.commitTurn({ inboxId: item?.id ?? 0, conversationId: live.id, messages: [] }, item?.receivedAt ?? 0);
    }
    await store.acceptInbound([event('ev-waiting', 'live2')], ago(40));
    // Translation memory from 100 and 10 days ago; state that expired and state that did not.
    const memory = new SqlTranslationMemory(driver);
    await memory.put({ key: 'tm-old', provider: 'p', from: 'de', to: 'en', translated: 'x', conversationId: live.id }, ago(100));
    await memory.put({ key: 'tm-new', provider: 'p', from: 'de', to: 'en', translated: 'y', conversationId: live.id }, ago(10));
    await store.kvSet('orders:flow:gone', '{}', NOW - 1);
    await store.kvSet('orders:flow:kept', '{}', NOW + 1000);

    const removed = await retention().sweep();

    const parts = async (id: string) => (await store.listMessages(live.id, { limit: 50 })).find((m) => m.id === id);
    expect(await parts('old')).toMatchObject({ parts: [], seq: 1 });
    expect((await parts('old'))?.originalText).toBeUndefined();
    expect((await parts('mid'))?.parts).toEqual([text('the box arrived broken'), text('see the corner')]);
    expect((await parts('mid'))?.originalText).toBe('the box arrived broken');
    expect((await parts('new'))?.parts).toEqual(photo);
    expect(await store.getConversation(closed.id)).toBeUndefined();
    expect(await store.getConversation(owned.id)).toBeDefined();
    expect(await count('SELECT COUNT(*) AS n FROM console_notes')).toBe(0);
    expect((await store.listOutbox({ limit: 10 })).map((o) => o.messageId).sort()).toEqual(['out-new', 'out-waiting']);
    expect(await count('SELECT COUNT(*) AS n FROM delivery_attempts')).toBe(1);
    expect((await driver.all<{ event_id: string }>('SELECT event_id FROM inbox ORDER BY event_id')).map((r) => r.event_id)).toEqual(['ev-new', 'ev-waiting']);
    expect(await memory.get('tm-old')).toBeUndefined();
    expect(await memory.get('tm-new')).toBe('y');
    expect(await driver.all('SELECT key FROM translation_sources')).toEqual([{ key: 'tm-new' }]);
    expect(await driver.all('SELECT key FROM kv ORDER BY key')).toEqual([{ key: 'orders:flow:kept' }]);
    expect(removed).toMatchObject({
      expiredState: 1,
      deliveryAttempts: 1,
      outbox: 1,
      inboundEvents: 1,
      attachments: 1,
      messageText: 2,
      notes: 1,
      translationMemory: 1,
      translationSources: 1,
      conversations: 1,
      shoppers: 1,
    });
    // Nothing more to do: a second sweep removes nothing.
    expect(await retention().sweep()).toEqual({});
  });

  it('works through a backlog in batches, pausing between them, while turns go on', async () => {
    const memory = new SqlTranslationMemory(driver);
    for (let i = 0; i < 5; i++) await memory.put({ key: `k${i}`, provider: 'p', from: 'de', to: 'en', translated: `t${i}` }, ago(100));
    const seen: number[] = [];
    // Each pause lets other work in: an acknowledgement does not wait for the sweep to finish.
    const removed = await retention({ batchSize: 2 }, async () => {
      const { accepted } = await store.acceptInbound([event(`during-${pauses.length}`, 'c')], NOW);
      seen.push(accepted.length);
      seen.push(await count('SELECT COUNT(*) AS n FROM translation_memory'));
    }).sweep();
    expect(removed).toEqual({ translationMemory: 5 });
    expect(pauses).toEqual([200, 200]);
    expect(seen).toEqual([1, 3, 1, 1]);
  });

  it('deletes closed conversations a few at a time, near batchSize messages per batch', async () => {
    for (const chat of ['a', 'b', 'c']) {
      const conv = await conversation(chat, 800);
      await store.appendMessages(
        conv.id,
        [1, 2].map((n) => ({ id: `${chat}${n}`, role: 'shopper' as const, direction: 'in' as const, parts: [text('x')] })),
        ago(800),
      );
    }
    const off = { messageText: 0, attachments: 0, translationMemory: 0, deliveryRecords: 0 };
    expect(await retention({ ...off, batchSize: 2 }).sweep()).toEqual({ conversations: 3, shoppers: 3 });
    // Two messages per conversation, two per batch: one conversation a batch, then the shoppers 2 + 1.
    expect(pauses).toEqual([200, 200, 200]);
    expect(await count('SELECT COUNT(*) AS n FROM messages')).toBe(0);
  });

  it('keeps everything a setting turns off, and never touches open work', async () => {
    const conv = await conversation('c', 1000);
    await store.appendMessages(conv.id, [{ id: 'm', role: 'shopper', direction: 'in', parts: [text('keep me')] }], ago(1000));
    await new SqlTranslationMemory(driver).put({ key: 'k', provider: 'p', from: 'de', to: 'en', translated: 't' }, ago(1000));
    // An event of an idle conversation waits to be answered: the conversation is not closed.
    await store.acceptInbound([event('waiting', 'c')], ago(1000));
    const off = { messageText: 0, attachments: 0, translationMemory: 0, deliveryRecords: 0 };
    expect(await retention(off).sweep()).toEqual({});
    expect((await store.listMessages(conv.id, { limit: 5 }))[0]?.parts).toEqual([text('keep me')]);
    expect(await store.getConversation(conv.id)).toBeDefined();
  });
});

it('strips attachments and keeps their words as text', () => {
  expect(
    withoutAttachments([
      { kind: 'text', text: 'hi' },
      { kind: 'audio', url: 'platform:1', transcript: 'voice words' },
      { kind: 'sticker', id: 's1', emoji: '👍' },
      { kind: 'contact', name: 'Ana', phone: '+34600' },
      { kind: 'card', title: 'Mug', imageUrl: 'https://shop.example/mug.png' },
    ]),
  ).toEqual([
    { kind: 'text', text: 'hi' },
    { kind: 'text', text: 'voice words' },
    { kind: 'card', title: 'Mug', imageUrl: 'https://shop.example/mug.png' },
  ]);
});
