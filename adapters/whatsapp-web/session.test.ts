import { afterEach, describe, expect, it } from 'vitest';
import type { DeliveryEvent, MessageEvent } from '../../src/core/message.js';
import { createWhatsAppWebAdapter, type WhatsAppWebAdapter } from './adapter.js';
import { whatsappWebChannel } from './channel.js';
import type { WhatsAppWebClientOptions } from './client.js';
import { FakeClient, FakeLeases, fixture, testContext, until } from '../../test/support/whatsapp-web.js';
import { MessageAck } from './wire.js';

function config(overrides: Record<string, unknown> = {}) {
  const parsed = whatsappWebChannel.parseConfig({
    executablePath: '/usr/bin/chromium',
    leaseTtlMs: 1_000,
    standbyRetryMs: 50,
    reconnectDelayMs: 10,
    ...overrides,
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.value;
}

const started: WhatsAppWebAdapter[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((a) => a.stop?.()));
});

/** An adapter on a fake client; `clients` lists every client it created. */
function harness(overrides: { leases?: FakeLeases; owner?: string; config?: Record<string, unknown> } = {}) {
  const leases = overrides.leases ?? new FakeLeases();
  const ctx = testContext({ clock: { now: () => Date.now() }, leases: leases.for(overrides.owner ?? 'instance-a') });
  const clients: FakeClient[] = [];
  const printed: string[] = [];
  const adapter = createWhatsAppWebAdapter(config(overrides.config), ctx, {
    createClient: (opts: WhatsAppWebClientOptions) => {
      const client = new FakeClient(opts);
      clients.push(client);
      return client;
    },
    printQr: (qr) => printed.push(qr),
  });
  started.push(adapter);
  const client = () => {
    const last = clients.at(-1);
    if (!last) throw new Error('no client yet');
    return last;
  };
  return { adapter, ctx, clients, printed, leases, client };
}

async function readyHarness(overrides: Parameters<typeof harness>[0] = {}) {
  const h = harness(overrides);
  await h.adapter.start?.();
  await until(() => h.clients.length === 1 && h.client().initialized === 1, 'initialize');
  h.client().emit('ready');
  return h;
}

