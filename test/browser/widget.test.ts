import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/server/gateway.js';
import { artifactsDir, launchChromium } from '../support/browser.js';
import { makeSite, startTestGateway, type TestSite } from '../support/gateway.js';

describe('the widget on the demo shop page, in Chromium', () => {
  let site: TestSite;
  let gateway: Gateway;
  let browser: Browser;

  beforeAll(async () => {
    site = makeSite();
    gateway = await startTestGateway(site);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    site?.cleanup();
  });

  it('opens by its accessible names, sends a message and shows the answer in the log', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(gateway.url);
    await expect(page.title()).resolves.toMatch(/Pawsome/);
    await page.getByRole('button', { name: /chat/i }).click();
    const input = page.getByRole('textbox', { name: /message/i });
    await input.fill('How long does shipping to Germany take?');
    await input.press('Enter');
    const log = page.getByRole('log');
    await log.getByText(/2–3 business days/).waitFor({ timeout: 15_000 });
    await expect(log.textContent()).resolves.toMatch(/Source: Shipping to Germany/);
    await page.screenshot({ path: join(artifactsDir, 'widget-desktop.png') });

    // The session survives a reload: the history comes back from the server.
    await page.reload();
    await page.getByRole('button', { name: /chat/i }).click();
    await page.getByRole('log').getByText(/2–3 business days/).waitFor({ timeout: 15_000 });
    await context.close();
  });

  it('fits a phone screen and lays out right-to-left in Arabic', async () => {
    const context = await browser.newContext({ locale: 'ar', viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto(gateway.url);
    await page.getByRole('button').filter({ has: page.locator('[aria-expanded]') }).or(page.locator('parley-widget').getByRole('button').first()).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    const box = await dialog.boundingBox();
    expect(box?.width).toBeGreaterThanOrEqual(370);
    const dir = await page.locator('parley-widget').evaluate((host) => host.shadowRoot?.querySelector('[dir]')?.getAttribute('dir'));
    expect(dir).toBe('rtl');
    await page.screenshot({ path: join(artifactsDir, 'widget-phone-ar.png') });
    await context.close();
  });
});
