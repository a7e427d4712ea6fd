/**
 * Two gateway instances on one Postgres schema (as behind a load balancer): a shopper's socket
 * and an agent's console on one instance see, live, what happened on the other.
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
});
