/**
 * Fast, safe takeover: leases are short and renewed while their work runs. A turn longer than
 * the lease is never claimed by a second instance while its owner renews; once the owner stops
 * (it died), another instance claims the work within a lease. On SQLite and Postgres.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageEvent } from '../core/message.js';
import { silentLogger, systemClock } from '../core/ports.js';
import type { InboxItem, Store } from '../core/store.js';
import { SqlStore } from '../store/sql-store.js';
import { databases } from '../../test/support/databases.js';
import { createInbox } from './inbox.js';

const LEASE = 10_000;

function textEvent(eventId: string, chatId: string): MessageEvent {
  const ref = { channelId: 'webchat', chatId, userId: chatId };
  return { type: 'message', channelId: 'webchat', eventId, ref, timestamp: 1, parts: [{ kind: 'text', text: 'where is my parcel?' }] };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(databases)('lease renewal on $name', (database) => {
  let store: Store;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const db = database.open();
    store = new SqlStore(db.driver);
    cleanup = db.cleanup;
    await store.migrate();
  });
  afterAll(() => cleanup());

  async function conversationOf(chatId: string): Promise<string> {
    const shopper = await store.ensureShopper('webchat', chatId, 1);
    return (await store.ensureConversation(textEvent('x', chatId).ref, shopper.id, 1)).id;
  }

  it("keeps a renewed event from other instances, and frees it one lease after the owner's last renewal", async () => {
    await store.acceptInbound([textEvent('r1', 'r')], 0);
    const [item] = await store.claimInbox(0, LEASE, 10);
    expect(item?.eventId).toBe('r1');
    // The owner renews every 3 s for a turn four leases long; nobody else gets it meanwhile.
    for (let t = 3000; t <= 40_000; t += 3000) {
      expect(await store.renewInboxLeases([item?.id ?? 0], t, LEASE)).toBe(1);
      expect(await store.claimInbox(t + 2999, LEASE, 10)).toEqual([]);
    }
    // The owner dies right after its last renewal (t = 39 s): the lease runs to 49 s, and no longer.
    expect(await store.claimInbox(49_000, LEASE, 10)).toEqual([]);
    const [taken] = await store.claimInbox(49_001, LEASE, 10);
    expect(taken).toMatchObject({ id: item?.id, attempts: 2 });
    // The dead owner's turn commits nothing twice: whoever commits first closes the event.
    const conversationId = await conversationOf('r');
    expect((await store.commitTurn({ inboxId: taken?.id ?? 0, conversationId, messages: [] }, 60_000)).committed).toBe(true);
    expect((await store.commitTurn({ inboxId: item?.id ?? 0, conversationId, messages: [] }, 60_001)).committed).toBe(false);
    // A closed event is not renewed.
    expect(await store.renewInboxLeases([item?.id ?? 0], 60_002, LEASE)).toBe(0);
  });

  it("never shortens a failed turn's retry wait", async () => {
    await store.acceptInbound([textEvent('w1', 'w')], 0);
    const [item] = await store.claimInbox(0, LEASE, 10);
    await store.failInbox(item?.id ?? 0, 'model timed out', 64_000, 1000);
    expect(await store.renewInboxLeases([item?.id ?? 0], 2000, LEASE)).toBe(0);
    expect(await store.claimInbox(63_999, LEASE, 10)).toEqual([]);
    expect((await store.claimInbox(64_001, LEASE, 10)).map((i) => i.eventId)).toEqual(['w1']);
  });

  it('keeps a renewed outbox row from other instances until the owner stops renewing', async () => {
    const conversationId = await conversationOf('o');
    const parts = [{ kind: 'text' as const, text: 'on its way' }];
    await store.appendMessages(conversationId, [{ id: 'mo-1', role: 'bot', direction: 'out', parts, outbound: [{ parts }] }], 0);
    const [row] = (await store.claimOutbox(0, LEASE, 10)).filter((r) => r.conversationId === conversationId);
    expect(row?.messageId).toBe('mo-1');
    expect(await store.renewOutboxLeases([row?.id ?? 0], 9000, LEASE)).toBe(1);
    expect(await store.claimOutbox(18_000, LEASE, 10)).toEqual([]);
    const [taken] = await store.claimOutbox(19_001, LEASE, 10);
    expect(taken).toMatchObject({ id: row?.id, attempts: 2 });
    await store.recordDelivery(taken?.id ?? 0, { ok: true, platformIds: ['p1'] }, 19_002);
    expect(await store.renewOutboxLeases([row?.id ?? 0], 19_003, LEASE)).toBe(0); // sent: nothing to hold
  });

  it('runs a turn longer than the lease once, and hands a dead instance its turn within a lease', async () => {
    const lease = 500; // renewed every 166 ms: a busy machine's late tick does not lose it
    const ran: { instance: string; eventId: string; at: number }[] = [];
    const alive = { a: true };
    // Instance A neither renews nor claims once it "dies" (its turn never ends; a killed process's would not either).
    const storeOfA = new Proxy(store, {
      get(target, key) {
        if (key === 'renewInboxLeases' && !alive.a) return async () => 0;
        if (key === 'claimInbox' && !alive.a) return async () => [];
        const value = Reflect.get(target, key) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const options = { clock: systemClock, log: silentLogger, concurrency: 4, maxAttempts: 3, leaseMs: lease, pollMs: 20 };
    const a = createInbox({ ...options, store: storeOfA });
    const b = createInbox({ ...options, store });
    let hang: () => void = () => undefined;
    const turn = (instance: string) => async (item: InboxItem) => {
      ran.push({ instance, eventId: item.eventId, at: Date.now() });
      if (instance === 'a' && item.eventId === 'slow') await sleep(4 * lease);
      if (instance === 'a' && item.eventId === 'dies') await new Promise<void>((resolve) => (hang = resolve));
      const conversationId = await conversationOf(item.event.ref.chatId);
      await store.commitTurn({ inboxId: item.id, conversationId, messages: [] }, Date.now());
      return {};
    };
    a.start(turn('a'));
    b.start(turn('b'));

    // (a) A slow turn (four leases) on A: B polls all along and never runs it.
    expect((await a.accept([textEvent('slow', 'slow')])).map((i) => i.eventId)).toEqual(['slow']);
    await sleep(4 * lease + 200);
    expect(ran.filter((r) => r.eventId === 'slow').map((r) => r.instance)).toEqual(['a']);
    expect(await store.inboxStatus('webchat', 'slow')).toBe('done');

    // (b) A hangs on a turn and then dies: B runs it within a lease (and a poll) of the death.
    await a.accept([textEvent('dies', 'dies')]);
    await sleep(2 * lease);
    expect(ran.filter((r) => r.eventId === 'dies').map((r) => r.instance)).toEqual(['a']);
    alive.a = false;
    const died = Date.now();
    const takenOver = () => ran.find((r) => r.eventId === 'dies' && r.instance === 'b');
    for (let waited = 0; !takenOver() && waited < 3 * lease; waited += 20) await sleep(20);
    // Free one lease after A's last renewal, claimed at B's next poll (20 ms), with scheduling slack.
    expect((takenOver()?.at ?? Infinity) - died).toBeLessThanOrEqual(lease + 250);
    await sleep(100);
    expect(await store.inboxStatus('webchat', 'dies')).toBe('done');
    hang(); // the "dead" turn's late commit changes nothing
    await Promise.all([a.stop(), b.stop()]);
  });
});
