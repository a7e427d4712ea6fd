import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelAdapter } from '../core/adapter.js';
import { richCapabilities } from '../core/capabilities.js';
import { DeliveryError } from '../core/errors.js';
import type { OutboundMessage } from '../core/message.js';
import { silentLogger } from '../core/ports.js';
import type { Store } from '../core/store.js';
import { SqliteDriver } from '../store/sqlite.js';
import { SqlStore } from '../store/sql-store.js';
import { createOutbox } from './outbox.js';

/** A channel that records deliveries and fails as the test says. */
function fakeChannel(behaviour: { failures?: Error[]; windowMs?: number; template?: boolean }) {
  const delivered: unknown[][] = [];
  const failures = [...(behaviour.failures ?? [])];
  const adapter: ChannelAdapter<{ text: string; template?: boolean }> = {
    type: 'fake',
    id: 'fake',
    capabilities: { ...richCapabilities, ...(behaviour.windowMs ? { messagingWindowMs: behaviour.windowMs } : {}) },
    verify: () => ({ ok: false, status: 401, reason: 'n/a' }),
    normalize: () => ({ ack: { status: 200 }, events: [] }),
    render: (m: OutboundMessage) => [{ text: m.parts.map((p) => (p.kind === 'text' ? p.text : '')).join('') }],
    async deliver(_ref, payloads) {
      const failure = failures.shift();
      if (failure) throw failure;
      delivered.push(payloads);
      return { platformMessageIds: [`p${delivered.length}`] };
    },
    ...(behaviour.template
      ? { outsideWindow: (m: OutboundMessage) => (m.template ? [{ text: `template:${m.template.key}`, template: true }] : undefined) }
      : {}),
  };
  return { adapter, delivered };
}

async function queueMessage(store: Store, id: string, lastInboundAt: number | undefined, template?: OutboundMessage['template']) {
  const shopper = await store.ensureShopper('fake', 'u1', 1);
  const conv = await store.ensureConversation({ channelId: 'fake', chatId: 'c1', userId: 'u1' }, shopper.id, 1);
  const outbound: OutboundMessage = { parts: [{ kind: 'text', text: 'Your parcel is on its way' }], ...(template ? { template } : {}) };
  await store.appendMessages(
    conv.id,
    [{ id, role: 'bot', direction: 'out', parts: outbound.parts, outbound: [outbound] }],
    1,
    lastInboundAt === undefined ? undefined : { lastInboundAt },
  );
}

describe('outbox', () => {
  let dir: string;
  let store: Store;
  let now = 1_000_000;
  const clock = { now: () => now };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-outbox-'));
    store = new SqlStore(new SqliteDriver({ path: join(dir, 'p.db') }));
    await store.migrate();
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const outboxFor = (adapter: ChannelAdapter) =>
    createOutbox({ store, channel: () => adapter, clock, log: silentLogger, concurrency: 4, maxAttempts: 3, retryBaseMs: 10, leaseMs: 1000, pollMs: 5 });

  it('retries a retryable failure with backoff, records every attempt, then delivers once', async () => {
    const { adapter, delivered } = fakeChannel({ failures: [new DeliveryError('transient', 'HTTP 502')] });
    await queueMessage(store, 'm1', now);
    const outbox = outboxFor(adapter);
    outbox.start();
    await new Promise((r) => setTimeout(r, 50));
    expect(delivered).toHaveLength(0); // waiting out the backoff on the injected clock
    now += 1000;
    await new Promise((r) => setTimeout(r, 50));
    await outbox.stop();
    expect(delivered).toHaveLength(1);
    const [row] = await store.listOutbox({ limit: 5 });
    expect(row?.status).toBe('sent');
    expect((await store.deliveryAttempts(row?.id ?? 0)).map((a) => [a.ok, a.reason])).toEqual([
      [false, 'transient'],
      [true, undefined],
    ]);
  });

  it('dead-letters a final failure with its reason, and gives up after the last retry', async () => {
    const final = fakeChannel({
      failures: [new DeliveryError('invalid', 'Telegram sendMessage failed (HTTP 400). chat not found')],
    });
    await queueMessage(store, 'm2', now);
    let outbox = outboxFor(final.adapter);
    outbox.start();
    await new Promise((r) => setTimeout(r, 50));
    await outbox.stop();
    const retryable = new DeliveryError('transient', 'HTTP 503');
    const flaky = fakeChannel({ failures: [retryable, retryable, retryable, retryable] });
    await queueMessage(store, 'm3', now);
    outbox = outboxFor(flaky.adapter);
    outbox.start();
    for (let i = 0; i < 5; i++) {
      now += 10_000;
      await new Promise((r) => setTimeout(r, 30));
    }
    await outbox.stop();
    const dead = await store.listOutbox({ status: 'dead', limit: 5 });
    expect(dead.map((d) => [d.lastError, d.lastReason]).sort()).toEqual([
      ['HTTP 503 (gave up after 3 attempts)', 'transient'],
      ['Telegram sendMessage failed (HTTP 400). chat not found', 'invalid'],
    ]);
    expect(flaky.delivered).toHaveLength(0);
  });

  it('outside the messaging window sends the approved template, or records the message undeliverable', async () => {
    const day = 86_400_000;
    const { adapter, delivered } = fakeChannel({ windowMs: day, template: true });
    await queueMessage(store, 'm4', now - 2 * day, { key: 'order_shipped', params: ['A-1'] });
    await queueMessage(store, 'm5', now - 2 * day);
    const outbox = outboxFor(adapter);
    outbox.start();
    await new Promise((r) => setTimeout(r, 80));
    await outbox.stop();
    expect(delivered).toEqual([[{ text: 'template:order_shipped', template: true }]]);
    const [dead] = await store.listOutbox({ status: 'dead', limit: 5 });
    expect(dead?.messageId).toBe('m5');
    expect(dead?.lastError).toMatch(/messaging window has closed/);
    expect(dead?.lastReason).toBe('invalid');
  });

  it('retries by reason: a blocked shopper or a refused token is final, a rate limit waits and retries', async () => {
    const blocked = fakeChannel({ failures: [new DeliveryError('blocked', 'Telegram sendMessage failed (403 Forbidden: bot was blocked by the user).')] });
    await queueMessage(store, 'm6', now);
    let outbox = outboxFor(blocked.adapter);
    outbox.start();
    await new Promise((r) => setTimeout(r, 50));
    await outbox.stop();
    const [dead] = await store.listOutbox({ status: 'dead', limit: 5 });
    expect(dead).toMatchObject({ messageId: 'm6', lastReason: 'blocked', attempts: 1 });

    const limited = fakeChannel({ failures: [new DeliveryError('rate_limited', 'HTTP 429', { retryAfterMs: 5_000 })] });
    await queueMessage(store, 'm7', now);
    outbox = outboxFor(limited.adapter);
    outbox.start();
    await new Promise((r) => setTimeout(r, 50));
    now += 4_000; // before the platform's retry-after: nothing goes
    await new Promise((r) => setTimeout(r, 50));
    expect(limited.delivered).toHaveLength(0);
    now += 2_000;
    await new Promise((r) => setTimeout(r, 50));
    await outbox.stop();
    expect(limited.delivered).toHaveLength(1);
  });
});
