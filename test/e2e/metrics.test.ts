/**
 * Operators scrape `/metrics` (docs/metrics.md): a real gateway on each database takes SMS over
 * Twilio's signed webhooks (a local Messages API fails one send, refuses another) and web chat
 * over its socket, answers through a local model server; each scrape is parsed as Prometheus
 * text and the figures must have moved as the traffic says.
 */
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { silentLogger } from '../../src/core/ports.js';
import { channelDefinitions } from '../../src/server/channels.js';
import { type Gateway, startGateway } from '../../src/server/gateway.js';
import { databases, type TestDatabase } from '../support/databases.js';
import { testYaml } from '../support/gateway.js';
import { ModelServer, shopperText } from '../support/model-server.js';
import { type Families, sampleOf, scrape } from '../support/prometheus.js';
import { ACCOUNT_SID, AUTH_TOKEN, fixture, PUBLIC_URL, sign, twilioApiServer } from '../support/twilio.js';
import { ChatSocket, openSession, until } from '../support/webchat-client.js';

const KEY = 'metrics-key-0123456789abcdef';
const SHOPPER = '+34612345678';

function gatewayYaml(storage: string, metrics: string, model: string, twilioApi: string): string {
  return testYaml(
    '/unused.db',
    `
metrics: ${metrics}
llm: { enabled: true, baseURL: "${model}", model: test, apiKey: test, timeoutMs: 5000 }
channels:
  webchat: { type: webchat }
  sms: { type: twilio, accountSid: ${ACCOUNT_SID}, authToken: ${AUTH_TOKEN}, from: "+15005550006", publicUrl: "${PUBLIC_URL}", apiRoot: "${twilioApi}" }
`,
  ).replace(/^storage: .*$/m, `storage: ${storage}`);
}

/** An SMS from the shopper, signed as Twilio signs it; `n` makes its MessageSid its own. */
function sms(n: number, text: string): string {
  return fixture('inbound_sms.form')
    .replaceAll('SM1f0e8ae6ade43cb3c0ce4525424e404f', `SM${String(n).padStart(32, 'a')}`)
    .replace('Body=Ahoy%21+We+can+do+that', `Body=${encodeURIComponent(text)}`)
    .replace('From=%2B14017122661', `From=${encodeURIComponent(SHOPPER)}`);
}

/** An address of this machine other than loopback, if it has one. */
function outsideAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
}

