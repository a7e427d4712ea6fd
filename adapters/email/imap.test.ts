import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Leases } from '../../src/core/adapter.js';
import type { InboundEvent } from '../../src/core/message.js';
import { until } from '../../test/support/webchat-client.js';
import { ADDRESS, type Dovecot, deliver, dovecotMissing, fakeContext, fixture, inboxFlags, startDovecot, testConfig } from '../../test/support/email.js';
import { ImapReader } from './imap.js';

/** Leases shared by the readers of one test, as the store's are by gateway instances. */
function sharedLeases() {
  const held = new Map<string, { owner: string; until: number }>();
  return (owner: string): Leases => ({
    async acquire(name, ttlMs) {
      const now = Date.now();
      const current = held.get(name);
      if (current && current.owner !== owner && current.until > now) return false;
      held.set(name, { owner, until: now + ttlMs });
      return true;
    },
    async release(name) {
      if (held.get(name)?.owner === owner) held.delete(name);
    },
  });
}

describe.skipIf(dovecotMissing())('ImapReader against Dovecot', () => {
  let dovecot: Dovecot;
  const readers: ImapReader[] = [];
  beforeAll(async () => {
    dovecot = await startDovecot();
  }, 20_000);
  afterEach(async () => {
    await Promise.all(readers.splice(0).map((r) => r.stop()));
  });
  afterAll(async () => {
    await dovecot?.stop();
  });

  // pollMs a minute: within a test's time only IDLE can report new mail.
  const config = () =>
    testConfig({ leaseMs: 3_000, imap: { host: dovecot.host, port: dovecot.port, secure: false, user: dovecot.user, pass: dovecot.pass, pollMs: 60_000 } });
  function reader(name: string, state: ReturnType<typeof fakeContext>['state'] | undefined, leases: Leases) {
    const accepted: InboundEvent[] = [];
    const { ctx, state: own } = fakeContext({ leases, inbox: { accept: async (events) => void accepted.push(...events) } });
    if (state) ctx.state = state;
    const cfg = config();
    const r = new ImapReader(cfg.imap as NonNullable<typeof cfg.imap>, cfg, ctx, { channelId: 'support', address: ADDRESS });
    readers.push(r);
    r.start();
    return { name, accepted, state: state ?? own, reader: r };
  }

  it('takes unseen mail as it arrives (IDLE), marks it \\Seen once accepted, and does not take it again after a restart', async () => {
    const leases = sharedLeases();
    const a = reader('a', undefined, leases('a'));
    await deliver(dovecot, fixture('de-new.eml'));
    await deliver(dovecot, fixture('auto-reply.eml'));
    await until(
      async () => a.accepted.length,
      (n) => n >= 1,
      10_000,
    );
    await until(
      async () => [...(await inboxFlags(dovecot)).values()],
      (flags) => flags.length === 2 && flags.every((f) => f.includes('\\Seen')),
      10_000,
    );
    expect(a.accepted.map((e) => e.eventId)).toEqual(['CAF7b2kQ9x1@mail.example.de']);
    await a.reader.stop();
    // A restart with the same durable state: nothing is taken twice, new mail is.
    const b = reader('b', a.state, leases('b'));
    await deliver(dovecot, fixture('html-only.eml'));
    await until(
      async () => b.accepted.length,
      (n) => n >= 1,
      10_000,
    );
    expect(b.accepted.map((e) => e.eventId)).toEqual(['html-only-1@example.cn']);
  }, 30_000);

  it('reads the mailbox on one instance at a time; another takes over when the owner stops renewing', async () => {
    const leases = sharedLeases();
    const first = reader('first', undefined, leases('first'));
    await new Promise((r) => setTimeout(r, 300));
    const second = reader('second', first.state, leases('second'));
    await deliver(dovecot, fixture('attachments.eml'));
    await until(
      async () => first.accepted.length + second.accepted.length,
      (n) => n >= 1,
      10_000,
    );
    expect(first.accepted.map((e) => e.eventId)).toEqual(['att-1@example.fr']);
    expect(second.accepted).toEqual([]);
    // The owner dies without releasing: its lease runs out (3 s) and the other instance reads on.
    const dead = first.reader as unknown as { running: boolean; client?: { close(): void } };
    dead.running = false;
    dead.client?.close();
    await deliver(dovecot, fixture('de-reply.eml'));
    await until(
      async () => second.accepted.length,
      (n) => n >= 1,
      15_000,
    );
    expect(second.accepted.map((e) => e.eventId)).toEqual(['CAF7b2kQ9x2@mail.example.de']);
  }, 30_000);

  it('reconnects after the server drops the connection, and reads what came meanwhile', async () => {
    const a = reader('a', undefined, sharedLeases()('a'));
    await until(
      async () => (a.reader as unknown as { client?: { usable: boolean } }).client?.usable ?? false,
      (usable) => usable,
      10_000,
    );
    (a.reader as unknown as { client: { close(): void } }).client.close();
    await deliver(dovecot, fixture('de-new.eml').toString().replaceAll('CAF7b2kQ9x1', 'after-drop-1'));
    await until(
      async () => a.accepted.map((e) => e.eventId),
      (ids) => ids.includes('after-drop-1@mail.example.de'),
      10_000,
    );
  }, 20_000);
});
