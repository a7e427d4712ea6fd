import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/server/gateway.js';
import { oggOpus, speak } from '../support/audio.js';
import { artifactsDir, launchChromium } from '../support/browser.js';
import { makeSite, startTestGateway, type TestSite } from '../support/gateway.js';
import { ModelServer } from '../support/model-server.js';
import { PlatformServer } from '../support/platform-server.js';
import { history, openSession, sendHttp, until } from '../support/webchat-client.js';

const ADMIN = { email: 'lead@shop.test', password: 'lead-password-123' };
// A 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const PORT = 47631;
const HEARD = 'El tazón llegó roto, ¿qué hago?';
const TRANSLATED = 'The bowl arrived broken, what do I do?';

async function upload(base: string, token: string, data: Buffer, type: string, name: string): Promise<{ ref: string; kind: string }> {
  const res = await fetch(`${base}/webchat/upload`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': type, 'x-file-name': encodeURIComponent(name) },
    body: new Uint8Array(data),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { ref: string; kind: string };
}

async function signIn(page: Page, base: string): Promise<void> {
  await page.goto(`${base}/console`);
  await page.getByTestId('login-email').fill(ADMIN.email);
  await page.getByTestId('login-password').fill(ADMIN.password);
  await page.getByTestId('login-submit').click();
}

describe('agents see and send media in the console, in Chromium', () => {
  let site: TestSite;
  let gateway: Gateway;
  let browser: Browser;
  let model: ModelServer;
  let translation: PlatformServer;

  beforeAll(async () => {
    model = await new ModelServer(() => ({ content: 'UNKNOWN' })).start();
    model.transcribe = () => ({ text: HEARD });
    translation = await new PlatformServer((req) => {
      const { q, source, target } = (req.json ?? {}) as { q: string; source: string; target: string };
      return { json: { translatedText: source === 'es' && target === 'en' && q === HEARD ? TRANSLATED : q } };
    }).start();
    site = makeSite(`
translation: { providers: [{ type: libretranslate, baseUrl: "${translation.url}" }] }
transcription: { enabled: true, baseURL: "${model.url}", model: whisper-1, timeoutMs: 5000 }
console: { admin: { email: "${ADMIN.email}", password: "${ADMIN.password}", name: Lead } }
handoff: { assignment: pick, noAgentTimeoutMs: 0 }
`);
    // The public URL is the gateway's own address, so the shopper's widget loads the agent's photo from its link.
    const yaml = readFileSync(site.configFile, 'utf8').replace(
      /port: 0, host: 127\.0\.0\.1, publicUrl: "[^"]*"/,
      `port: ${PORT}, host: 127.0.0.1, publicUrl: "http://127.0.0.1:${PORT}"`,
    );
    writeFileSync(site.configFile, yaml);
    gateway = await startTestGateway(site);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    await model?.close();
    await translation?.stop();
    site?.cleanup();
  });

  it('shows a photo (thumbnail, full view, Escape), plays a voice note with its transcript and translation, and sends an agent photo to web chat by signed link', async () => {
    const { token } = await openSession(gateway.url);
    const photo = await upload(gateway.url, token, PNG, 'image/png', 'tazón.png');
    expect(
      (await sendHttp(gateway.url, token, { type: 'message', clientId: 'c-1', media: [{ ref: photo.ref, kind: 'image', name: 'tazón.png' }] })).status,
    ).toBeLessThan(300);
    const voice = await upload(gateway.url, token, oggOpus(speak(HEARD, 'es')), 'audio/ogg', 'voice.ogg');
    expect((await sendHttp(gateway.url, token, { type: 'message', clientId: 'c-2', media: [{ ref: voice.ref, kind: 'audio' }] })).status).toBeLessThan(300);
    // Another session's upload reference: intake keeps it as a link with the reason.
    const foreign = `upload:${'a'.repeat(64)}.${'b'.repeat(32)}`;
    expect(
      (await sendHttp(gateway.url, token, { type: 'message', clientId: 'c-3', media: [{ ref: foreign, kind: 'image', name: 'other.png' }] })).status,
    ).toBeLessThan(300);
    await until(
      () => Promise.resolve(model.transcriptions.length),
      (n) => n >= 1,
    );

    // The console's policy lets its own media route in (img-src, and media-src through default-src) and nothing else.
    const csp = (await fetch(`${gateway.url}/console/`)).headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/img-src 'self' data:(;|$)/);
    expect(csp).not.toMatch(/media-src/);

    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1366, height: 800 } });
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (m) => /Content Security Policy/i.test(m.text()) && violations.push(m.text()));
    await signIn(page, gateway.url);
    const item = page.getByTestId('queue-waiting').getByTestId('queue-item').first();
    await item.waitFor({ timeout: 15_000 });
    await item.click();

    // The photo: a lazy, fixed-size thumbnail named after the file, opening an accessible full view.
    const thumb = page.getByRole('button', { name: 'Open tazón.png full size' });
    await thumb.waitFor({ timeout: 15_000 });
    const img = thumb.locator('img');
    await expect(img.getAttribute('loading')).resolves.toBe('lazy');
    await expect(img.getAttribute('alt')).resolves.toBe('tazón.png');
    await expect(img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).resolves.toBe(1);
    await thumb.focus();
    await page.keyboard.press('Enter');
    const viewer = page.getByRole('dialog', { name: 'tazón.png' });
    await viewer.waitFor();
    await expect(page.evaluate(() => document.activeElement?.closest('dialog') !== null)).resolves.toBe(true);
    await page.screenshot({ path: join(artifactsDir, 'console-media-viewer.png') });
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });
    await expect(page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).resolves.toBe('media-thumb');

    // The voice note: a native player whose source loads, the words heard and their translation beside it.
    const audio = page.getByTestId('media-audio').locator('audio');
    await audio.waitFor({ timeout: 15_000 });
    const src = await audio.evaluate((el: HTMLAudioElement) => el.currentSrc || el.src);
    const loaded = await page.request.get(src);
    expect(loaded.status()).toBe(200);
    expect(loaded.headers()['content-type']).toBe('audio/ogg');
    await page.getByTestId('transcript').getByText(HEARD).waitFor();
    await page.getByTestId('transcript-translation').getByText(TRANSLATED).waitFor();
    await expect(
      audio.evaluate((el: HTMLAudioElement) => new Promise((r) => (el.readyState >= 1 ? r(true) : el.addEventListener('loadedmetadata', () => r(true))))),
    ).resolves.toBe(true);
    await page.screenshot({ path: join(artifactsDir, 'console-media-audio.png') });

    // What intake could not keep says why, in the agent's language.
    await page.getByTestId('media-error').getByText('Photo not received: cannot be downloaded from this channel').waitFor();

    // The agent attaches a photo: uploaded, listed, sent; the shopper gets it as a signed public link.
    await page.getByTestId('take').click();
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Attach a photo or file' }).click();
    await (await chooser).setFiles({ name: 'replacement.png', mimeType: 'image/png', buffer: PNG });
    await page
      .getByTestId('attachment')
      .getByText(/replacement\.png/)
      .waitFor();
    await page.getByTestId('send').click();
    await page.getByTestId('msg-agent').getByTestId('media-thumb').waitFor({ timeout: 15_000 });
    const sent = await until(
      () => history(gateway.url, token),
      (messages) => messages.some((m) => m.role === 'agent' && JSON.stringify(m).includes('/media/')),
    );
    const link = JSON.stringify(sent).match(/https?:[^"]*\/media\/[^"]+/)?.[0] ?? '';
    const url = new URL(link.replace(/\\u0026/g, '&'));
    expect(url.searchParams.get('sig')).toBeTruthy();
    const fetched = await fetch(`${gateway.url}${url.pathname}${url.search}`);
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await fetched.arrayBuffer()).equals(PNG)).toBe(true);
    url.searchParams.set('sig', `${url.searchParams.get('sig')?.slice(0, -2)}xx`);
    expect((await fetch(`${gateway.url}${url.pathname}${url.search}`)).status).toBe(403);
    await page.screenshot({ path: join(artifactsDir, 'console-media-sent.png') });

    // The shopper's widget (the same session) shows the agent's photo, loaded from its signed link.
    const shopperContext = await browser.newContext({ locale: 'es-ES', viewport: { width: 1280, height: 800 } });
    await shopperContext.addInitScript((t) => localStorage.setItem('parley.session', t), token);
    const shopper = await shopperContext.newPage();
    await shopper.goto(gateway.url);
    await shopper.getByRole('button', { name: /chat/i }).first().click();
    const agentPhoto = shopper.getByRole('log').getByRole('img', { name: 'replacement.png' });
    await agentPhoto.waitFor({ timeout: 15_000 });
    await expect(
      until(
        () => agentPhoto.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth),
        (w) => w === 1,
      ),
    ).resolves.toBe(1);
    await shopper.screenshot({ path: join(artifactsDir, 'widget-agent-photo.png') });
    await shopperContext.close();
    expect(violations).toEqual([]);
    await context.close();
  });
});
