import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/server/gateway.js';
import { launchChromium } from '../support/browser.js';
import { makeSite, startTestGateway, type TestSite } from '../support/gateway.js';

const ADMIN = { email: 'lead@shop.test', password: 'lead-password-123' };

/** A page that records every Content-Security-Policy violation it meets. */
async function watchedPage(context: BrowserContext): Promise<Page & { violations(): Promise<string[]> }> {
  await context.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await context.newPage();
  return Object.assign(page, { violations: () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp) });
}

/** A shop's own page on another origin, embedding the widget from the gateway. */
function shopPage(gatewayUrl: string): Promise<Server> {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Another shop</title></head>
<body><h1>Another shop</h1><script src="${gatewayUrl}/widget.js" async></script></body></html>`;
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html));
  return new Promise((resolve) => server.listen(0, 'localhost', () => resolve(server)));
}

describe('security headers the console and the widget run under, in Chromium', () => {
  let site: TestSite;
  let gateway: Gateway;
  let browser: Browser;
  let shop: Server;

  beforeAll(async () => {
    site = makeSite(`console: { admin: { email: "${ADMIN.email}", password: "${ADMIN.password}", name: Lead } }`);
    gateway = await startTestGateway(site);
    shop = await shopPage(gateway.url);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => shop?.close(resolve));
    await gateway?.close();
    site?.cleanup();
  });

  it('runs the console, its admin pages and its socket without a policy violation', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1366, height: 768 } });
    const page = await watchedPage(context);
    await page.goto(`${gateway.url}/console`);
    await page.getByTestId('login-email').fill(ADMIN.email);
    await page.getByTestId('login-password').fill(ADMIN.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('agent-name').waitFor();
    await page.getByTestId('admin-toggle').click();
    const tabs = page.locator('[data-testid^="admin-tab-"]');
    await tabs.first().waitFor();
    for (let i = 0; i < (await tabs.count()); i++) await tabs.nth(i).click();
    // Online means the socket is open.
    await page.getByTestId('status').waitFor();
    expect(await page.violations()).toEqual([]);
    await context.close();
  });

  it('runs the widget on a shop page of another origin: script, styles, session, socket and answer', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
    const page = await watchedPage(context);
    const { port } = shop.address() as AddressInfo;
    await page.goto(`http://localhost:${port}/`);
    await page.getByRole('button', { name: /chat/i }).click();
    const input = page.getByRole('textbox', { name: /message/i });
    await input.fill('How long does shipping to Germany take?');
    await input.press('Enter');
    await page
      .getByRole('log')
      .getByText(/2–3 business days/)
      .waitFor({ timeout: 15_000 });
    expect(await page.violations()).toEqual([]);
    await context.close();
  });

  it('runs the demo shop and its widget without a policy violation', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
    const page = await watchedPage(context);
    await page.goto(gateway.url);
    await page.getByRole('button', { name: /chat/i }).click();
    const input = page.getByRole('textbox', { name: /message/i });
    await input.fill('How long does shipping to Germany take?');
    await input.press('Enter');
    await page
      .getByRole('log')
      .getByText(/2–3 business days/)
      .waitFor({ timeout: 15_000 });
    expect(await page.violations()).toEqual([]);
    await context.close();
  });
});
