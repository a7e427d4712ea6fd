/**
 * Two gateway instances on one database: what one instance's consoles say about an agent, the
 * other reads; an instance killed outright takes its agents offline by itself; two instances'
 * auto-assignment passes at once never give one conversation twice nor an agent too many.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationBus } from '../core/events.js';
import { noTranslator, silentLogger } from '../core/ports.js';
import { createSender } from '../core/send.js';
import type { SqlDriver } from '../store/driver.js';
import { PostgresDriver } from '../store/postgres.js';
import { SqlStore } from '../store/sql-store.js';
import { SqliteDriver } from '../store/sqlite.js';
import { handoffSchema } from './config.js';
import { AgentPresence } from './presence.js';
import { createHandoffService } from './service.js';
import { HandoffStore } from './store.js';

const POSTGRES_URL = process.env.PARLEY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Two connections to one database, as two instances have: two pools on one Postgres schema; one SQLite file. */
const backends = [
  {
    name: 'sqlite',
    open() {
      const dir = mkdtempSync(join(tmpdir(), 'parley-presence-'));
      const driver = new SqliteDriver({ path: join(dir, 'parley.db') });
      return {
        drivers: [driver, driver] as SqlDriver[],
        async cleanup() {
          await driver.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'postgres',
    open() {
      const schema = `parley_presence_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
      const drivers: SqlDriver[] = [new PostgresDriver({ url: POSTGRES_URL, schema }), new PostgresDriver({ url: POSTGRES_URL, schema })];
      return {
        drivers,
        async cleanup() {
          for (const d of drivers) await d.close();
          const admin = new PostgresDriver({ url: POSTGRES_URL });
          await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
          await admin.close();
        },
      };
    },
  },
];

describe.each(backends)('agents across instances on $name', (backend) => {
  let drivers: SqlDriver[];
  let cleanup: () => Promise<void>;
  let t: number;
  const now = () => t;
  const presenceOn = (driver: SqlDriver, instanceId: string) => new AgentPresence({ driver, instanceId, now, log: silentLogger, everyMs: 1000 });

  beforeEach(async () => {
    ({ drivers, cleanup } = backend.open());
    await new SqlStore(drivers[0] as SqlDriver).migrate();
    t = 1_000_000;
  });
  afterEach(async () => cleanup());

  it("reads on one instance the sockets and away status of an agent's consoles on the other", async () => {
    const [a, b] = [presenceOn(drivers[0] as SqlDriver, 'A'), presenceOn(drivers[1] as SqlDriver, 'B')];
    await a.change('li', { sockets: 1 });
    expect(await b.isOnline('li')).toBe(true);
    expect(await b.online()).toEqual(new Set(['li']));
    // Away set through B, where Li has no console open, holds on A; and on a console Li opens later.
    await b.change('li', { away: true });
    expect(await a.isOnline('li')).toBe(false);
    await b.change('li', { sockets: 1 });
    expect(await a.isOnline('li')).toBe(false);
    await a.change('li', { away: false });
    expect(await b.isOnline('li')).toBe(true);
    // Online while any console is open, on any instance.
    await a.change('li', { sockets: -1 });
    expect(await a.isOnline('li')).toBe(true);
    await b.change('li', { sockets: -1 });
    expect(await a.isOnline('li')).toBe(false);
    expect(await a.online()).toEqual(new Set());
  });

  it("takes a killed instance's agents offline one TTL after its last refresh; a live one's stay, a stopped one's go at once", async () => {
    const [killed, live] = [presenceOn(drivers[0] as SqlDriver, 'killed'), presenceOn(drivers[1] as SqlDriver, 'live')];
    expect(live.ttlMs).toBe(3000);
    await killed.change('mei', { sockets: 1 });
    await live.change('zoe', { sockets: 1 });
    // From here `killed` neither refreshes nor stops: its process is gone.
    for (let i = 0; i < 3; i++) {
      t += 1000;
      await live.refresh();
      expect(await live.online()).toEqual(new Set(['mei', 'zoe']));
    }
    t += 1;
    expect(await live.online()).toEqual(new Set(['zoe']));
    await live.refresh();
    expect(await drivers[1]?.all('SELECT agent_id FROM agent_presence')).toEqual([{ agent_id: 'zoe' }]);
    // A graceful stop removes the instance's rows: no wait for the TTL.
    await live.stop();
    expect(await killed.isOnline('zoe')).toBe(false);
    expect(await drivers[0]?.all('SELECT agent_id FROM agent_presence')).toEqual([]);
  });

  it('gives a queued conversation to one of several racing claims, and to nobody once it changed', async () => {
    const store = new SqlStore(drivers[0] as SqlDriver);
    const shopper = await store.ensureShopper('webchat', 'u1', t);
    const conv = await store.ensureConversation({ channelId: 'webchat', chatId: 'c1', userId: 'u1' }, shopper.id, t);
    await store.updateConversation(conv.id, { state: 'awaiting_agent' }, t);
    const stores = drivers.map((d) => new HandoffStore(d));
    const claims = await Promise.all(Array.from({ length: 8 }, (_, i) => stores[i % 2]?.claim(conv.id, `agent-${i}`, { state: 'awaiting_agent' }, t, t)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    const winner = `agent-${claims.indexOf(true)}`;
    expect((await stores[0]?.getHandoff(conv.id))?.agentId).toBe(winner);
    expect((await store.getConversation(conv.id))?.state).toBe('assigned');
    // Only its owner (as read) can be given it again.
    expect(await stores[1]?.claim(conv.id, 'agent-9', { state: 'assigned', agentId: 'someone-else' }, t, t)).toBe(false);
    expect(await stores[1]?.claim(conv.id, 'agent-9', { state: 'assigned', agentId: winner }, t, t)).toBe(true);
  });

  it("runs two instances' auto-assignment passes at once without giving a conversation twice or an agent more than their capacity", async () => {
    const settings = handoffSchema.parse({});
    const shop = { workingLanguage: 'en', defaultLanguage: 'en' };
    const instances = drivers.map((driver, i) => {
      const store = new SqlStore(driver);
      const handoffs = new HandoffStore(driver);
      const bus = new ConversationBus();
      const localize = () => (key: string) => key;
      const send = createSender({
        store,
        channel: () => undefined,
        translator: noTranslator,
        localize,
        shop,
        clock: { now },
        bus,
        wakeOutbox: () => undefined,
      });
      const presence = presenceOn(driver, `instance-${i}`);
      const service = createHandoffService({
        ...{ store, handoffs, bus, send, translator: noTranslator, channel: () => undefined, localize, shop, settings, now, log: silentLogger },
        presence,
        instanceId: `instance-${i}`,
      });
      return { store, handoffs, service };
    });
    const [one, two] = instances as [(typeof instances)[number], (typeof instances)[number]];
    for (const id of ['li', 'mei']) {
      await one.handoffs.createAgent(
        { id, email: `${id}@shop.test`, name: id, role: 'agent', language: 'en', languages: ['en'], skills: [], capacity: 2, passwordHash: 'x' },
        t,
      );
    }
    const queued: string[] = [];
    for (let i = 0; i < 10; i++) {
      const shopper = await one.store.ensureShopper('webchat', `u${i}`, t);
      const conv = await one.store.ensureConversation({ channelId: 'webchat', chatId: `c${i}`, userId: `u${i}` }, shopper.id, t);
      await one.store.updateConversation(conv.id, { state: 'awaiting_agent', language: 'en' }, t);
      await one.handoffs.patchHandoff(conv.id, { queuedAt: t + i }, t);
      queued.push(conv.id);
    }
    // Li's console is on one instance, Mei's on the other: each coming online starts a pass there,
    // and two more passes per instance run at the same time.
    await one.service.presence('li', { sockets: 1 });
    await two.service.presence('mei', { sockets: 1 });
    await Promise.all([one.service.autoAssign(), two.service.autoAssign(), one.service.autoAssign(), two.service.autoAssign()]);

    const assigned = await one.handoffs.handoffsIn('assigned');
    expect(assigned.map((a) => a.conversationId).sort()).toEqual(queued.slice(0, 4).sort());
    expect(Object.fromEntries(await one.handoffs.activeCounts())).toEqual({ li: 2, mei: 2 });
    // Each shopper was told once that an agent joined.
    for (const id of queued.slice(0, 4)) {
      const joined = (await one.store.listMessages(id, { limit: 50 })).filter((m) => m.role === 'system');
      expect(joined).toHaveLength(1);
    }
    // While another instance's pass holds the lease, this one's waits for it, then runs.
    await one.store.acquireLease('handoff:auto-assign', 'instance-x', 60_000, t);
    await one.handoffs.updateAgent('li', { capacity: 3 }, t);
    let done = false;
    const waiting = two.service.autoAssign().then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(done).toBe(false);
    expect(Object.fromEntries(await one.handoffs.activeCounts())).toEqual({ li: 2, mei: 2 });
    await one.store.releaseLease('handoff:auto-assign', 'instance-x');
    await waiting;
    expect(Object.fromEntries(await one.handoffs.activeCounts())).toEqual({ li: 3, mei: 2 });
    await Promise.all([one.service.stop(), two.service.stop()]);
  });
});
