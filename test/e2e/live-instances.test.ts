/**
 * Two gateway instances on one Postgres schema (as behind a load balancer): a shopper's socket
 * and an agent's console on one instance see, live, what happened on the other; an agent online
 * on one instance is given the conversations handed over on the other.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { parseConfigText } from '../../src/config/load.js';
import { silentLogger } from '../../src/core/ports.js';
import { channelDefinitions } from '../../src/server/channels.js';
import { type Gateway, startGateway } from '../../src/server/gateway.js';
import { PostgresDriver } from '../../src/store/postgres.js';
import { ConsoleClient } from '../support/console-client.js';
import { testYaml } from '../support/gateway.js';
import { ChatSocket, history, openSession, sendHttp, until } from '../support/webchat-client.js';

const POSTGRES_URL = process.env.PARLEY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ADMIN = { email: 'lead@shop.test', password: 'lead-password-123' };
/** What one instance saw live may only trail what the other stored by this much. */
const LIVE_MS = 2000;

describe('live traffic across instances (Postgres LISTEN/NOTIFY)', () => {
  const schema = `parley_live_t_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const dir = mkdtempSync(join(tmpdir(), 'parley-live-'));
  // A runs no turns and no deliveries of its own (it polls once in ten minutes): whatever B
  // accepts, B handles, so A's sockets can only learn of it through the bus.
  let a: Gateway;
  let b: Gateway;

  const start = (queue: string) => {
    const yaml = testYaml(
      join(dir, 'unused.db'),
      `console: { admin: { email: "${ADMIN.email}", password: "${ADMIN.password}", name: Lead } }\nchannels:\n  webchat: { type: webchat }\n`,
      queue,
    ).replace(/^storage: .*$/m, `storage: { driver: postgres, postgres: { url: "${POSTGRES_URL}", schema: ${schema} }, dataDir: "${dir}" }`);
    return startGateway(parseConfigText(yaml, join(dir, 'gateway.yaml'), process.env, channelDefinitions), { log: silentLogger });
  };

  beforeAll(async () => {
    a = await start('retryBaseMs: 50, pollMs: 600000');
    b = await start('retryBaseMs: 50, pollMs: 200');
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    const admin = new PostgresDriver({ url: POSTGRES_URL });
    await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("pushes the bot's reply to the shopper's socket on the other instance, without a reconnect", async () => {
    const { token } = await openSession(a.url);
    const socket = await ChatSocket.connect(a.url, token);
    expect((await sendHttp(b.url, token, { type: 'message', clientId: 'live-1', text: 'Do you accept PayPal?' })).status).toBe(200);
    const stored = await until(
      () => history(b.url, token),
      (m) => m.some((x) => x.role === 'bot'),
    );
    const reply = stored.find((x) => x.role === 'bot');
    const seen = await socket.next((f) => f.type === 'message' && (f.message as { role: string }).role === 'bot', LIVE_MS);
    expect(seen.message).toMatchObject({ id: reply?.id, parts: reply?.parts });
    // The shopper's own message reaches their other tabs too, once.
    expect(socket.messages().filter((m) => m.clientId === 'live-1')).toHaveLength(1);
    expect(socket.messages().filter((m) => m.role === 'bot')).toHaveLength(1);
    await socket.close();
  });

  it('shows an agent on one instance what a shopper wrote on the other', async () => {
    const agent = await ConsoleClient.login(a.url, ADMIN.email, ADMIN.password);
    const ws = new WebSocket(`${a.url.replace('http', 'ws')}/console/socket`, { headers: { cookie: agent.cookie } });
    const frames: { type: string; conversationId?: string }[] = [];
    ws.on('message', (d) => frames.push(JSON.parse(String(d))));
    await until(
      async () => frames,
      (f) => f.some((x) => x.type === 'ready'),
    );
    const { token, conversationId } = await openSession(b.url);
    await sendHttp(b.url, token, { type: 'message', clientId: 'live-2', text: 'Where is my parcel?' });
    await until(
      () => history(b.url, token),
      (m) => m.length >= 1,
    );
    await until(
      async () => frames,
      (f) => f.some((x) => x.type === 'activity' && x.conversationId === conversationId),
      LIVE_MS,
    );
    ws.close();
  });

  it('auto-assigns conversations handed over on one instance to an agent whose console is on the other, live', async () => {
    const onA = await ConsoleClient.login(a.url, ADMIN.email, ADMIN.password);
    const lead = (await onA.call('GET', '/me')).body.agent as { id: string; online: boolean };
    expect(lead.online).toBe(false);
    // Queued while nobody is online.
    const first = await openSession(a.url);
    await sendHttp(a.url, first.token, { type: 'message', clientId: 'live-3', text: 'I want to talk to a human' });
    await until(
      async () => (await onA.call('GET', '/queue')).body.queue as { conversationId: string; state: string }[],
      (q) => q.some((x) => x.conversationId === first.conversationId && x.state === 'awaiting_agent'),
    );

    // The agent's console opens on B: A reads them online, and B's pass gives them the waiting shopper.
    const onB = await ConsoleClient.login(b.url, ADMIN.email, ADMIN.password);
    const ws = new WebSocket(`${b.url.replace('http', 'ws')}/console/socket`, { headers: { cookie: onB.cookie } });
    const frames: { type: string; conversationId?: string; agentId?: string }[] = [];
    ws.on('message', (d) => frames.push(JSON.parse(String(d))));
    const assigned = (conversationId: string) => (f: typeof frames) =>
      f.some((x) => x.type === 'assigned' && x.conversationId === conversationId && x.agentId === lead.id);
    await until(async () => frames, assigned(first.conversationId), LIVE_MS);
    expect((await onA.call('GET', '/me')).body.agent.online).toBe(true);

    // Handed over on A, whose pass reads the agent on B as online; B's console sees it at once.
    const second = await openSession(a.url);
    await sendHttp(a.url, second.token, { type: 'message', clientId: 'live-4', text: 'I want to talk to a human' });
    await until(async () => frames, assigned(second.conversationId), LIVE_MS);
    const queue = (await onB.call('GET', '/queue')).body.queue as { conversationId: string; state: string; agentId?: string }[];
    for (const { conversationId } of [first, second])
      expect(queue.find((x) => x.conversationId === conversationId)).toMatchObject({ state: 'assigned', agentId: lead.id });
    // Each shopper was told once that the agent joined.
    for (const { token } of [first, second]) expect((await history(a.url, token)).filter((m) => m.role === 'system')).toHaveLength(1);

    // Away on A holds for the console on B; the console closing takes the agent offline everywhere.
    await onA.call('PATCH', '/me', { status: 'away' });
    expect((await onB.call('GET', '/me')).body.agent.online).toBe(false);
    await onA.call('PATCH', '/me', { status: 'online' });
    expect((await onB.call('GET', '/me')).body.agent.online).toBe(true);
    ws.close();
    await until(
      async () => (await onA.call('GET', '/me')).body.agent.online as boolean,
      (online) => !online,
    );
  });
});
