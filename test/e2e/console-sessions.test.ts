import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/core/ports.js';
import type { Gateway } from '../../src/server/gateway.js';
import { ConsoleClient } from '../support/console-client.js';
import { makeSite, startTestGateway, type TestSite } from '../support/gateway.js';
import { openSession, sendHttp, until } from '../support/webchat-client.js';

const ADMIN = { email: 'lead@shop.test', password: 'lead-password-123' };
const consoleYaml = (extra = '', consoleExtra = '') => `
console: { admin: { email: "${ADMIN.email}", password: "${ADMIN.password}", name: Lead }${consoleExtra} }
handoff: { assignment: pick, noAgentTimeoutMs: 0 }
${extra}`;

/** The real time, moved forward on demand: sessions and sign-in windows read it. */
function movableClock(): Clock & { advance(ms: number): void } {
  let offset = 0;
  return { now: () => Date.now() + offset, advance: (ms) => void (offset += ms) };
}

/** A console socket that records its frames and how it closed. */
async function consoleSocket(base: string, cookie: string) {
  const ws = new WebSocket(`${base.replace('http', 'ws')}/console/socket`, { headers: { cookie } });
  const frames: { type: string; code?: string }[] = [];
  ws.on('message', (d) => frames.push(JSON.parse(String(d))));
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await until(
    async () => frames,
    (f) => f.some((x) => x.type === 'ready'),
  );
  return { ws, frames, closed };
}

/** A shopper asks for a person: every signed-in console hears of it. */
async function shopperWrites(base: string, text: string) {
  const { token } = await openSession(base);
  expect((await sendHttp(base, token, { type: 'message', clientId: `c${Math.random()}`, text })).status).toBeLessThan(300);
}

