import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databases, everyRow } from '../../test/support/databases.js';
import { SqlCareStore } from '../care/sql-store.js';
import { isParleyError } from '../core/errors.js';
import type { InboundEvent } from '../core/message.js';
import { silentLogger } from '../core/ports.js';
import type { Store } from '../core/store.js';
import { HandoffStore } from '../handoff/store.js';
import { createTranslationChain } from '../language/translate/translator.js';
import { type SqlDriver, SqlStore } from '../store/index.js';
import { SqlTranslationMemory } from '../store/translation-memory.js';
import { createPrivacy, type Privacy } from './service.js';

const T0 = Date.parse('2026-03-01T10:00:00Z');

/** What one shopper leaves behind, each value unique to them so a leftover is easy to spot. */
interface Person {
  ref: string;
  telegramId: string;
  webchatId: string;
  email: string;
  text: string;
  note: string;
}

const ana: Person = {
  ref: 'C-ANA',
  telegramId: 'tg-ana-4711',
  webchatId: 'sess-AbC',
  email: 'ana.erasable@example.com',
  text: 'Meine Adresse ist Hauptstraße 5',
  note: 'Ana prefers evening calls',
};
const ben: Person = {
  ref: 'C-BEN',
  telegramId: 'tg-ben-0815',
  // Differs from Ana's only in case: SQLite's LIKE would match it, the erasure must not.
  webchatId: 'sess-abc',
  email: 'ben.keeps@example.com',
  text: 'Wo ist mein Paket nach Lindenweg 9',
  note: 'Ben asked twice',
};

const message = (eventId: string, ref: InboundEvent['ref'], text: string): InboundEvent => ({
  type: 'message',
  channelId: ref.channelId,
  eventId,
  ref,
  timestamp: T0,
  parts: [{ kind: 'text', text }],
});

