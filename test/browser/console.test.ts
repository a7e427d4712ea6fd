import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/server/gateway.js';
import { artifactsDir, launchChromium } from '../support/browser.js';
import { ConsoleClient } from '../support/console-client.js';
import { makeSite, startTestGateway, type TestSite } from '../support/gateway.js';
import { PlatformServer } from '../support/platform-server.js';
import { until } from '../support/webchat-client.js';

const ADMIN = { email: 'lead@shop.test', password: 'lead-password-123' };
const AGENT = { email: 'li@shop.test', password: 'li-password-123' };

/** What the stand-in LibreTranslate knows: `${source}>${target}:${text}` → translation. */
const DICTIONARY: Record<string, string> = {
  'es>en:Quiero hablar con una persona': 'I want to talk to a person',
  'es>zh:Quiero hablar con una persona': '我想和真人客服说话',
  'zh>es:您好，我是客服小李。您的订单明天发货。': 'Hola, soy Li, del servicio de atención al cliente. Su pedido se envía mañana.',
  'zh>en:您好，我是客服小李。您的订单明天发货。': 'Hello, I am Li from customer service. Your order ships tomorrow.',
};

/** What a LibreTranslate request asks for, as a {@link DICTIONARY} key. */
function asked(json: unknown): string {
  const { q, source, target } = (json ?? {}) as { q: string; source: string; target: string };
  return `${source}>${target}:${q}`;
}

/** A local server speaking LibreTranslate's `POST /translate`, recording what it was asked. */
function startTranslationServer(): Promise<PlatformServer> {
  return new PlatformServer((req) => {
    const { q } = (req.json ?? {}) as { q: string };
    // Unknown texts come back as they are (a real engine would translate them).
    return { json: { translatedText: DICTIONARY[asked(req.json)] ?? q } };
  }).start();
}

describe('the agent console and the shopper widget, in Chromium', () => {
  let site: TestSite;
  let gateway: Gateway;
  let browser: Browser;
  let translation: PlatformServer;

  beforeAll(async () => {
    translation = await startTranslationServer();
    site = makeSite(`
translation: { providers: [{ type: libretranslate, baseUrl: "${translation.url}" }] }
console: { admin: { email: "${ADMIN.email}", password: "${ADMIN.password}", name: Lead } }
handoff: { assignment: pick, noAgentTimeoutMs: 0 }
`);
    gateway = await startTestGateway(site);
    const admin = await ConsoleClient.login(gateway.url, ADMIN.email, ADMIN.password);
    const created = await admin.call('POST', '/agents', { ...AGENT, name: '小李', language: 'zh-CN', languages: ['zh-CN'] });
    expect(created.status).toBe(201);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    await translation?.stop();
    site?.cleanup();
  });

  it('a Spanish shopper reaches a Chinese-speaking agent, each reading the other in their own language', async () => {
    // ---- the shopper, on the demo shop in Spanish
    const shopperContext = await browser.newContext({ locale: 'es-ES', viewport: { width: 1280, height: 800 } });
    const shopper = await shopperContext.newPage();
    await shopper.goto(gateway.url);
    await shopper.getByRole('button', { name: /abrir chat/i }).click();
    const input = shopper.getByRole('textbox', { name: /mensaje/i });
    await input.fill('Quiero hablar con una persona');
    await input.press('Enter');
    const shopperLog = shopper.getByRole('log');
    await shopperLog
      .getByText(/equipo de atención al cliente|servicio de atención/i)
      .first()
      .waitFor({ timeout: 15_000 });

    // ---- the agent, in Chinese, on a laptop screen
    const agentContext = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 768 } });
    const agent = await agentContext.newPage();
    await agent.goto(`${gateway.url}/console`);
    await agent.getByTestId('login-email').fill(AGENT.email);
    await agent.getByTestId('login-password').fill(AGENT.password);
    await agent.getByTestId('login-submit').click();
    await agent.getByRole('heading', { level: 1, name: 'Parley 客服工作台' }).waitFor();
    const waiting = agent.getByTestId('queue-waiting').getByTestId('queue-item').first();
    await waiting.waitFor({ timeout: 15_000 });
    await expect(waiting.textContent()).resolves.toMatch(/webchat.*es/);
    await waiting.click();

    // Read in Chinese, the Spanish original one click away.
    const shopperMessage = agent.getByTestId('msg-shopper').first();
    await shopperMessage.getByText('我想和真人客服说话').waitFor();
    await shopperMessage.getByTestId('show-original').click();
    await shopperMessage.getByTestId('original').getByText('Quiero hablar con una persona').waitFor();
    await expect(agent.getByTestId('shopper-info').textContent()).resolves.toMatch(/webchat.*\(es\)/);

    await agent.getByTestId('take').click();
    await agent.getByTestId('conv-state').getByText('人工接待中').waitFor();
    await shopperLog.getByText(/小李/).waitFor({ timeout: 15_000 });

    // Reply in Chinese and see what the shopper will read before sending.
    const reply = agent.getByTestId('reply-input');
    await reply.fill('您好，我是客服小李。您的订单明天发货。');
    await agent.getByTestId('preview-text').getByText('Su pedido se envía mañana', { exact: false }).waitFor({ timeout: 10_000 });
    await agent.screenshot({ path: join(artifactsDir, 'console-reply-preview.png') });
    await reply.press('Control+Enter');
    await agent.getByTestId('msg-agent').getByText('您好，我是客服小李。您的订单明天发货。').waitFor();

    // The shopper reads the reply in Spanish, labelled as coming from an agent.
    const agentReply = shopperLog.getByText('Hola, soy Li, del servicio de atención al cliente. Su pedido se envía mañana.');
    await agentReply.waitFor({ timeout: 15_000 });
    await expect(shopperLog.textContent()).resolves.toMatch(/Agente/);
    await shopper.screenshot({ path: join(artifactsDir, 'shopper-agent-reply.png') });

    // Release to the bot: the shopper is asked for a rating and gives one.
    await agent.getByTestId('release').click();
    await agent.getByTestId('conv-state').getByText('等待评分').waitFor();
    await agent.screenshot({ path: join(artifactsDir, 'console-released.png') });
    await shopper.getByRole('button', { name: /5 – Excelente/ }).click();
    await shopperLog.getByText(/Gracias por tu valoración/).waitFor({ timeout: 15_000 });
    await shopper.screenshot({ path: join(artifactsDir, 'shopper-rated.png') });

    const admin = await ConsoleClient.login(gateway.url, ADMIN.email, ADMIN.password);
    const ratings = await until(
      () => admin.call('GET', '/ratings'),
      (r) => r.body.ratings?.length === 1,
    );
    expect(ratings.body.byAgent[0]).toMatchObject({ name: '小李', count: 1, average: 5 });
    expect(translation.received.map((r) => asked(r.json))).toContain('zh>es:您好，我是客服小李。您的订单明天发货。');

    // The console fits a laptop screen: no horizontal scrolling.
    const overflow = await agent.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await Promise.all([shopperContext.close(), agentContext.close()]);
  });
});