const login = (base: string, email: string, password: string) =>
  fetch(`${base}/console/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });

describe('console sign-in lock-out', () => {
  let site: TestSite;
  let gateway: Gateway;
  const clock = movableClock();

  beforeAll(async () => {
    // Per account only: the per-address limit is tried below.
    site = makeSite(consoleYaml('rateLimits: { consoleLogin: { max: 5, perClient: 1000 } }'));
    gateway = await startTestGateway(site, { clock });
  });
  afterAll(async () => {
    await gateway?.close();
    site?.cleanup();
  });

  it('checks at most 5 passwords of a parallel burst, then refuses even the right one until the window passes', async () => {
    const burst = await Promise.all(Array.from({ length: 30 }, () => login(gateway.url, ADMIN.email, 'wrong-password')));
    const statuses = burst.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(25);
    const refused = burst.find((r) => r.status === 429) as Response;
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.json()) as { error: string }).error).toBe('too_many_attempts');

    const right = await login(gateway.url, ADMIN.email, ADMIN.password);
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeLessThanOrEqual(60);

    clock.advance(61_000);
    expect((await login(gateway.url, ADMIN.email, ADMIN.password)).status).toBe(200);
  });

  it('counts every spelling of an e-mail as the one account, padded or in another case or width', async () => {
    clock.advance(61_000);
    for (const email of [' LEAD@shop.test', 'lead@SHOP.TEST ', 'ｌｅａｄ@shop.test', '\tLead@Shop.Test', 'lead@shop.test']) {
      expect((await login(gateway.url, email, 'wrong-password')).status).toBe(401);
    }
    expect((await login(gateway.url, '  Lead@Shop.Test  ', ADMIN.password)).status).toBe(429);
    clock.advance(61_000);
    // The padded spelling signs in to the account, once the window is over.
    expect((await login(gateway.url, '  Lead@Shop.Test  ', ADMIN.password)).status).toBe(200);
  });
});

describe('console sign-in per client address', () => {
  let site: TestSite;
  let gateway: Gateway;

  beforeAll(async () => {
    site = makeSite(consoleYaml('rateLimits: { consoleLogin: { max: 5, perClient: 8 } }'));
    gateway = await startTestGateway(site);
  });
  afterAll(async () => {
    await gateway?.close();
    site?.cleanup();
  });

  it('throttles one address guessing across many accounts', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await login(gateway.url, `guess${i}@shop.test`, 'wrong-password')).status);
    expect(statuses).toEqual([...Array(8).fill(401), 429, 429]);
    const refused = await login(gateway.url, ADMIN.email, ADMIN.password);
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: string }).error).toBe('rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('console sessions end, and their sockets with them', () => {
  let site: TestSite;
  let gateway: Gateway;
  let admin: ConsoleClient;
  const clock = movableClock();

  beforeAll(async () => {
    site = makeSite(consoleYaml('', ', sessionTtlHours: 12, sessionIdleMinutes: 120'));
    gateway = await startTestGateway(site, { clock });
    admin = await ConsoleClient.login(gateway.url, ADMIN.email, ADMIN.password);
    for (const email of ['li@shop.test', 'bo@shop.test', 'an@shop.test']) {
      expect((await admin.call('POST', '/agents', { email, name: email.slice(0, 2), language: 'en', password: 'agent-password-1' })).status).toBe(201);
    }
  });
  afterAll(async () => {
    await gateway?.close();
    site?.cleanup();
  });

  it('closes the socket at sign-out: no shopper message reaches it afterwards', async () => {
    const li = await ConsoleClient.login(gateway.url, 'li@shop.test', 'agent-password-1');
    const socket = await consoleSocket(gateway.url, li.cookie);
    expect((await li.call('POST', '/logout', {})).status).toBe(200);
    expect(await socket.closed).toBe(4401);
    const seen = socket.frames.length;
    await shopperWrites(gateway.url, 'I want to talk to a human about my order');
    await new Promise((r) => setTimeout(r, 300));
    expect(socket.frames.slice(seen)).toEqual([]);
  });

  it('closes the socket of an agent an admin disables', async () => {
    const bo = await ConsoleClient.login(gateway.url, 'bo@shop.test', 'agent-password-1');
    const socket = await consoleSocket(gateway.url, bo.cookie);
    const id = (await admin.call('GET', '/agents')).body.agents.find((a: { email: string }) => a.email === 'bo@shop.test').id;
    expect((await admin.call('PATCH', `/agents/${id}`, { disabled: true })).status).toBe(200);
    expect(await socket.closed).toBe(4401);
    expect(socket.frames.at(-1)).toMatchObject({ type: 'error', code: 'unauthorized' });
    expect((await bo.call('GET', '/queue')).status).toBe(401);
  });

  it('ends a session left idle, and pushes nothing more to its socket', async () => {
    const an = await ConsoleClient.login(gateway.url, 'an@shop.test', 'agent-password-1');
    const socket = await consoleSocket(gateway.url, an.cookie);
    // Used within the idle time, it lasts.
    clock.advance(100 * 60_000);
    expect((await an.call('GET', '/queue')).status).toBe(200);
    clock.advance(100 * 60_000);
    expect((await an.call('GET', '/queue')).status).toBe(200);
    // Left alone past it, it ends: the next shopper message closes the socket instead of reaching it.
    clock.advance(121 * 60_000);
    await new Promise((r) => setTimeout(r, 100));
    const seen = socket.frames.length;
    await shopperWrites(gateway.url, 'I want to talk to a human please');
    expect(await socket.closed).toBe(4401);
    expect(socket.frames.slice(seen)).toEqual([expect.objectContaining({ type: 'error', code: 'unauthorized' })]);
    expect((await an.call('GET', '/queue')).status).toBe(401);
  });

  it('ends a session 12 hours after sign-in however busy', async () => {
    const fresh = await ConsoleClient.login(gateway.url, ADMIN.email, ADMIN.password);
    for (let h = 0; h < 11; h++) {
      clock.advance(60 * 60_000);
      expect((await fresh.call('GET', '/queue')).status).toBe(200);
    }
    clock.advance(61 * 60_000);
    expect((await fresh.call('GET', '/queue')).status).toBe(401);
  });
});
