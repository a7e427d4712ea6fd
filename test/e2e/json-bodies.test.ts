import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import type { Logger } from '../../src/core/ports.js';
import { channelDefinitions } from '../../src/server/channels.js';
import { type Gateway, startGateway } from '../../src/server/gateway.js';
import { ConsoleClient } from '../support/console-client.js';
import { makeSite, type TestSite } from '../support/gateway.js';
import { openSession } from '../support/webchat-client.js';

const API_KEY = 'test-api-key-0123456789';
const ADMIN = { email: 'lead@shop.test', password: 'lead-password-123' };
/** JSON that is no object: each must answer 400, on every route that reads JSON. */
const NOT_OBJECTS = ['null', '0', '[]', '"x"', 'true'];

interface Route {
  method: string;
  url: string;
}

/** A logger that keeps the routes the server announces (`route` at debug level). */
function routeRecorder(routes: Route[]): Logger {
  const log: Logger = {
    debug: (obj, msg) => {
      if (msg === 'route') routes.push(obj as Route);
    },
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
    child: () => log,
  };
  return log;
}

describe('JSON bodies that are not objects, on every route that reads JSON', () => {
  const routes: Route[] = [];
  let site: TestSite;
  let gateway: Gateway;

  beforeAll(async () => {
    site = makeSite(`
console: { admin: { email: "${ADMIN.email}", password: "${ADMIN.password}", name: Lead } }
channels: { webchat: { type: webchat, identitySecret: "identity-secret-0123456789abcdef" } }`);
    const config = parseConfigText(readFileSync(site.configFile, 'utf8'), site.configFile, process.env, channelDefinitions);
    gateway = await startGateway(config, { log: routeRecorder(routes) });
  });
  afterAll(async () => {
    await gateway?.close();
    site?.cleanup();
  });

  it('answers 400 with the reason, never hangs, never reaches the handler', async () => {
    const admin = await ConsoleClient.login(gateway.url, ADMIN.email, ADMIN.password);
    const { token } = await openSession(gateway.url);
    const auth = (url: string): Record<string, string> => {
      if (url.startsWith('/api/')) return { authorization: `Bearer ${API_KEY}` };
      if (url.startsWith('/console/')) return { cookie: admin.cookie, 'x-csrf-token': admin.csrf };
      if (url.startsWith('/webchat/')) return { authorization: `Bearer ${token}` };
      return {};
    };
    // Webhooks take raw bytes, as each platform sends them: their adapters read them (fuzz tests).
    const json = routes.filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method) && !r.url.startsWith('/webhooks/'));
    expect(json.map((r) => r.url)).toEqual(
      expect.arrayContaining(['/api/v1/events', '/api/v1/messages', '/api/v1/shoppers/:ref', '/console/api/login', '/console/api/agents', '/webchat/session']),
    );
    const answered: string[] = [];
    for (const route of json) {
      const path = route.url.replace(/:[a-zA-Z]+/g, 'x');
      for (const body of NOT_OBJECTS) {
        const res = await fetch(`${gateway.url}${path}`, {
          method: route.method,
          headers: { 'content-type': 'application/json', ...auth(route.url) },
          body,
          signal: AbortSignal.timeout(5000),
        });
        const answer = (await res.json()) as { error?: string; message?: string };
        answered.push(`${route.method} ${route.url} ${body} -> ${res.status} ${answer.error}`);
        expect(res.status, `${route.method} ${route.url} with ${body}`).toBe(400);
        expect(answer.message).toMatch(/JSON (object|array)|list at least one/);
      }
    }
    expect(answered.length).toBeGreaterThanOrEqual(json.length * NOT_OBJECTS.length);
  });

  it('still takes an empty body as none, and an array where the route takes one', async () => {
    const res = await fetch(`${gateway.url}/api/v1/shoppers/ref-1/identities`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
      body: JSON.stringify([{ channelId: 'webchat', platformUserId: 'visitor-1' }]),
    });
    expect(res.status).toBe(200);
    const session = await fetch(`${gateway.url}/webchat/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '' });
    expect(session.status).toBe(200);
  });
});
