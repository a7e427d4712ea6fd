import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Gateway, projectRoot } from '../../src/server/gateway.js';
import { ConsoleClient } from '../support/console-client.js';
import { strings } from '../support/locales.js';
import { makeSite, startTestGateway, type TestSite } from '../support/gateway.js';
import { history, openSession, sendHttp, until, type WireMessage } from '../support/webchat-client.js';

const ADMIN = { email: 'lead@shop.test', password: 'lead-password-123' };
const text = (m: WireMessage | undefined) => m?.parts.map((p) => p.text ?? '').join(' ') ?? '';
const consoleYaml = (extra: string) => `
console: { admin: { email: "${ADMIN.email}", password: "${ADMIN.password}", name: Lead } }
${extra}`;

async function shopperAsks(base: string, message: string, token?: string) {
  const session = token ? { token, conversationId: '' } : await openSession(base);
  await sendHttp(base, session.token, { type: 'message', clientId: `m${Date.now()}${Math.random()}`, text: message });
  return session;
}

describe('console API (pick mode)', () => {
  let site: TestSite;
  let gateway: Gateway;
  let admin: ConsoleClient;
  let li: ConsoleClient;
  let bo: ConsoleClient;

  beforeAll(async () => {
    site = makeSite(consoleYaml('handoff: { assignment: pick, noAgentTimeoutMs: 0 }'));
    gateway = await startTestGateway(site);
    admin = await ConsoleClient.login(gateway.url, ADMIN.email, ADMIN.password);
    for (const [email, name, language] of [
      ['li@shop.test', 'Li', 'zh-CN'],
      ['bo@shop.test', 'Bo', 'en'],
    ] as const) {
      const res = await admin.call('POST', '/agents', { email, name, language, password: 'agent-password-1', languages: [language, 'en'] });
      expect(res.status).toBe(201);
    }
    li = await ConsoleClient.login(gateway.url, 'li@shop.test', 'agent-password-1');
    bo = await ConsoleClient.login(gateway.url, 'bo@shop.test', 'agent-password-1');
  });
  afterAll(async () => {
    await gateway?.close();
    site?.cleanup();
  });

  it('refuses requests without a session (401), with a wrong CSRF token (403), and outside the role (403)', async () => {
    const anonymous = new ConsoleClient(gateway.url);
    expect((await anonymous.call('GET', '/queue')).status).toBe(401);
    expect((await anonymous.call('POST', '/conversations/x/take', {})).status).toBe(401);
    expect((await new ConsoleClient(gateway.url).call('POST', '/login', { email: ADMIN.email, password: 'wrong-password' })).status).toBe(401);

    const body = { email: 'x@shop.test', name: 'X', language: 'en', password: 'agent-password-1' };
    expect((await admin.call('POST', '/agents', body, { csrf: false })).status).toBe(403);
    expect((await admin.call('POST', '/agents', body, { csrf: 'not-the-token' })).status).toBe(403);
    expect((await li.call('POST', '/agents', body)).status).toBe(403);
    expect((await li.call('GET', '/ratings')).status).toBe(403);
    expect((await li.call('POST', '/kb/proposals/none/apply', {})).status).toBe(403);
    expect((await admin.call('GET', '/ratings')).status).toBe(200);

    // The password is stored as a salted scrypt hash, never as given.
    const agents = (await admin.call('GET', '/agents')).body.agents;
    expect(JSON.stringify(agents)).not.toMatch(/password/);
  });

  it('queues a shopper, lets an agent take, reply, note, and release; the shopper rates it', async () => {
    const { token } = await shopperAsks(gateway.url, 'I want to talk to a human');
    const queued = await until(
      () => li.call('GET', '/queue'),
      (r) => r.body.queue?.some((q: { state: string }) => q.state === 'awaiting_agent'),
    );
    const entry = queued.body.queue.find((q: { state: string }) => q.state === 'awaiting_agent');
    expect(entry).toMatchObject({ channelId: 'webchat', language: 'en', reason: 'shopper_request' });
    expect(entry.waitingMs).toBeGreaterThanOrEqual(0);
    const id = entry.conversationId as string;

    expect((await li.call('POST', `/conversations/${id}/take`, {})).status).toBe(200);
    expect((await bo.call('POST', `/conversations/${id}/messages`, { text: 'Hi, Bo here' })).status).toBe(403);
    expect((await bo.call('POST', `/conversations/${id}/take`, {})).status).toBe(403);

    // Li writes Chinese to an English shopper, and no translator is configured: the preview shows
    // exactly what the shopper will read, the note first; a canned reply the shop wrote in the
    // shopper's language goes out as written.
    const preview = await li.call('POST', `/conversations/${id}/preview`, { text: '你好' });
    expect(preview.body.preview).toEqual({
      language: 'en',
      provider: 'none',
      untranslated: true,
      text: 'Sorry, this is only available in Simplified Chinese:\n\n你好',
    });
    const canned = (await li.call('GET', '/canned?language=en')).body.replies as { id: string; text: string; shopper?: { language: string; text: string } }[];
    const greeting = canned.find((r) => r.id === 'greeting');
    expect(greeting?.text).toBe(strings('zh-CN', 'console').canned.greeting.text);
    expect(greeting?.shopper).toEqual({ language: 'en', text: strings('en', 'console').canned.greeting.text });
    expect((await li.call('POST', `/conversations/${id}/preview`, { text: greeting?.shopper?.text, language: 'en' })).body.preview).toEqual({
      language: 'en',
      provider: 'none',
      text: greeting?.shopper?.text,
    });
    expect((await li.call('POST', `/conversations/${id}/messages`, { text: 'Hi', language: 'fr' })).status).toBe(400);
    const sent = await li.call('POST', `/conversations/${id}/messages`, { text: 'Hello, I am Li from the team.', language: 'en' });
    expect(sent.status).toBe(200);
    expect((await li.call('POST', `/conversations/${id}/notes`, { text: 'VIP, be nice' })).status).toBe(200);

    const view = await li.call('GET', `/conversations/${id}`);
    expect(view.body.conversation).toMatchObject({ state: 'assigned', channelId: 'webchat' });
    expect(view.body.shopper.identities[0].channelId).toBe('webchat');
    expect(view.body.notes.map((n: { text: string }) => n.text)).toEqual(['VIP, be nice']);

    const shopperSees = await until(
      () => history(gateway.url, token),
      (m) => m.some((x) => x.role === 'agent'),
    );
    expect(text(shopperSees.find((m) => m.role === 'agent'))).toBe('Hello, I am Li from the team.');
    expect(JSON.stringify(shopperSees)).not.toMatch(/be nice/);

    expect((await li.call('POST', `/conversations/${id}/release`, {})).status).toBe(200);
    const rating = await until(
      () => history(gateway.url, token),
      (m) => m.some((x) => JSON.stringify(x.parts).includes('feedback.5')),
    );
    expect(JSON.stringify(rating)).toMatch(/feedback\.1/);
    await sendHttp(gateway.url, token, { type: 'postback', clientId: 'rate-1', payload: 'feedback.4', label: '4' });
    await sendHttp(gateway.url, token, { type: 'message', clientId: 'comment-1', text: 'Quick and kind' });
    const ratings = await until(
      () => admin.call('GET', '/ratings'),
      (r) => r.body.ratings?.[0]?.comment === 'Quick and kind',
    );
    expect(ratings.body.ratings[0]).toMatchObject({ conversationId: id, rating: 4 });
    expect(ratings.body.byAgent[0]).toMatchObject({ name: 'Li', count: 1, average: 4 });
    const conv = await gateway.store.getConversation(id);
    expect(conv?.state).toBe('bot');
  });

  it('transfers between agents and lets the shopper cancel while queued', async () => {
    await shopperAsks(gateway.url, 'agent please');
    const q = await until(
      () => li.call('GET', '/queue'),
      (r) => r.body.queue?.some((x: { state: string }) => x.state === 'awaiting_agent'),
    );
    const id = q.body.queue.find((x: { state: string }) => x.state === 'awaiting_agent').conversationId;
    await li.call('POST', `/conversations/${id}/take`, {});
    const boId = (await admin.call('GET', '/agents')).body.agents.find((a: { name: string }) => a.name === 'Bo').id;
    expect((await li.call('POST', `/conversations/${id}/transfer`, { agentId: boId })).status).toBe(200);
    expect((await li.call('POST', `/conversations/${id}/messages`, { text: 'still me?' })).status).toBe(403);
    expect((await bo.call('POST', `/conversations/${id}/resolve`, {})).status).toBe(200);

    const { token } = await shopperAsks(gateway.url, 'I want to talk to a human');
    await until(
      () => history(gateway.url, token),
      (m) => m.length >= 2,
    );
    await sendHttp(gateway.url, token, { type: 'message', clientId: 'cancel-1', text: 'cancel' });
    const after = await until(
      () => history(gateway.url, token),
      (m) => m.length >= 4,
    );
    expect(text(after[3])).toMatch(/cancelled the request/);
  });
});

