import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type Gateway, projectRoot } from '../../src/server/gateway.js';
import { artifactsDir, launchChromium } from '../support/browser.js';
import { makeSite, startTestGateway, type TestSite } from '../support/gateway.js';

describe('the widget on the demo shop page, in Chromium', () => {
  let site: TestSite;
  let gateway: Gateway;
  let browser: Browser;

  beforeAll(async () => {
    site = makeSite();
    // The demo shop's own languages, as config/gateway.yaml lists them, and no translator.
    const languages = (parse(readFileSync(join(projectRoot, 'config/gateway.yaml'), 'utf8')) as { shop: { languages: string[] } }).shop.languages;
    writeFileSync(
      site.configFile,
      readFileSync(site.configFile, 'utf8').replace(
        /^shop:.*$/m,
        `shop: { name: Test Shop, languages: [${languages.join(', ')}], defaultLanguage: en, workingLanguage: en }`,
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
    await page
      .getByRole('log')
      .getByText(/2–3 business days/)
      .waitFor({ timeout: 15_000 });
    await context.close();
  });

  it('shows a sent message and a tapped button once each, also after a reconnect', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
    // Lets the test drop the socket right after a message goes out, before its ack comes back.
    await context.addInitScript(() => {
      const Native = window.WebSocket;
      const w = window as unknown as { __dropNextMessage?: boolean; __sockets: number };
      w.__sockets = 0;
      window.WebSocket = class extends Native {
        constructor(...args: ConstructorParameters<typeof WebSocket>) {
          super(...args);
          w.__sockets += 1;
        }
        override send(data: string) {
          super.send(data);
          if (w.__dropNextMessage && JSON.parse(data).type === 'message') {
            w.__dropNextMessage = false;
            this.close();
          }
        }
      };
    });
    const page = await context.newPage();
    await page.goto(gateway.url);
    await page.getByRole('button', { name: /chat/i }).click();
    const input = page.getByRole('textbox', { name: /message/i });
    const log = page.getByRole('log');
    const shopperTexts = () => log.locator('.parley-from-shopper .parley-text').allTextContents();
    const botCount = (n: number) =>
      log
        .locator('.parley-from-bot')
        .nth(n - 1)
        .waitFor({ timeout: 15_000 });

    await input.fill('zxqv blorp');
    await input.press('Enter');
    await log.getByRole('button', { name: 'Talk to a person' }).click();
    await botCount(2);
    await page.evaluate(() => {
      (window as unknown as { __dropNextMessage?: boolean }).__dropNextMessage = true;
    });
    await input.fill('Do you accept PayPal?');
    await input.press('Enter');
    // A person owns the conversation now, so the bot stays silent: wait for the reconnect and the replay.
    await page.waitForFunction(() => (window as unknown as { __sockets: number }).__sockets >= 2);
    await log.locator('.parley-pending').waitFor({ state: 'detached', timeout: 15_000 });
    await page.waitForTimeout(1000); // any late echo
    await page.screenshot({ path: join(artifactsDir, 'shopper-no-duplicates.png') });

    expect(await page.evaluate(() => (window as unknown as { __sockets: number }).__sockets)).toBe(2);
    expect(await shopperTexts()).toEqual(['zxqv blorp', 'Talk to a person', 'Do you accept PayPal?']);
    await expect(log.getByText('zxqv blorp', { exact: true }).count()).resolves.toBe(1);
    await expect(log.locator('.parley-pending').count()).resolves.toBe(0);
    await context.close();
  });

  it.each([
    // [browser locale, question, a fact from that language's article, the localised source line]
    ['zh-CN', '寄到德国要多长时间？', /2–3个工作日/, /来源：配送至德国/],
    ['es-ES', '¿Cuánto cuesta el envío a China?', /24,95 €/, /Fuente: Envíos a Asia-Pacífico/],
    ['ar-SA', 'كم تكلفة الشحن إلى ألمانيا؟', /5\.95 يورو/, /المصدر: الشحن إلى ألمانيا/],
  ])('answers a %s shopper with a fact in their own language, on the default offline setup', async (locale, question, fact, source) => {
    const context = await browser.newContext({ locale, viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(gateway.url);
    await page.locator('parley-widget').getByRole('button').first().click();
    const input = page.locator('parley-widget').getByRole('textbox');
    await input.fill(question);
    await input.press('Enter');
    const log = page.getByRole('log');
    await log.getByText(fact).waitFor({ timeout: 15_000 });
    const shown = (await log.textContent()) ?? '';
    expect(shown).toMatch(source);
    // Nothing Parley wrote reached this shopper in English.
    expect(shown).not.toMatch(/Source:|Talk to a person|not sure I understood/);
    await page.screenshot({ path: join(artifactsDir, `widget-answer-${locale}.png`) });
    await context.close();
  });

  it('fits a phone screen and lays out right-to-left in Arabic', async () => {
    const context = await browser.newContext({ locale: 'ar', viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto(gateway.url);
    await page
      .getByRole('button')
      .filter({ has: page.locator('[aria-expanded]') })
      .or(page.locator('parley-widget').getByRole('button').first())
      .first()
      .click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    // Measure the opened panel, not a frame of its 0.2 s opening animation.
    await dialog.evaluate((panel) => Promise.all(panel.getAnimations().map((a) => a.finished)));
    const box = await dialog.boundingBox();
    expect(box?.width).toBeGreaterThanOrEqual(370);
    const dir = await page.locator('parley-widget').evaluate((host) => host.shadowRoot?.querySelector('[dir]')?.getAttribute('dir'));
    expect(dir).toBe('rtl');
    await page.screenshot({ path: join(artifactsDir, 'widget-phone-ar.png') });
    await context.close();
  });
});
