import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundEvent, MessageEvent } from '../core/message.js';
import type { SqlDriver } from './driver.js';
import { PostgresDriver } from './postgres.js';
import { SqlStore } from './sql-store.js';
import { SqliteDriver } from './sqlite.js';
import type { Store } from '../core/store.js';

export const POSTGRES_URL = process.env.PARLEY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

interface Backend {
  name: string;
  open(): Promise<{ store: Store; db: SqlDriver; cleanup(): Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: 'sqlite',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'parley-store-'));
      const db = new SqliteDriver({ path: join(dir, 'parley.db') });
      const store = new SqlStore(db);
      return { store, db, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'postgres',
    async open() {
      const schema = `parley_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
      const db = new PostgresDriver({ url: POSTGRES_URL, schema });
      const store = new SqlStore(db);
      return {
        store,
        db,
        cleanup: async () => {
          const admin = new PostgresDriver({ url: POSTGRES_URL });
          await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
          await admin.close();
        },
      };
    },
  },
];

function textEvent(eventId: string, chatId: string, text: string): MessageEvent {
  return {
    type: 'message',
    channelId: 'webchat',
    eventId,
    ref: { channelId: 'webchat', chatId, userId: chatId },
    timestamp: 1,
    parts: [{ kind: 'text', text }],
  };
}

describe.each(backends)('Store on $name', (backend) => {
  let store: Store;
  let db: SqlDriver;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ store, db, cleanup } = await backend.open());
    await store.migrate();
    await store.migrate(); // idempotent
  });
  afterAll(async () => {
    await store.close();
    await cleanup();
  });

  it('stores an inbound event once per (channel, event id)', async () => {
    const first = await store.acceptInbound([textEvent('e1', 'c1', 'hi')], 10);
    const again = await store.acceptInbound([textEvent('e1', 'c1', 'hi'), textEvent('e2', 'c1', 'there')], 11);
    expect(first.accepted.map((i) => i.eventId)).toEqual(['e1']);
    expect(again.accepted.map((i) => i.eventId)).toEqual(['e2']);
    expect(again.duplicates).toBe(1);
  });

  it('claims only the oldest open event of each conversation', async () => {
    await store.acceptInbound([textEvent('e3', 'c2', 'a')], 12);
    const claimed = await store.claimInbox(100, 1000, 10);
    expect(claimed.map((i) => i.eventId)).toEqual(['e1', 'e3']);
    expect(await store.claimInbox(100, 1000, 10)).toEqual([]);
    // A lease that ran out makes the event claimable again.
    expect((await store.claimInbox(5000, 1000, 10)).map((i) => i.eventId)).toEqual(['e1', 'e3']);
  });

  it('commits a turn exactly once, with messages in sequence and outbox rows', async () => {
    const shopper = await store.ensureShopper('webchat', 'c1', 1);
    expect((await store.ensureShopper('webchat', 'c1', 2)).id).toBe(shopper.id);
    const conv = await store.ensureConversation({ channelId: 'webchat', chatId: 'c1', userId: 'c1' }, shopper.id, 1);
    const [item] = await store.claimInbox(10_000, 1000, 1);
    expect(item?.eventId).toBe('e1');
    const turn = {
      inboxId: item?.id ?? 0,
      conversationId: conv.id,
      messages: [
        { id: 'm-in-1', role: 'shopper' as const, direction: 'in' as const, parts: [{ kind: 'text' as const, text: 'hi' }] },
        {
          id: 'm-out-1',
          role: 'bot' as const,
          direction: 'out' as const,
          parts: [{ kind: 'text' as const, text: 'hello' }],
          outbound: [{ parts: [{ kind: 'text' as const, text: 'hello' }] }],
        },
      ],
      conversation: { state: 'awaiting_agent' as const, language: 'en' },
    };
    const done = await store.commitTurn(turn, 20);
    expect(done.committed).toBe(true);
    expect(done.messages.map((m) => m.seq)).toEqual([1, 2]);
    expect((await store.commitTurn(turn, 21)).committed).toBe(false);
    expect((await store.listMessages(conv.id, { limit: 10 })).map((m) => m.id)).toEqual(['m-in-1', 'm-out-1']);
    expect((await store.listMessages(conv.id, { afterSeq: 1, limit: 10 })).map((m) => m.id)).toEqual(['m-out-1']);
    expect((await store.getConversation(conv.id))?.state).toBe('awaiting_agent');
    expect(await store.inboxStatus('webchat', 'e1')).toBe('done');
  });

  it('retries outbox rows, records every attempt and dead-letters with the reason', async () => {
    const [row] = await store.claimOutbox(100, 1000, 10);
    expect(row?.idempotencyKey).toBe('m-out-1:0');
    await store.recordDelivery(row?.id ?? 0, { ok: false, error: 'HTTP 502', reason: 'transient', retryAt: 200 }, 100);
    expect(await store.claimOutbox(150, 1000, 10)).toEqual([]);
    const [again] = await store.claimOutbox(200, 1000, 10);
    expect(again).toMatchObject({ attempts: 2, lastError: 'HTTP 502', lastReason: 'transient' });
    await store.recordDelivery(again?.id ?? 0, { ok: false, error: 'HTTP 400 chat not found', reason: 'invalid' }, 200);
    const dead = await store.listOutbox({ status: 'dead', limit: 10 });
    expect(dead.map((d) => [d.lastError, d.lastReason])).toEqual([['HTTP 400 chat not found', 'invalid']]);
    expect(await store.listOutbox({ status: 'dead', conversationId: row?.conversationId ?? '', limit: 10 })).toHaveLength(1);
    expect(await store.listOutbox({ status: 'dead', conversationId: 'another', limit: 10 })).toEqual([]);
    expect((await store.deliveryAttempts(row?.id ?? 0)).map((a) => [a.error, a.reason])).toEqual([
      ['HTTP 502', 'transient'],
      ['HTTP 400 chat not found', 'invalid'],
    ]);
  });

  it('re-sends a dead letter once, with fresh retries, and the message pending again', async () => {
    const [dead] = await store.listOutbox({ status: 'dead', limit: 1 });
    const id = dead?.id ?? 0;
    expect(await store.resendOutbox(id, 300)).toBe('queued');
    // Asking again while it waits changes nothing: one delivery, not two.
    expect(await store.resendOutbox(id, 301)).toBe('pending');
    expect(await store.resendOutbox(999_999, 301)).toBeUndefined();
    expect(await store.listOutbox({ status: 'dead', limit: 10 })).toEqual([]);
    const [claimed] = await store.claimOutbox(300, 1000, 10);
    expect(claimed).toMatchObject({ id, attempts: 1, status: 'sending' });
    expect((await store.listMessages(claimed?.conversationId ?? '', { limit: 10 })).find((m) => m.id === claimed?.messageId)?.status).toBe('pending');
    await store.recordDelivery(id, { ok: true, platformIds: ['p-1'] }, 310);
    expect(await store.resendOutbox(id, 320)).toBe('sent');
    expect(await store.claimOutbox(400, 1000, 10)).toEqual([]);
  });

  it('never moves a delivery status backwards', async () => {
    const shopper = await store.ensureShopper('webchat', 'c9', 1);
    const conv = await store.ensureConversation({ channelId: 'webchat', chatId: 'c9', userId: 'c9' }, shopper.id, 1);
    const { accepted } = await store.acceptInbound([textEvent('e9', 'c9', 'x') as InboundEvent], 1);
    await store.claimInbox(1, 1000, 10);
    await store.commitTurn(
      {
        inboxId: accepted[0]?.id ?? 0,
        conversationId: conv.id,
        messages: [{ id: 'm9', role: 'bot', direction: 'out', parts: [], platformMessageId: 'wamid.9' }],
      },
      2,
    );
    expect(await store.updateMessageStatus('wamid.9', 'read')).toBe(true);
    expect(await store.updateMessageStatus('wamid.9', 'delivered')).toBe(false);
    const [m] = await store.listMessages(conv.id, { limit: 1 });
    expect(m?.status).toBe('read');
  });

  it("claims a turn's reply in the turn's own commit, one row per conversation, in order", async () => {
    const shopper = await store.ensureShopper('webchat', 'c7', 1);
    const conv = await store.ensureConversation({ channelId: 'webchat', chatId: 'c7', userId: 'c7' }, shopper.id, 1);
    const reply = (n: number, holdUntil?: number) => ({
      inboxId: 0,
      conversationId: conv.id,
      messages: [
        {
          id: `m7-${n}`,
          role: 'bot' as const,
          direction: 'out' as const,
          parts: [],
          outbound: [{ parts: [{ kind: 'text' as const, text: `r${n}` }] }],
          ...(holdUntil ? { holdUntil } : {}),
        },
      ],
    });
    const turn = async (n: number, holdUntil?: number) => {
      const { accepted } = await store.acceptInbound([textEvent(`e7-${n}`, 'c7', 'x') as InboundEvent], 1);
      await store.claimInbox(1, 1000, 10);
      return store.commitTurn({ ...reply(n, holdUntil), inboxId: accepted[0]?.id ?? 0 }, 5, { claimOutbox: { leaseMs: 1000 } });
    };
    const first = await turn(1);
    expect(first.claimed.map((o) => [o.messageId, o.status, o.attempts])).toEqual([['m7-1', 'sending', 1]]);
    // The first reply is still in flight: the second waits its turn, and nobody else claims either.
    expect((await turn(2)).claimed).toEqual([]);
    expect((await store.claimOutbox(5, 1000, 10)).filter((o) => o.conversationId === conv.id)).toEqual([]);
    await store.recordDelivery(first.claimed[0]?.id ?? 0, { ok: true, platformIds: ['p1'] }, 6);
    expect((await store.deliveryAttempts(first.claimed[0]?.id ?? 0)).map((a) => a.ok)).toEqual([true]);
    const [next] = (await store.claimOutbox(12, 1000, 10)).filter((o) => o.conversationId === conv.id);
    expect(next?.messageId).toBe('m7-2');
    await store.recordDelivery(next?.id ?? 0, { ok: true, platformIds: ['p2'] }, 13);
    // A reply held back for a passive reply is not claimed early.
    expect((await turn(3, 1_000_000)).claimed).toEqual([]);
  });

  it("a shopper's first messages arriving at once make one shopper and one conversation", async () => {
    const ref = { channelId: 'telegram', chatId: 'first', userId: 'first' };
    // On Postgres these run on separate connections at the same time, as on several instances.
    const convs = await Promise.all(
      Array.from({ length: 6 }, async () => store.ensureConversation(ref, (await store.ensureShopper('telegram', 'first', 1, 'Ana')).id, 1)),
    );
    expect(new Set(convs.map((c) => c.id)).size).toBe(1);
    expect(new Set(convs.map((c) => c.shopperId)).size).toBe(1);
    const shoppers = await db.all<{ id: string }>('SELECT id FROM shoppers WHERE display_name = ?', ['Ana']);
    expect(shoppers.map((r) => r.id)).toEqual([convs[0]?.shopperId]);
  });

  it('claims only the first of a reply sent in two rows; the second goes out when the first is delivered', async () => {
    const shopper = await store.ensureShopper('webchat', 'c8', 1);
    const conv = await store.ensureConversation({ channelId: 'webchat', chatId: 'c8', userId: 'c8' }, shopper.id, 1);
    const { accepted } = await store.acceptInbound([textEvent('e8-1', 'c8', 'x') as InboundEvent], 1);
    await store.claimInbox(1, 1000, 10);
    const outbound = [{ parts: [{ kind: 'text' as const, text: 'one' }] }, { parts: [{ kind: 'text' as const, text: 'two' }] }];
    const turn = await store.commitTurn(
      { inboxId: accepted[0]?.id ?? 0, conversationId: conv.id, messages: [{ id: 'm8', role: 'bot', direction: 'out', parts: [], outbound }] },
      5,
      { claimOutbox: { leaseMs: 1000 } },
    );
    expect(turn.claimed.map((o) => [o.idempotencyKey, o.status, o.attempts])).toEqual([['m8:0', 'sending', 1]]);
    // Leased: the outbox's own claim leaves it alone until the lease runs out, then takes it over.
    expect((await store.claimOutbox(1004, 1000, 10)).filter((o) => o.conversationId === conv.id)).toEqual([]);
    const next = await store.recordDelivery(turn.claimed[0]?.id ?? 0, { ok: true, platformIds: ['p'] }, 6, { claimNext: { leaseMs: 1000 } });
    expect(next.map((o) => [o.idempotencyKey, o.status])).toEqual([['m8:1', 'sending']]);
  });

  it('claims an event in the commit that accepts it, and the next one in the commit that ends its turn', async () => {
    const claim = { claim: { leaseMs: 1000, limit: 10 } };
    const first = await store.acceptInbound([textEvent('h1', 'h', 'one'), textEvent('h2', 'h', 'two'), textEvent('g1', 'g', 'uno')], 100, claim);
    // One open event per conversation: h1 and g1 run now, h2 waits for h1.
    expect(first.claimed.map((i) => [i.eventId, i.attempts])).toEqual([
      ['h1', 1],
      ['g1', 1],
    ]);
    expect(first.accepted.map((i) => i.eventId)).toEqual(['h1', 'h2', 'g1']);
    const later = await store.acceptInbound([textEvent('h3', 'h', 'three')], 101, claim);
    expect(later.claimed).toEqual([]);
    // Nobody else may claim what was handed over, nor what waits behind it.
    expect((await store.claimInbox(102, 1000, 10)).filter((i) => i.convKey.endsWith(':h') || i.convKey.endsWith(':g'))).toEqual([]);
    const shopper = await store.ensureShopper('webchat', 'h', 1);
    const conv = await store.ensureConversation({ channelId: 'webchat', chatId: 'h', userId: 'h' }, shopper.id, 1);
    const done = await store.commitTurn({ inboxId: first.claimed[0]?.id ?? 0, conversationId: conv.id, messages: [] }, 103, {
      claimNext: { leaseMs: 1000, convKey: conv.key },
    });
    expect(done.next.map((i) => [i.eventId, i.attempts])).toEqual([['h2', 1]]);
    // The limit is the caller's free slots.
    const limited = await store.acceptInbound([textEvent('k1', 'k1', 'a'), textEvent('k2', 'k2', 'b')], 104, { claim: { leaseMs: 1000, limit: 1 } });
    expect(limited.claimed.map((i) => i.eventId)).toEqual(['k1']);
  });

  it("a final delivery outcome claims the conversation's next due row in the same commit", async () => {
    const shopper = await store.ensureShopper('webchat', 'd', 1);
    const conv = await store.ensureConversation({ channelId: 'webchat', chatId: 'd', userId: 'd' }, shopper.id, 1);
    const { accepted } = await store.acceptInbound([textEvent('d1', 'd', 'x')], 1, { claim: { leaseMs: 1000, limit: 1 } });
    const out = (n: number) => ({
      id: `md-${n}`,
      role: 'bot' as const,
      direction: 'out' as const,
      parts: [],
      outbound: [{ parts: [{ kind: 'text' as const, text: `r${n}` }] }],
    });
    const turn = await store.commitTurn({ inboxId: accepted[0]?.id ?? 0, conversationId: conv.id, messages: [out(1), out(2)] }, 5, {
      claimOutbox: { leaseMs: 1000 },
    });
    expect(turn.claimed.map((o) => o.messageId)).toEqual(['md-1']);
    const next = await store.recordDelivery(turn.claimed[0]?.id ?? 0, { ok: true, platformIds: ['p'] }, 6, { claimNext: { leaseMs: 1000 } });
    expect(next.map((o) => [o.messageId, o.status])).toEqual([['md-2', 'sending']]);
    // A retry keeps its place: nothing is handed on.
    expect(await store.recordDelivery(next[0]?.id ?? 0, { ok: false, error: 'HTTP 502', retryAt: 50 }, 7, { claimNext: { leaseMs: 1000 } })).toEqual([]);
  });

  it('gives a lease to one owner at a time until it runs out', async () => {
    expect(await store.acquireLease('tg:poll', 'a', 1000, 0)).toBe(true);
    expect(await store.acquireLease('tg:poll', 'b', 1000, 500)).toBe(false);
    expect(await store.acquireLease('tg:poll', 'a', 1000, 900)).toBe(true); // renewed to 1900
    expect(await store.acquireLease('tg:poll', 'b', 1000, 1500)).toBe(false);
    expect(await store.acquireLease('tg:poll', 'b', 1000, 2000)).toBe(true);
    await store.releaseLease('tg:poll', 'b');
    expect(await store.acquireLease('tg:poll', 'a', 1000, 2001)).toBe(true);
  });

  it('keeps state with an expiry', async () => {
    await store.kvSet('wechat:token', 'abc', 1000);
    expect(await store.kvGet('wechat:token', 999)).toBe('abc');
    expect(await store.kvGet('wechat:token', 1000)).toBeUndefined();
    await store.kvSet('wechat:token', 'def', undefined);
    expect(await store.kvGet('wechat:token', 5000)).toBe('def');
  });

  it('keeps the first value of a setting', async () => {
    expect(await store.initSetting('secret', 'a')).toBe('a');
    expect(await store.initSetting('secret', 'b')).toBe('a');
  });
});

describe('two gateway instances on one Postgres database', () => {
  const schema = `parley_test_${process.pid}_two_${Math.random().toString(36).slice(2, 8)}`;
  const a = new SqlStore(new PostgresDriver({ url: POSTGRES_URL, schema }));
  const b = new SqlStore(new PostgresDriver({ url: POSTGRES_URL, schema }));

  beforeAll(async () => {
    await a.migrate();
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    const admin = new PostgresDriver({ url: POSTGRES_URL });
    await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.close();
  });

  it('never both claim events of one conversation when they accept them at the same moment', async () => {
    const claim = { claim: { leaseMs: 60_000, limit: 10 } };
    for (let round = 0; round < 20; round++) {
      const chat = `race-${round}`;
      const [fromA, fromB] = await Promise.all([
        a.acceptInbound([textEvent(`${chat}-a`, chat, 'a')], 1, claim),
        b.acceptInbound([textEvent(`${chat}-b`, chat, 'b')], 1, claim),
      ]);
      expect(fromA.accepted.length + fromB.accepted.length).toBe(2);
      expect(fromA.claimed.length + fromB.claimed.length).toBe(1);
    }
  });
});