describe.each(databases)('erasure and export on $name', (database) => {
  let driver: SqlDriver;
  let cleanup: () => Promise<void>;
  let store: Store;
  let privacy: Privacy;
  let waits: number[];
  let now: number;

  beforeEach(async () => {
    ({ driver, cleanup } = database.open());
    store = new SqlStore(driver);
    await store.migrate();
    now = T0;
    waits = [];
    privacy = createPrivacy({ driver, clock: { now: () => now }, log: silentLogger, sleep: async (ms) => void waits.push(ms), busyWaitMs: 1000 });
  });
  afterEach(() => cleanup());

  /** Everything one shopper can leave in Parley's tables, written through the real stores. */
  async function footprint(p: Person) {
    const care = new SqlCareStore(driver);
    const handoffs = new HandoffStore(driver);
    const memory = new SqlTranslationMemory(driver);
    const translator = createTranslationChain([{ id: 'fake', translate: async (text) => ({ text: `EN ${text}` }) }], { workingLanguage: 'en', memory });
    const { shopper } = await care.linkCustomer(p.ref, [], now);
    await care.linkCustomer(p.ref, [{ channelId: 'telegram', platformUserId: p.telegramId }], now);
    await store.linkIdentity(shopper.id, 'webchat', p.webchatId, now);
    await care.patchProfile(shopper.id, { email: p.email, emailVerified: true }, now);
    const ref = { channelId: 'telegram', chatId: p.telegramId, userId: p.telegramId };
    const conv = await store.ensureConversation(ref, shopper.id, now);
    // A turn: the shopper's message, a translated reply with an outbox row, a delivery.
    const { claimed } = await store.acceptInbound([message(`${p.ref}-e1`, ref, p.text)], now, { claim: { leaseMs: 60_000, limit: 1 } });
    const inboxId = claimed[0]?.id ?? 0;
    const translated = await translator.translate(p.text, 'de', 'en', { conversationId: conv.id });
    const turn = await store.commitTurn(
      {
        inboxId,
        conversationId: conv.id,
        messages: [
          {
            id: `${p.ref}-m1`,
            role: 'shopper',
            direction: 'in',
            parts: [{ kind: 'text', text: p.text }],
            originalText: p.text,
            translatedText: translated.text,
          },
          {
            id: `${p.ref}-m2`,
            role: 'agent',
            direction: 'out',
            parts: [{ kind: 'text', text: `Re: ${p.text}` }],
            outbound: [{ parts: [{ kind: 'text', text: `Re: ${p.text}` }] }],
          },
        ],
        conversation: { state: 'assigned', lastInboundAt: now },
      },
      now,
    );
    expect(turn.committed).toBe(true);
    const [out] = await store.claimOutbox(now, 60_000, 10);
    if (out) await store.recordDelivery(out.id, { ok: true, platformIds: [`${p.ref}-platform-1`] }, now);
    // A message in a group chat that made no conversation of theirs, still waiting.
    await store.acceptInbound([message(`${p.ref}-e2`, { channelId: 'telegram', chatId: 'group-1', userId: p.telegramId }, `${p.text} (group)`)], now);
    await store.acceptInbound([message(`${p.ref}-e3`, { channelId: 'webchat', chatId: p.webchatId, userId: p.webchatId }, `${p.text} (web)`)], now);
    // Console: handoff, a note, the author of the reply, a rating, knowledge-base proposals.
    await handoffs.patchHandoff(conv.id, { reason: 'asked', upset: [0.9] }, now);
    await handoffs.addNote({ id: `${p.ref}-n1`, conversationId: conv.id, agentId: 'agent-1', text: p.note, createdAt: now });
    await handoffs.setAuthor(`${p.ref}-m2`, 'agent-1', 'en');
    await handoffs.addRating({ conversationId: conv.id, agentId: 'agent-1', rating: 5, comment: `${p.note} - thanks`, createdAt: now });
    const proposals = [randomUUID(), randomUUID()];
    for (const id of proposals) {
      await handoffs.addProposal({
        id,
        conversationId: conv.id,
        agentId: 'agent-1',
        question: p.text,
        title: 'Shipping',
        body: 'We ship in 2 days.',
        status: 'open',
        createdAt: now,
      });
    }
    await handoffs.reviewProposal(proposals[1] ?? '', 'applied', 'agent-1', now);
    // Care: a care message with its job and API answer, a feedback request.
    const careId = `${p.ref}-care-1`;
    await care.insertMessage({
      id: careId,
      kind: 'order.shipped',
      category: 'transactional',
      shopperId: shopper.id,
      customerRef: p.ref,
      payload: { template: 'order_shipped', vars: { name: p.note } },
      status: 'scheduled',
      attempts: 0,
      createdAt: now,
      updatedAt: now,
    });
    await care.addJob({ id: `deliver:${careId}:${now + 1000}`, kind: 'deliver', runAt: now + 1000, payload: { id: careId } }, now);
    await care.claimRequest(`events:key:${p.ref}`, 'h', now);
    await care.finishRequest(`events:key:${p.ref}`, 202, { event: 'order.shipped', messages: [{ id: careId }] });
    await care.insertFeedback({
      id: `${p.ref}-fb`,
      orderId: 'A-1',
      shopperId: shopper.id,
      conversationId: conv.id,
      channelId: 'telegram',
      status: 'done',
      requestedAt: now,
    });
    // Order verification, order help and channel membership state; a demo mail.
    await store.kvSet(`orders:otp:${conv.id}`, JSON.stringify({ orderId: 'A-1', hash: 'secret-hash', expiresAt: now + 1000, attempts: 0 }), now + 3_600_000);
    await store.kvSet(`orders:flow:${conv.id}`, JSON.stringify({ awaiting: 'number', intent: 'status', question: p.text }), now + 3_600_000);
    await store.kvSet(`orders:grant:${conv.id}:A-1`, '1', now + 3_600_000);
    await store.kvSet(`care:unreachable:telegram:${p.telegramId}`, 'blocked', undefined);
    await driver.run('INSERT INTO demo_mail (id, to_address, subject, body, created_at) VALUES (?, ?, ?, ?, ?)', [
      `${p.ref}-mail`,
      p.email,
      'Code',
      p.text,
      now,
    ]);
    return { shopper, conv, inboxId };
  }

  /** The unique traces of a person found anywhere in the database, per table. */
  async function traces(p: Person, ids: string[]): Promise<Record<string, string[]>> {
    const markers = [p.ref, p.telegramId, p.webchatId, p.email, p.text, p.note, ...ids];
    const found: Record<string, string[]> = {};
    for (const [table, rows] of await everyRow(driver)) {
      // `erasures` holds keyed hashes only; checked on its own below.
      const hits = markers.filter((m) => rows.includes(JSON.stringify(m).slice(1, -1)));
      if (hits.length) found[table] = hits;
    }
    return found;
  }

  it('erases one shopper from every table in one go, and leaves the others as they were', async () => {
    const a = await footprint(ana);
    const b = await footprint(ben);
    // Ben writes Ana's very words: the memory entry holds them, so it goes with Ana.
    const memory = new SqlTranslationMemory(driver);
    const translator = createTranslationChain([{ id: 'fake', translate: async (text) => ({ text: `EN ${text}` }) }], { workingLanguage: 'en', memory });
    await translator.translate(ana.text, 'de', 'en', { conversationId: b.conv.id });
    await translator.translate('Ben schreibt etwas eigenes', 'de', 'en', { conversationId: b.conv.id });
    expect(await driver.all('SELECT conversation_id FROM translation_sources WHERE conversation_id IN (?, ?)', [a.conv.id, b.conv.id])).toHaveLength(4);
    expect(Object.keys(await traces(ana, [a.shopper.id, a.conv.id])).length).toBeGreaterThan(15);
    const benBefore = await traces(ben, [b.shopper.id, b.conv.id]);

    const erasure = await privacy.erase({ by: 'ref', value: ana.ref }, 'api:test');

    expect(await traces(ana, [a.shopper.id, a.conv.id])).toEqual({});
    expect(await traces(ben, [b.shopper.id, b.conv.id])).toEqual(benBefore);
    expect(erasure.counts).toMatchObject({
      shoppers: 1,
      identities: 2,
      conversations: 1,
      messages: 2,
      inboundEvents: 3,
      outbox: 1,
      deliveryAttempts: 1,
      translationMemory: 1,
      handoffs: 1,
      notes: 1,
      ratings: 1,
      kbProposals: 2,
      careMessages: 1,
      scheduledJobs: 1,
      apiRequests: 1,
      feedback: 1,
      careProfiles: 1,
      state: 4,
      mails: 1,
    });
    // Ben's own translation stays; the audit record names no one.
    expect(await driver.all('SELECT translated_text FROM translation_memory ORDER BY translated_text')).toEqual([
      { translated_text: 'EN Ben schreibt etwas eigenes' },
      { translated_text: `EN ${ben.text}` },
    ]);
    const audit = await driver.all<Record<string, unknown>>('SELECT * FROM erasures');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ id: erasure.id, actor: 'api:test' });
    expect(JSON.stringify(audit)).not.toContain(a.shopper.id);
    expect(JSON.stringify(audit)).not.toContain(ana.ref);
  });

  it('answers a second erasure with "nothing held" and when it was erased', async () => {
    await footprint(ana);
    const first = await privacy.erase({ by: 'ref', value: ana.ref }, 'api:test');
    now += 60_000;
    const again = await privacy.erase({ by: 'ref', value: ana.ref }, 'api:test').catch((err: unknown) => err);
    expect(isParleyError(again, 'UNKNOWN_SHOPPER')).toBe(true);
    expect((again as Error).message).toContain(`erased at ${new Date(T0).toISOString()} (erasure ${first.id})`);
    const unknown = await privacy.erase({ by: 'ref', value: 'C-NOBODY' }, 'api:test').catch((err: unknown) => err);
    expect((unknown as Error).message).toContain('No shopper has customer ref "C-NOBODY"');
  });

  it('erases an anonymous shopper by shopper id', async () => {
    const shopper = await store.ensureShopper('telegram', 'anon-1', now);
    await store.ensureConversation({ channelId: 'telegram', chatId: 'anon-1', userId: 'anon-1' }, shopper.id, now);
    const erasure = await privacy.erase({ by: 'id', value: shopper.id }, 'agent:a1');
    expect(erasure.counts).toMatchObject({ shoppers: 1, identities: 1, conversations: 1 });
    const again = await privacy.erase({ by: 'id', value: shopper.id }, 'agent:a1').catch((err: unknown) => err);
    expect((again as Error).message).toContain('erased at');
  });

  it('waits for a turn in progress, then refuses with shopper_busy and erases nothing', async () => {
    const a = await footprint(ana);
    // Another message of Ana's is being answered right now (claimed, lease running).
    const ref = { channelId: 'telegram', chatId: ana.telegramId, userId: ana.telegramId };
    await store.acceptInbound([message('busy-1', ref, 'one more thing')], now, { claim: { leaseMs: 60_000, limit: 1 } });
    const data = async () => {
      const rows = await everyRow(driver);
      rows.delete('settings'); // the hash key, made on first use
      return rows;
    };
    const before = await data();

    const err = await privacy.erase({ by: 'ref', value: ana.ref }, 'api:test').catch((e: unknown) => e);

    expect(isParleyError(err, 'SHOPPER_BUSY')).toBe(true);
    expect(waits).toEqual([250, 250, 250]);
    expect(await data()).toEqual(before);
    expect(await store.getConversation(a.conv.id)).toBeDefined();
  });

  it('lets a turn that lost its lease end quietly after the erasure', async () => {
    const a = await footprint(ana);
    const ref = { channelId: 'telegram', chatId: ana.telegramId, userId: ana.telegramId };
    const { claimed } = await store.acceptInbound([message('stale-1', ref, 'hello?')], now, { claim: { leaseMs: 1000, limit: 1 } });
    now += 5000; // the process that claimed it is gone: its lease ran out
    await privacy.erase({ by: 'ref', value: ana.ref }, 'api:test');
    const late = await store.commitTurn({ inboxId: claimed[0]?.id ?? 0, conversationId: a.conv.id, messages: [] }, now);
    expect(late.committed).toBe(false);
  });

  it('exports everything held about the shopper, without the one-time-code hash', async () => {
    const a = await footprint(ana);
    await footprint(ben);
    const doc = await privacy.export({ by: 'ref', value: ana.ref });
    const text = JSON.stringify(doc);
    expect(doc.shopper).toMatchObject({ id: a.shopper.id, customerRef: ana.ref });
    expect(doc.identities.map((i) => i.platformUserId).sort()).toEqual([ana.webchatId, ana.telegramId].sort());
    expect(doc.profile).toMatchObject({ email: ana.email, emailVerified: true });
    const [conv] = doc.conversations;
    expect(conv?.messages.map((m) => m.originalText ?? m.parts)).toEqual([ana.text, [{ kind: 'text', text: `Re: ${ana.text}` }]]);
    expect(conv?.notes.map((n) => n.text)).toEqual([ana.note]);
    expect(conv?.deliveries).toMatchObject([{ status: 'sent', attempts: 1 }]);
    expect(doc.inboundEvents).toHaveLength(3);
    expect(doc.careMessages.map((m) => m.id)).toEqual(['C-ANA-care-1']);
    expect(doc.translationMemory).toMatchObject([{ provider: 'fake', from: 'de', to: 'en', translated: `EN ${ana.text}` }]);
    expect(doc.state.map((s) => s.key).sort()).toEqual(
      [`care:unreachable:telegram:${ana.telegramId}`, `orders:flow:${a.conv.id}`, `orders:grant:${a.conv.id}:A-1`, `orders:otp:${a.conv.id}`].sort(),
    );
    expect(text).not.toContain('secret-hash');
    expect(text).not.toContain(ben.text);
    expect(text).not.toContain(ben.webchatId);
  });
});
