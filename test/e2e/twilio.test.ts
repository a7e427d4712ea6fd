import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/server/gateway.js';
import { inboxRows, makeSite, readSite, startTestGateway, type TestSite } from '../support/gateway.js';
import { ACCOUNT_SID, AUTH_TOKEN, fixture, PUBLIC_URL, sign, twilioApiServer } from '../support/twilio.js';
import { until } from '../support/webchat-client.js';

/**
 * A gateway with a `type: twilio` block behind a proxy: Twilio calls and signs PUBLIC_URL, the
 * proxy forwards to /webhooks/sms, and replies go to a local server speaking the Messages API.
 */
describe('Twilio SMS end to end', () => {
  let api: Awaited<ReturnType<typeof twilioApiServer>>;
  let site: TestSite;
  let gateway: Gateway;

  beforeAll(async () => {
    api = await twilioApiServer();
    site = makeSite(`
channels:
  sms:
    type: twilio
    accountSid: ${ACCOUNT_SID}
    authToken: ${AUTH_TOKEN}
    from: "+15005550006"
    publicUrl: ${PUBLIC_URL}
    apiRoot: "${api.url}"
`);
    gateway = await startTestGateway(site);
  }, 30_000);
  afterAll(async () => {
    await gateway?.close();
    await api?.close();
    site?.cleanup();
  });

  const post = (body: string, signature = sign(body)) =>
    fetch(`${gateway.url}/webhooks/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      body,
    });
  const sentTo = (to: string) => api.messages().filter((m) => m.form.get('To') === to);

  it('a Spanish SMS gets a Spanish answer through the Messages API, once, however often Twilio delivers it', async () => {
    const body = fixture('inbound_sms_es.form');
    const first = await post(body);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(await first.text()).toMatch(/<Response\/>$/);
    expect((await post(body)).status).toBe(200);
    const [reply] = await until(
      async () => sentTo('+34612345678'),
      (sent) => sent.length >= 1,
      20_000,
    );
    expect(reply?.headers.authorization).toBe(`Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`);
    expect(reply?.form.get('From')).toBe('+34911234567');
    expect(reply?.form.get('StatusCallback')).toBe(PUBLIC_URL);
    const text = sentTo('+34612345678')
      .map((m) => m.form.get('Body'))
      .join('\n');
    expect(text).toMatch(/Alemania/);
    expect(text).not.toMatch(/Germany|Source:/);
    await gateway.idle();
    await new Promise((r) => setTimeout(r, 500));
    const bodies = sentTo('+34612345678').map((m) => m.form.get('Body'));
    expect(new Set(bodies).size).toBe(bodies.length);
  });

  it('a status callback marks the reply delivered', async () => {
    const statusOf = (sid: string) => readSite<{ status: string }>(site, 'SELECT status FROM messages WHERE platform_message_id = ?', sid)[0]?.status;
    // The Messages API server numbers its SIDs: the first reply is SM…01.
    const sid = `SM${'1'.padStart(32, '0')}`;
    expect(statusOf(sid)).toBe('sent');
    const callback = fixture('status_delivered.form').replaceAll('SM1342fe1b2c904d1ab04f0fc7a58abca9', sid).replace('To=%2B15558675310', 'To=%2B34612345678');
    expect((await post(callback)).status).toBe(200);
    const status = await until(
      async () => statusOf(sid),
      (s) => s === 'delivered',
      10_000,
    );
    expect(status).toBe('delivered');
  });

  it('a bad signature is refused with 401 and nothing is stored', async () => {
    const before = inboxRows(site);
    const body = fixture('inbound_sms.form');
    expect((await post(body, 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=')).status).toBe(401);
    expect((await post(body, sign(body, 'https://evil.example/webhooks/sms'))).status).toBe(401);
    expect((await post(body.replace('Ahoy', 'Oops'), sign(body))).status).toBe(401);
    expect(inboxRows(site)).toBe(before);
  });

  it('STOP gets no bot reply and records the opt-out; START lifts it', async () => {
    const before = api.messages().length;
    expect((await post(fixture('inbound_keyword_stop.form'))).status).toBe(200);
    const key = 'care:unreachable:sms:14017122661';
    const flag = await until(
      async () => gateway.store.kvGet(key, Date.now()),
      (v) => v !== undefined,
      10_000,
    );
    expect(flag).toBe('blocked');
    await gateway.idle();
    await new Promise((r) => setTimeout(r, 500));
    expect(api.messages().length).toBe(before);
    expect((await post(fixture('inbound_keyword_start.form'))).status).toBe(200);
    await until(
      async () => gateway.store.kvGet(key, Date.now()),
      (v) => v === undefined,
      10_000,
    );
    await gateway.idle();
    expect(api.messages().length).toBe(before);
  });
});
