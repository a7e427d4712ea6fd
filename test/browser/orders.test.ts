import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identitySignature } from '../../adapters/webchat/index.js';
import { type Gateway, projectRoot } from '../../src/server/gateway.js';
import { artifactsDir, launchChromium } from '../support/browser.js';
import { makeSite, startTestGateway, type TestSite } from '../support/gateway.js';

const SECRET = 'browser-identity-secret-0123456789abcdef';

describe('order help in the widget, on the demo setup (demo mailbox, no model), in Chromium', () => {
  let site: TestSite;
  let gateway: Gateway;
  let browser: Browser;

  beforeAll(async () => {
    site = makeSite(`orders: { connector: file, file: "${join(projectRoot, 'config/orders/sample.json')}" }
mail: { demoMailbox: true }
channels:
  webchat: { type: webchat, identitySecret: "${SECRET}" }`);
    writeFileSync(
      site.configFile,
      readFileSync(site.configFile, 'utf8').replace(
        /^shop:.*$/m,
        'shop: { name: Pawsome, languages: [en, es, zh-CN], defaultLanguage: en, workingLanguage: en }',
      ),
    );
    gateway = await startTestGateway(site);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    site?.cleanup();
  });

  it('a Spanish shopper asks where the order is, reads the code in the demo mailbox, and sees the order with its tracking link', async () => {
    const context = await browser.newContext({ locale: 'es-ES', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(gateway.url);
    await page.locator('parley-widget').getByRole('button').first().click();
    const input = page.locator('parley-widget').getByRole('textbox');
    const log = page.getByRole('log');
    await input.fill('¿Dónde está mi pedido PS-100234?');
    await input.press('Enter');
    await log.getByText(/e\*\*\*@example\.com/).waitFor({ timeout: 15_000 });

    // The demo shop page links the mailbox; the code is in the Spanish mail.
    const mailbox = await context.newPage();
    await page.getByTestId('demo-mailbox').waitFor();
    await mailbox.goto(`${gateway.url}/demo/mailbox`);
    const mail = (await mailbox.locator('article').first().textContent()) ?? '';
    expect(mail).toMatch(/PS-100234/);
    expect(mail).toMatch(/código/);
    const code = /\b(\d{6})\b(?![\s\S]*PS-)/.exec(mail.replace(/PS-\d+/g, ''))?.[1] ?? '';
    expect(code).toMatch(/^\d{6}$/);
    await mailbox.screenshot({ path: join(artifactsDir, 'demo-mailbox.png') });

    await input.fill(code);
    await input.press('Enter');
    await log.getByText(/está en camino con DHL/).waitFor({ timeout: 15_000 });
    const shown = (await log.textContent()) ?? '';
    expect(shown).toMatch(/104,95/);
    const track = log.getByRole('link', { name: 'Seguir paquete' });
    expect(await track.getAttribute('href')).toMatch(/^https:\/\/www\.dhl\.de\//);
    await page.waitForTimeout(500); // the bubble's fade-in, for a screenshot worth looking at
    await page.screenshot({ path: join(artifactsDir, 'widget-order-es.png') });
    await context.close();
  });

  it('a logged-in shopper the shop signed for sees their order at once, in Chinese', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 800 }, isMobile: true, hasTouch: true });
    const signature = identitySignature(SECRET, 'C-2002', 'li.wei@example.cn');
    await context.addInitScript(
      ({ signature }) => {
        (window as unknown as { ParleySettings: unknown }).ParleySettings = {
          identity: { userId: 'C-2002', email: 'li.wei@example.cn', name: '李伟', signature },
        };
      },
      { signature },
    );
    const page = await context.newPage();
    await page.goto(gateway.url);
    await page.locator('parley-widget').getByRole('button').first().click();
    const input = page.locator('parley-widget').getByRole('textbox');
    await input.fill('我的订单 PS-100236 到哪了？');
    await input.press('Enter');
    const log = page.getByRole('log');
    await log.getByText(/PS-100236.*已送达/).waitFor({ timeout: 15_000 });
    expect((await log.textContent()) ?? '').not.toMatch(/验证码|l\*\*\*@/);
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(artifactsDir, 'widget-order-identified-zh.png') });
    await context.close();
  });
});
