import { describe, expect, it } from 'vitest';
import { describeAdapterContract } from '../../test/contract/adapter-contract.js';
import { createWhatsAppAdapter, whatsappChannel } from './adapter.js';
import { whatsappConfigSchema } from './config.js';
import { APP_SECRET, fixtureBodies, signedRequest, testContext } from '../../test/support/whatsapp.js';

const config = whatsappConfigSchema.parse({
  phoneNumberId: '1122334455667',
  accessToken: 'token',
  appSecret: APP_SECRET,
  verifyToken: 'meatyhamhock',
  graphBaseUrl: 'http://127.0.0.1:9',
});

describeAdapterContract({
  name: 'whatsapp',
  create: () => createWhatsAppAdapter(config, testContext()),
  validRequests: () => fixtureBodies().map((f) => signedRequest(f.body)),
});

describe('whatsapp adapter', () => {
  it('every fixture verifies and normalises to at least one event', () => {
    const adapter = createWhatsAppAdapter(config, testContext());
    for (const { name, body } of fixtureBodies()) {
      const verified = adapter.verify(signedRequest(body));
      if (!('ok' in verified) || !verified.ok) throw new Error(`${name} did not verify`);
      expect(adapter.normalize(verified.request).events.length, name).toBeGreaterThan(0);
    }
  });

  it('rejects a body signed with another app secret', () => {
    const adapter = createWhatsAppAdapter(config, testContext());
    const [first] = fixtureBodies();
    expect(adapter.verify(signedRequest(first?.body ?? '', 'someone else'))).toMatchObject({ ok: false, status: 401 });
  });

  it('answers the GET handshake', async () => {
    const adapter = createWhatsAppAdapter(config, testContext());
    const query = { 'hub.mode': 'subscribe', 'hub.challenge': '1158201444', 'hub.verify_token': 'meatyhamhock' };
    const ack = await adapter.handshake?.({ method: 'GET', url: '/webhooks/wa-test', headers: {}, query, body: Buffer.alloc(0) });
    expect(ack).toMatchObject({ status: 200, body: '1158201444' });
  });
});

describe('whatsappChannel', () => {
  it('parses a block with defaults and reports missing secrets by env var', () => {
    const parsed = whatsappChannel.parseConfig({ phoneNumberId: 106540352242922 });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value).toMatchObject({ phoneNumberId: '106540352242922', graphBaseUrl: 'https://graph.facebook.com', apiVersion: 'v21.0', templates: {} });
    expect(whatsappChannel.describe?.(parsed.value).missing).toEqual([
      'accessToken (WHATSAPP_ACCESS_TOKEN)',
      'appSecret (WHATSAPP_APP_SECRET)',
      'verifyToken (WHATSAPP_VERIFY_TOKEN)',
    ]);
  });

  it('accepts templates and reports every problem with its path', () => {
    const good = whatsappChannel.parseConfig({
      phoneNumberId: '1',
      templates: { order_shipped: { name: 'order_shipped_v2', languages: { es: 'es', en: 'en_US' } } },
    });
    expect(good.ok).toBe(true);
    const bad = whatsappChannel.parseConfig({
      phoneNumberId: '+34 612',
      apiVersion: '21',
      graphBaseUrl: 'ftp://x',
      templates: { a: { languages: {} } },
      tokne: 'x',
    });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    const paths = bad.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['phoneNumberId', 'apiVersion', 'graphBaseUrl', 'templates.a.name']));
    expect(bad.issues.some((i) => /tokne/.test(i.message))).toBe(true);
  });
});
