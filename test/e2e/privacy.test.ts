import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { silentLogger } from '../../src/core/ports.js';
import { channelDefinitions } from '../../src/server/channels.js';
import { type Gateway, projectRoot, startGateway } from '../../src/server/gateway.js';
import { databases } from '../support/databases.js';
import { history, openSession, sendHttp, until } from '../support/webchat-client.js';

const KEY = 'test-api-key-0123456789';

function api(gateway: Gateway, method: string, path: string, body?: unknown, key = KEY) {
  return fetch(`${gateway.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

describe.each(databases)('erasure and export over HTTP on $name', (database) => {
  let gateway: Gateway;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const db = database.open();
    await db.driver.close();
    cleanup = db.cleanup;
    const yaml = `
server: { port: 0, host: 127.0.0.1 }
storage: ${db.storage}
shop: { name: Test Shop, languages: [en, es], defaultLanguage: en, workingLanguage: en }
knowledge: { dir: "${projectRoot}/config/knowledge" }
api: { keys: ["${KEY}"] }
queue: { retryBaseMs: 50, pollMs: 200 }
log: { level: silent }
`;
    gateway = await startGateway(parseConfigText(yaml, 'privacy-test.yaml', {}, channelDefinitions), { log: silentLogger });
  });
  afterAll(async () => {
    await gateway?.close();
    await cleanup?.();
  });

  it('exports, then erases a shopper; a second erasure finds nothing; the chat goes on afresh', async () => {
    const { token } = await openSession(gateway.url);
    await sendHttp(gateway.url, token, { type: 'message', clientId: 'q1', text: 'My phone is +34 600 999 111, how long does shipping to Germany take?' });
    await until(
      () => history(gateway.url, token),
      (m) => m.some((x) => x.role === 'bot'),
    );
    const [conv] = (await (await api(gateway, 'GET', '/conversations')).json()).conversations;
    const linked = await api(gateway, 'PUT', '/shoppers/C-E2E/identities', [{ channelId: 'webchat', platformUserId: conv.ref.userId }]);
    expect(linked.status).toBe(200);

    const exported = await api(gateway, 'GET', '/shoppers/C-E2E/export');
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-disposition')).toContain('attachment');
    const doc = await exported.json();
    expect(doc.shopper.customerRef).toBe('C-E2E');
    expect(doc.conversations[0].messages.map((m: { role: string }) => m.role)).toEqual(['shopper', 'bot']);
    expect(JSON.stringify(doc)).toContain('+34 600 999 111');

    expect((await api(gateway, 'DELETE', '/shoppers/C-E2E', undefined, 'wrong-key-0123456789')).status).toBe(401);
    const bad = await api(gateway, 'DELETE', '/shoppers/C-E2E?by=email');
    expect([bad.status, (await bad.json()).error]).toEqual([400, 'bad_query']);

    const erased = await api(gateway, 'DELETE', '/shoppers/C-E2E');
    expect(erased.status).toBe(200);
    const { erasure } = await erased.json();
    expect(erasure.id).toMatch(/^erasure-/);
    expect(erasure.actor).toMatch(/^api:[0-9a-f]{8}$/);
    expect(erasure.counts).toMatchObject({ shoppers: 1, conversations: 1, messages: 2, inboundEvents: 1 });
    expect((await (await api(gateway, 'GET', '/conversations')).json()).conversations).toEqual([]);

    const again = await api(gateway, 'DELETE', '/shoppers/C-E2E');
    const body = await again.json();
    expect([again.status, body.error]).toEqual([404, 'unknown_shopper']);
    expect(body.message).toContain(`erased at`);
    expect((await api(gateway, 'GET', '/shoppers/C-E2E/export')).status).toBe(404);

    // The same browser session writes again: a new conversation, answered as usual.
    await sendHttp(gateway.url, token, { type: 'message', clientId: 'q2', text: 'Hello again' });
    const fresh = await until(
      () => history(gateway.url, token),
      (m) => m.some((x) => x.role === 'bot'),
    );
    expect(fresh[0]?.seq).toBe(1);
  });

  it('answers shopper_busy with Retry-After while one of their messages is being answered', async () => {
    const shopper = await gateway.store.ensureShopper('webchat', 'busy-user', Date.now());
    const ref = { channelId: 'webchat', chatId: 'busy-user', userId: 'busy-user' };
    await gateway.store.ensureConversation(ref, shopper.id, Date.now());
    // Claimed by a turn somewhere (lease running), as when another instance is answering it.
    const { claimed } = await gateway.store.acceptInbound(
      [{ type: 'message', channelId: 'webchat', eventId: 'busy-1', ref, timestamp: Date.now(), parts: [{ kind: 'text', text: 'hi' }] }],
      Date.now(),
      { claim: { leaseMs: 120_000, limit: 1 } },
    );
    const busy = await api(gateway, 'DELETE', `/shoppers/${shopper.id}?by=id`);
    expect([busy.status, (await busy.json()).error, busy.headers.get('retry-after')]).toEqual([409, 'shopper_busy', '5']);
    await gateway.store.failInbox(claimed[0]?.id ?? 0, 'done elsewhere', undefined, Date.now());
    expect((await api(gateway, 'DELETE', `/shoppers/${shopper.id}?by=id`)).status).toBe(200);
  });
});
