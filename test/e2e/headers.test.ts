import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/server/gateway.js';
import { makeSite, startTestGateway, type TestSite } from '../support/gateway.js';

describe('security headers', () => {
  let site: TestSite;
  let gateway: Gateway;

  beforeAll(async () => {
    site = makeSite();
    gateway = await startTestGateway(site);
  });
  afterAll(async () => {
    await gateway?.close();
    site?.cleanup();
  });

  it('keeps the console unframeable and to its own origin', async () => {
    const page = await fetch(`${gateway.url}/console/`);
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    // The API answers carry them too.
    const api = await fetch(`${gateway.url}/console/api/queue`);
    expect(api.status).toBe(401);
    expect(api.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('lets shop pages on other origins load the widget, and nothing frame it', async () => {
    for (const path of ['/widget.js', '/widget.css']) {
      const res = await fetch(`${gateway.url}${path}`, { headers: { origin: 'https://shop.example' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
    const session = await fetch(`${gateway.url}/webchat/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://shop.example' },
      body: '{}',
    });
    expect(session.status).toBe(200);
    expect(session.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(session.headers.get('x-content-type-options')).toBe('nosniff');
    expect(session.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('gives the demo shop a policy its page and the widget work under', async () => {
    const page = await fetch(gateway.url);
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('adds none to webhooks (servers call them)', async () => {
    const res = await fetch(`${gateway.url}/webhooks/webchat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-security-policy')).toBeNull();
  });
});
