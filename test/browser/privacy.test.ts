import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/server/gateway.js';
import { launchChromium } from '../support/browser.js';
import { ConsoleClient } from '../support/console-client.js';
import { makeSite, startTestGateway, type TestSite } from '../support/gateway.js';
import { history, openSession, sendHttp, until } from '../support/webchat-client.js';

const ADMIN = { email: 'lead@shop.test', password: 'lead-password-123' };
const AGENT = { email: 'li@shop.test', password: 'li-password-123' };

/** A web chat shopper who asked one question and got the answer; their conversation. */
async function shopperWhoChatted(gateway: Gateway, text: string) {
  const { token } = await openSession(gateway.url);
  await sendHttp(gateway.url, token, { type: 'message', clientId: `q-${text.length}`, text });
  await until(
    () => history(gateway.url, token),
    (m) => m.some((x) => x.role === 'bot'),
  );
  const [conversation] = await gateway.store.listConversations({ limit: 1 });
  if (!conversation) throw new Error('no conversation');
  return conversation;
}

describe('Admin → Privacy in the console', () => {
  let site: TestSite;
  let gateway: Gateway;
  let browser: Browser;
  let admin: ConsoleClient;
  let agent: ConsoleClient;

  beforeAll(async () => {
    site = makeSite(`console: { admin: { email: "${ADMIN.email}", password: "${ADMIN.password}", name: Lead } }`);
    gateway = await startTestGateway(site);
    admin = await ConsoleClient.login(gateway.url, ADMIN.email, ADMIN.password);
    expect((await admin.call('POST', '/agents', { ...AGENT, name: 'Li', language: 'en' })).status).toBe(201);
    agent = await ConsoleClient.login(gateway.url, AGENT.email, AGENT.password);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    site?.cleanup();
  });

  it('is for admins only, and needs the CSRF token to erase', async () => {
    const conversation = await shopperWhoChatted(gateway, 'Do you ship to Austria?');
    const path = `/shoppers/${conversation.shopperId}?by=id`;
    expect((await agent.call('GET', `/shoppers/${conversation.shopperId}/export?by=id`)).body.error).toBe('forbidden');
    expect((await agent.call('DELETE', path)).status).toBe(403);
    expect((await admin.call('DELETE', path, undefined, { csrf: false })).body.error).toBe('bad_csrf');
    const erased = await admin.call('DELETE', path);
    expect(erased.status).toBe(200);
    expect(erased.body.erasure).toMatchObject({ actor: expect.stringMatching(/^agent:/), counts: { shoppers: 1, messages: 2 } });
    expect((await admin.call('DELETE', path)).body.error).toBe('unknown_shopper');
  });

  it('exports a shopper to a file, then erases them after a confirmation', async () => {
    const conversation = await shopperWhoChatted(gateway, 'How long does shipping to Germany take?');
    const page = await (await browser.newContext({ locale: 'en-GB', acceptDownloads: true })).newPage();
    await page.goto(`${gateway.url}/console`);
    await page.getByTestId('login-email').fill(ADMIN.email);
    await page.getByTestId('login-password').fill(ADMIN.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('admin-toggle').click();
    await page.getByTestId('admin-tab-privacy').click();
    await page.getByTestId('privacy-by').selectOption('id');
    await page.getByTestId('privacy-who').fill(conversation.shopperId);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('privacy-export').click()]);
    expect(download.suggestedFilename()).toBe(`shopper-${conversation.shopperId}.json`);
    await page.getByTestId('privacy-result').getByText('Exported 1 conversations with 2 messages.').waitFor();

    // The first confirmation is declined: nothing happens.
    page.once('dialog', (dialog) => void dialog.dismiss());
    await page.getByTestId('privacy-erase').click();
    expect(await gateway.store.getConversation(conversation.id)).toBeDefined();

    page.once('dialog', (dialog) => {
      expect(dialog.message()).toBe(`Erase everything held about ${conversation.shopperId}? This cannot be undone.`);
      void dialog.accept();
    });
    await page.getByTestId('privacy-erase').click();
    await page
      .getByTestId('privacy-result')
      .getByText(/^Erased \d+ records \(erasure erasure-/)
      .waitFor();
    expect(await gateway.store.getConversation(conversation.id)).toBeUndefined();
  });
});