describe('console API (auto-assignment, timeout, triggers, knowledge-base upkeep)', () => {
  let site: TestSite;
  let gateway: Gateway;
  let kbDir: string;
  let admin: ConsoleClient;

  beforeAll(async () => {
    kbDir = mkdtempSync(join(tmpdir(), 'parley-kb-'));
    cpSync(join(projectRoot, 'config/knowledge'), kbDir, { recursive: true });
    site = makeSite(consoleYaml(`handoff: { assignment: auto, noAgentTimeoutMs: 400 }\nknowledge: { dir: "${kbDir}" }`));
    // Point the site's knowledge block at the copy (a YAML key may appear once).
    const { writeFileSync } = await import('node:fs');
    writeFileSync(site.configFile, readFileSync(site.configFile, 'utf8').replace(/^knowledge: \{ dir: "[^"]*" \}\n/m, ''));
    gateway = await startTestGateway(site);
    admin = await ConsoleClient.login(gateway.url, ADMIN.email, ADMIN.password);
  });
  afterAll(async () => {
    await gateway?.close();
    site?.cleanup();
    rmSync(kbDir, { recursive: true, force: true });
  });

  it('tells a queued shopper when nobody takes the conversation in time, offering the bot', async () => {
    const { token } = await shopperAsks(gateway.url, '¡Esto es una estafa, estoy harto!');
    const messages = await until(
      () => history(gateway.url, token),
      (m) => m.length >= 3,
      10_000,
    );
    expect(messages[1]?.role).toBe('bot');
    expect(JSON.stringify(messages[2]?.parts)).toMatch(/handoff\.cancel/);
    expect(text(messages[2])).toMatch(/ocupado/);
    const q = await admin.call('GET', '/queue');
    expect(q.body.queue.find((x: { reason?: string }) => x.reason === 'emotion')).toBeTruthy();
    await sendHttp(gateway.url, token, { type: 'postback', clientId: 'back', payload: 'handoff.cancel', label: 'Volver' });
    await until(
      () => history(gateway.url, token),
      (m) => m.length >= 5,
    );
  });

  it('assigns a queued conversation to an agent as soon as one is online', async () => {
    const { token } = await shopperAsks(gateway.url, 'I want to talk to a human');
    await until(
      () => history(gateway.url, token),
      (m) => m.length >= 2,
    );
    const WebSocket = (await import('ws')).default;
    const ws = new WebSocket(`${gateway.url.replace('http', 'ws')}/console/socket`, { headers: { cookie: admin.cookie } });
    const frames: { type: string }[] = [];
    ws.on('message', (d) => frames.push(JSON.parse(String(d))));
    await until(
      async () => frames,
      (f) => f.some((x) => x.type === 'assigned'),
    );
    const messages = await until(
      () => history(gateway.url, token),
      (m) => m.some((x) => x.role === 'system'),
    );
    expect(text(messages.find((m) => m.role === 'system'))).toMatch(/Lead from our team has joined/);
    ws.close();

    const stranger = new WebSocket(`${gateway.url.replace('http', 'ws')}/console/socket`);
    const code = await new Promise<number>((resolve) => stranger.on('close', (c) => resolve(c)));
    expect(code).toBe(4401);
  });

  it('hands off after three unsure answers in a row', async () => {
    const session = await shopperAsks(gateway.url, 'blorp zzz');
    await shopperAsks(gateway.url, 'quux frob', session.token);
    await shopperAsks(gateway.url, 'wibble wobble', session.token);
    const messages = await until(
      () => history(gateway.url, session.token),
      (m) => m.length >= 6,
    );
    expect(text(messages[5])).toMatch(/customer service team/);
    const conv = await gateway.store.getConversation(session.conversationId);
    expect(['awaiting_agent', 'assigned']).toContain(conv?.state);
  });

  it('applies an agent correction to the knowledge base and answers the next shopper with it', async () => {
    const first = await shopperAsks(gateway.url, 'How long does shipping to Germany take?');
    const answered = await until(
      () => history(gateway.url, first.token),
      (m) => m.some((x) => x.role === 'bot'),
    );
    const bot = answered.find((m) => m.role === 'bot') as WireMessage;
    expect(text(bot)).toMatch(/2–3 business days/);

    const proposed = await admin.call('POST', '/kb/proposals', {
      conversationId: first.conversationId,
      messageId: bot.id,
      body: 'Orders to Germany arrive within 1–2 business days with DHL Express.',
    });
    expect(proposed.status).toBe(201);
    expect(proposed.body.proposal).toMatchObject({ section: 'Shipping to Germany', question: 'How long does shipping to Germany take?' });
    const applied = await admin.call('POST', `/kb/proposals/${proposed.body.proposal.id}/apply`, {});
    expect(applied.body).toMatchObject({ ok: true, file: 'en/shipping.md' });
    expect(applied.body.variants).toEqual(expect.arrayContaining(['de/shipping.md', 'zh-CN/shipping.md']));
    const corrected = readFileSync(join(kbDir, 'en/shipping.md'), 'utf8');
    expect(corrected).toMatch(/1–2 business days with DHL Express/);
    // The heading keeps its id and the section its example questions.
    expect(corrected).toMatch(/## Shipping to Germany \{#shipping-germany\}\n\nOrders to Germany arrive within 1–2 business days with DHL Express\.\n\n\? /);

    const next = await shopperAsks(gateway.url, 'How long does shipping to Germany take?');
    const reply = await until(
      () => history(gateway.url, next.token),
      (m) => m.some((x) => x.role === 'bot'),
    );
    expect(text(reply.find((m) => m.role === 'bot'))).toMatch(/1–2 business days with DHL Express/);
  });
});

describe('console API: recent orders (file connector)', () => {
  let site: TestSite;
  let gateway: Gateway;
  let admin: ConsoleClient;
  const careApi = (method: string, path: string, body: unknown) =>
    fetch(`${gateway.url}/api/v1${path}`, {
      method,
      headers: { authorization: 'Bearer test-api-key-0123456789', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    site = makeSite(consoleYaml(`orders: { connector: file, file: "${join(projectRoot, 'config/orders/sample.json')}" }`));
    gateway = await startTestGateway(site);
    admin = await ConsoleClient.login(gateway.url, ADMIN.email, ADMIN.password);
  });
  afterAll(async () => {
    await gateway?.close();
    site?.cleanup();
  });

  it('lists the orders a conversation mentions and, once the shop verified the email, the buyer’s own', async () => {
    const session = await shopperAsks(gateway.url, 'Where is my order PS-100234? The old one was PS-999999.');
    await until(
      () => history(gateway.url, session.token),
      (m) => m.some((x) => x.role === 'bot'),
    );
    const view = await admin.call('GET', `/conversations/${session.conversationId}`);
    expect(view.status).toBe(200);
    expect(view.body.shopper.orders).toEqual([
      {
        id: 'PS-100234',
        status: 'shipped',
        total: '104.95 EUR',
        carrier: 'DHL',
        trackingUrl: expect.stringMatching(/^https:\/\/www\.dhl\.de\/.*JJD000390007701234$/),
        eta: '2026-11-27',
        match: 'mentioned',
      },
    ]);

    const userId = view.body.shopper.identities[0].userId as string;
    expect((await careApi('PUT', '/shoppers/C-ORD-1/identities', [{ channelId: 'webchat', platformUserId: userId }])).status).toBe(200);
    expect((await careApi('PUT', '/shoppers/C-ORD-1', { email: 'Lucas.Meyer@example.de', emailVerified: true })).status).toBe(200);
    const again = await admin.call('GET', `/conversations/${session.conversationId}`);
    expect(again.body.shopper.orders.map((o: { id: string; match: string }) => `${o.id} ${o.match}`)).toEqual(['PS-100234 mentioned', 'PS-100235 contact']);
    // No tracking link yet: none is listed rather than an empty one.
    expect(again.body.shopper.orders[1]).not.toHaveProperty('trackingUrl');
  });
});