describe.each(databases)('metrics on $name', (db: TestDatabase) => {
  const opened = [db.open(), db.open()];
  const [main, separate] = opened as [ReturnType<TestDatabase['open']>, ReturnType<TestDatabase['open']>];
  let gateway: Gateway;
  let listenerGateway: Gateway;
  let api: Awaited<ReturnType<typeof twilioApiServer>>;
  // The model answers at once, but takes its time over "slowly" and refuses "broken" (HTTP 400).
  const model = new ModelServer((req) => {
    const text = shopperText(req);
    if (text.includes('slowly')) return { content: 'Standard shipping takes 3 to 5 business days.', delayMs: 1500 };
    if (text.includes('broken')) return { status: 400 };
    return { content: 'Standard shipping takes 3 to 5 business days.' };
  });
  const metrics = (key: string | undefined = KEY) => scrape(`${gateway.url}/metrics`, key);
  const families = async (): Promise<Families> => (await metrics()).families;
  const post = (body: string) =>
    fetch(`${gateway.url}/webhooks/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': sign(body) },
      body,
    });
  const sent = () => api.messages().filter((m) => m.form.get('To') === SHOPPER);

  beforeAll(async () => {
    await model.start();
    api = await twilioApiServer();
    const start = (storage: string, block: string) =>
      startGateway(parseConfigText(gatewayYaml(storage, block, model.url, api.url), join('/tmp', 'gateway.yaml'), process.env, channelDefinitions), {
        log: silentLogger,
      });
    gateway = await start(main.storage, `{ enabled: true, key: "${KEY}", instance: gw-${db.name} }`);
    listenerGateway = await start(separate.storage, `{ enabled: true, port: 0, host: 127.0.0.1, key: "${KEY}" }`);
  }, 60_000);
  afterAll(async () => {
    await gateway?.close();
    await listenerGateway?.close();
    await api?.close();
    await model.close();
    for (const o of opened) await o.cleanup();
  });

  it('answers 401 without the key or with a wrong one, 200 in the text format with it', async () => {
    const none = await scrape(`${gateway.url}/metrics`);
    expect(none.status).toBe(401);
    expect((await metrics('metrics-key-0123456789abcdeX')).status).toBe(401);
    expect((await metrics('short')).status).toBe(401);
    const ok = await metrics();
    expect(ok.status).toBe(200);
    expect(ok.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    // Every series carries the instance, the process metrics included.
    const cpu = ok.families.find((f) => f.name === 'process_cpu_user_seconds_total');
    expect(cpu?.metrics[0]?.labels).toMatchObject({ instance: `gw-${db.name}` });
    expect(sampleOf(ok.families, 'parley_channel_info', { channel: 'sms', type: 'twilio' })).toBe(1);
    expect(sampleOf(ok.families, 'parley_database_up')).toBe(1);
  });

  it('counts turns, deliveries by outcome, retries and receipts on SMS', async () => {
    // The first send fails with a 503 (retried), the second reaches the shopper.
    api.answers.push({ status: 503, json: { code: 20500, message: 'Service unavailable', status: 503 } });
    expect((await post(sms(1, 'How long does shipping to Germany take?'))).status).toBe(200);
    await until(families, (f) => sampleOf(f, 'parley_deliveries_total', { channel: 'sms', outcome: 'sent' }) === 1, 20_000);
    expect(sent()).toHaveLength(2);
    const sid = `SM${'1'.padStart(32, '0')}`;
    const receipt = fixture('status_delivered.form')
      .replaceAll('SM1342fe1b2c904d1ab04f0fc7a58abca9', sid)
      .replace('To=%2B15558675310', `To=${encodeURIComponent(SHOPPER)}`);
    expect((await post(receipt)).status).toBe(200);
    const after = await until(families, (f) => sampleOf(f, 'parley_delivery_status_total', { channel: 'sms', status: 'delivered' }) === 1);
    expect(sampleOf(after, 'parley_deliveries_total', { channel: 'sms', outcome: 'sent' })).toBe(1);
    expect(sampleOf(after, 'parley_deliveries_total', { channel: 'sms', outcome: 'failed' })).toBe(1);
    expect(sampleOf(after, 'parley_delivery_retries_total', { channel: 'sms', reason: 'transient' })).toBe(1);
    expect(sampleOf(after, 'parley_deliveries_total', { channel: 'sms', outcome: 'dead' })).toBeUndefined();
    expect(sampleOf(after, 'parley_delivery_latency_seconds', { channel: 'sms' })).toBe(1);
    // Two turns: the message and the receipt.
    expect(sampleOf(after, 'parley_turn_duration_seconds', { channel: 'sms' })).toBe(2);
    expect(sampleOf(after, 'parley_model_duration_seconds')).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('shows a turn waiting on a slow model in the inbox depth and age, and none once it is done', async () => {
    expect((await post(sms(2, 'Please answer slowly: do you ship to Spain?'))).status).toBe(200);
    const busy = await until(families, (f) => (sampleOf(f, 'parley_inbox_depth') ?? 0) >= 1, 5000);
    await new Promise((r) => setTimeout(r, 300));
    const older = await families();
    expect(sampleOf(older, 'parley_inbox_oldest_age_seconds')).toBeGreaterThanOrEqual(0.3);
    expect(sampleOf(busy, 'parley_inbox_depth')).toBe(1);
    await until(families, (f) => sampleOf(f, 'parley_deliveries_total', { channel: 'sms', outcome: 'sent' }) === 2, 20_000);
    await gateway.idle();
    const idle = await families();
    expect(sampleOf(idle, 'parley_inbox_depth')).toBe(0);
    expect(sampleOf(idle, 'parley_inbox_oldest_age_seconds')).toBe(0);
    expect(sampleOf(idle, 'parley_outbox_depth')).toBe(0);
    // Of three SMS turns (two messages, a receipt), the slow one took more than a second.
    expect(sampleOf(idle, 'parley_turn_duration_seconds_bucket', { channel: 'sms', le: '1' })).toBe(2);
    expect(sampleOf(idle, 'parley_turn_duration_seconds_bucket', { channel: 'sms', le: '+Inf' })).toBe(3);
    expect(sampleOf(idle, 'parley_turn_duration_seconds', { channel: 'sms' })).toBe(3);
  }, 60_000);

  it('counts a refused model call and a dead letter', async () => {
    api.answers.push({ status: 400, json: { code: 21211, message: "The 'To' number is not a valid phone number.", status: 400 } });
    expect((await post(sms(3, 'This question is broken'))).status).toBe(200);
    const after = await until(families, (f) => sampleOf(f, 'parley_deliveries_total', { channel: 'sms', outcome: 'dead' }) === 1, 20_000);
    expect(sampleOf(after, 'parley_dead_letters_total', { channel: 'sms', reason: 'invalid' })).toBe(1);
    expect(sampleOf(after, 'parley_model_errors_total', { kind: 'refused' })).toBe(1);
    const provider = new URL(model.url).host;
    expect(sampleOf(after, 'parley_model_errors_total', { provider })).toBe(1);
  }, 60_000);

  it('counts open web chat sockets and handoffs by reason', async () => {
    const { token } = await openSession(gateway.url);
    const socket = await ChatSocket.connect(gateway.url, token);
    expect(sampleOf(await families(), 'parley_open_sockets', { kind: 'webchat' })).toBe(1);
    socket.send({ type: 'message', clientId: 'h-1', text: 'I want to talk to a human' });
    // The handoff is counted as the turn queues it; the turn, once it is done.
    const after = await until(families, (f) => sampleOf(f, 'parley_turn_duration_seconds', { channel: 'webchat' }) === 1, 20_000);
    expect(sampleOf(after, 'parley_handoffs_total', { reason: 'shopper_request' })).toBe(1);
    expect(sampleOf(after, 'parley_handoffs_total')).toBe(1);
    await socket.close();
    await until(families, (f) => sampleOf(f, 'parley_open_sockets', { kind: 'webchat' }) === 0);
  }, 60_000);

  it('serves a listener of its own, bound to the configured address, with the key; the public port has no /metrics', async () => {
    const url = listenerGateway.metricsUrl;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await scrape(`${listenerGateway.url}/metrics`, KEY)).status).toBe(404);
    expect((await scrape(`${url}/metrics`)).status).toBe(401);
    expect((await scrape(`${url}/metrics`, `${KEY}x`)).status).toBe(401);
    const ok = await scrape(`${url}/metrics`, KEY);
    expect(ok.status).toBe(200);
    expect(sampleOf(ok.families, 'parley_inbox_depth')).toBe(0);
    expect((await fetch(`${url}/other`)).status).toBe(404);
    const outside = outsideAddress();
    if (outside) await expect(fetch(url?.replace('127.0.0.1', outside) ?? '')).rejects.toThrow();
  });
});

describe('metrics configuration', () => {
  const parse = (block: string) => parseConfigText(testYaml('/tmp/x.db', `metrics: ${block}`), 'gateway.yaml', {}, channelDefinitions);

  it('refuses metrics with neither a key nor a listener of their own, and a short key', () => {
    expect(() => parse('{ enabled: true }')).toThrow(/metrics\.key.*metrics\.port/);
    expect(() => parse('{ enabled: true, key: short }')).toThrow(/at least 16 characters/);
    expect(parse('{ enabled: true, port: 9464 }').metrics).toMatchObject({ enabled: true, port: 9464, host: '127.0.0.1' });
    expect(parse('{}').metrics.enabled).toBe(false);
  });
});
