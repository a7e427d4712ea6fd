import { createHash } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/server/gateway.js';
import { launchChromium } from '../support/browser.js';
import { makeSite, startTestGateway, type TestSite } from '../support/gateway.js';
import { until } from '../support/webchat-client.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 7, 7]);

describe('the widget attaches a photo, in Chromium', () => {
  let site: TestSite;
  let gateway: Gateway;
  let browser: Browser;

  beforeAll(async () => {
    site = makeSite('media: { maxBytes: { image: 5000 } }');
    gateway = await startTestGateway(site);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    site?.cleanup();
  });

  it('uploads through the attach button, sends the photo by reference and says why a file is refused', async () => {
    const context = await browser.newContext({ locale: 'es-ES', viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(gateway.url);
    await page.getByRole('button', { name: /chat/i }).first().click();
    // Accessible and localised: the button's name is the shopper's language.
    const attach = page.getByRole('button', { name: 'Adjuntar una foto o un archivo' });
    await attach.waitFor({ timeout: 15_000 });

    const chooser = page.waitForEvent('filechooser');
    await attach.click();
    await (await chooser).setFiles({ name: 'tazón roto.png', mimeType: 'image/png', buffer: PNG });
    await page.getByRole('log').getByText('tazón roto.png').first().waitFor({ timeout: 15_000 });
    const stored = await until(
      async () => {
        const conv = (await gateway.store.listConversations({ limit: 10 })).find((c) => c.channelId === 'webchat');
        const messages = conv ? await gateway.store.listMessages(conv.id, { limit: 10 }) : [];
        return messages.find((m) => m.role === 'shopper')?.parts[0];
      },
      (p) => p !== undefined,
    );
    expect(stored).toMatchObject({
      kind: 'image',
      name: 'tazón roto.png',
      stored: { sha256: createHash('sha256').update(PNG).digest('hex'), mimeType: 'image/png' },
    });

    const refused = page.waitForEvent('filechooser');
    await attach.click();
    await (await refused).setFiles({ name: 'x.svg', mimeType: 'image/svg+xml', buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>') });
    await page.getByText(/Ese tipo de archivo no se puede enviar/).waitFor({ timeout: 15_000 });
    await context.close();
  });
});