describe('whatsapp-web session lifecycle (fake client shaped after whatsapp-web.js Client)', () => {
  it('launches with LocalAuth in the data folder, shows the QR (status + printer), then becomes ready', async () => {
    const { adapter, clients, printed } = harness();
    expect(adapter.status().state).toBe('disconnected');
    await adapter.start?.();
    await until(() => clients[0]?.initialized === 1, 'initialize');
    expect(clients[0]?.options).toEqual({
      clientId: 'wa-web',
      dataPath: '/tmp/parley-wa-web-test',
      executablePath: '/usr/bin/chromium',
      headless: true,
      fetch: globalThis.fetch,
    });
    expect(adapter.status().state).toBe('starting');

    clients[0]?.emit('qr', '2@Q1w2E3r4T5y6,AbCdEf==,GhIjKl==,MnOpQr==');
    expect(adapter.status()).toMatchObject({ state: 'qr', qr: '2@Q1w2E3r4T5y6,AbCdEf==,GhIjKl==,MnOpQr==' });
    expect(printed).toEqual(['2@Q1w2E3r4T5y6,AbCdEf==,GhIjKl==,MnOpQr==']);
    expect(adapter.statusPage()).toContain('<svg');

    clients[0]?.emit('authenticated');
    clients[0]?.emit('ready');
    expect(adapter.status().state).toBe('ready');
    expect(adapter.status().qr).toBeUndefined();
    expect(adapter.statusPage()).not.toContain('<svg');
  });

  it('printQr: false keeps the QR off the terminal but on the status', async () => {
    const { adapter, clients, printed } = harness({ config: { printQr: false } });
    await adapter.start?.();
    await until(() => clients.length === 1, 'client');
    clients[0]?.emit('qr', '2@abc');
    expect(printed).toEqual([]);
    expect(adapter.status().qr).toBe('2@abc');
  });

  it('ingests incoming chat, image, voice note, document and location; ignores own messages and statuses', async () => {
    const { ctx, client } = await readyHarness();
    for (const name of [
      'message_chat',
      'message_from_me',
      'message_image',
      'message_ptt',
      'message_status_broadcast',
      'message_document',
      'message_location',
    ]) {
      client().emit('message', fixture(name));
    }
    await until(() => ctx.ingested.length === 5, 'five events');
    const parts = (ctx.ingested as MessageEvent[]).map((e) => e.parts[0]?.kind);
    expect(parts).toEqual(['text', 'image', 'audio', 'file', 'location']);
    expect(ctx.ingested.map((e) => e.hints?.country)).toEqual(['DE', 'ES', 'BR', 'FR', 'NL']);
    expect(ctx.ingested.every((e) => e.channelId === 'wa-web' && e.ref.channelId === 'wa-web')).toBe(true);
  });

  it('group messages only with allowGroups', async () => {
    const off = await readyHarness();
    off.client().emit('message', fixture('message_group_chat'));
    off.client().emit('message', fixture('message_chat'));
    await until(() => off.ctx.ingested.length === 1, 'one event');
    expect(off.ctx.ingested[0]?.ref.chatId).toBe('491701234567@c.us');

    const on = await readyHarness({ config: { allowGroups: true } });
    on.client().emit('message', fixture('message_group_chat'));
    await until(() => on.ctx.ingested.length === 1, 'group event');
    expect(on.ctx.ingested[0]?.ref).toMatchObject({ chatId: '120363025246125486@g.us', userId: '447400123456@c.us' });
  });

  it('turns message_ack events into delivery events', async () => {
    const { ctx, client } = await readyHarness();
    const sent = fixture('sent_message');
    for (const ack of [MessageAck.ACK_SERVER, MessageAck.ACK_DEVICE, MessageAck.ACK_READ, MessageAck.ACK_PENDING, MessageAck.ACK_ERROR])
      client().emit('message_ack', sent, ack);
    await until(() => ctx.ingested.length === 4, 'four delivery events');
    expect((ctx.ingested as DeliveryEvent[]).map((e) => [e.type, e.status, e.messageId])).toEqual([
      ['delivery', 'sent', 'true_491701234567@c.us_3EB0A1B2C3D4E5F60718'],
      ['delivery', 'delivered', 'true_491701234567@c.us_3EB0A1B2C3D4E5F60718'],
      ['delivery', 'read', 'true_491701234567@c.us_3EB0A1B2C3D4E5F60718'],
      ['delivery', 'failed', 'true_491701234567@c.us_3EB0A1B2C3D4E5F60718'],
    ]);
  });

  it('a second instance with the same leases stays in standby and never creates a client', async () => {
    const leases = new FakeLeases();
    const a = await readyHarness({ leases, owner: 'instance-a' });
    const b = harness({ leases, owner: 'instance-b' });
    await b.adapter.start?.();
    expect(b.adapter.status().state).toBe('standby');
    await new Promise((r) => setTimeout(r, 150)); // several standby retries
    expect(b.clients).toEqual([]);
    expect(b.adapter.statusPage()).toContain('Another gateway instance owns this session');
    expect(leases.holders.get('whatsapp-web:wa-web')?.owner).toBe('instance-a');
    await expect(
      b.adapter.deliver({ channelId: 'wa-web', chatId: '491701234567@c.us', userId: 'u' }, [{ type: 'text', text: 'x' }], envelope()),
    ).rejects.toMatchObject({
      code: 'DELIVERY_FAILED',
      retryable: true,
      details: { state: 'standby' },
    });

    // The owner stops: the lease is released and the standby instance takes the session over.
    await a.adapter.stop?.();
    expect(a.client().destroyed).toBe(1);
    await until(() => b.clients.length === 1 && b.client().initialized === 1, 'takeover');
    expect(leases.holders.get('whatsapp-web:wa-web')?.owner).toBe('instance-b');
  });

  it('renews the lease while running; losing it closes the browser', async () => {
    const leases = new FakeLeases();
    const { adapter, client } = await readyHarness({ leases });
    const before = leases.acquired;
    await until(() => leases.acquired >= before + 2, 'two renewals');
    expect(adapter.status().state).toBe('ready');
    leases.holders.set('whatsapp-web:wa-web', { owner: 'intruder', until: Date.now() + 60_000 });
    await until(() => client().destroyed === 1, 'browser closed');
    expect(adapter.status().state).toBe('standby');
  });

  it('after a disconnect it closes the client and launches a new one (the session stays on disk)', async () => {
    const { adapter, clients } = await readyHarness();
    clients[0]?.emit('disconnected', 'LOGOUT');
    expect(adapter.status().state).toBe('disconnected');
    await until(() => clients.length === 2 && clients[1]?.initialized === 1, 'relaunch');
    expect(clients[0]?.destroyed).toBe(1);
    clients[0]?.emit('ready'); // a late event from the old client changes nothing
    expect(adapter.status().state).toBe('starting');
  });

  it('a client that cannot be created leaves the session disconnected and retries with backoff', async () => {
    const leases = new FakeLeases();
    const ctx = testContext({ clock: { now: () => Date.now() }, leases: leases.for('a') });
    let attempts = 0;
    const adapter = createWhatsAppWebAdapter(config(), ctx, {
      createClient: () => {
        attempts += 1;
        throw new Error('Chromium not found');
      },
    });
    started.push(adapter);
    await adapter.start?.();
    expect(adapter.status().state).toBe('disconnected');
    await until(() => attempts >= 3, 'retries');
  });

  it('stop destroys the client and releases the lease', async () => {
    const leases = new FakeLeases();
    const { adapter, client, ctx } = await readyHarness({ leases });
    await adapter.stop?.();
    expect(client().destroyed).toBe(1);
    expect(leases.holders.size).toBe(0);
    expect(adapter.status().state).toBe('disconnected');
    client().emit('message', fixture('message_chat'));
    await new Promise((r) => setTimeout(r, 20));
    expect(ctx.ingested).toEqual([]);
  });

  it('refuses channel ids LocalAuth cannot use', async () => {
    const ctx = testContext({ channelId: 'wa web/1' });
    const adapter = createWhatsAppWebAdapter(config(), ctx, { createClient: (o) => new FakeClient(o) });
    await expect(adapter.start?.()).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });
});

function envelope(attempt = 1) {
  return { idempotencyKey: 'out-1', messageId: 'm1', seq: 1, role: 'bot' as const, attempt, createdAt: 0 };
}
