import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Part } from '../../src/core/message.js';
import type { Gateway } from '../../src/server/gateway.js';
import { artifactsDir, launchChromium } from '../support/browser.js';
import { makeSite, startTestGateway, type TestSite } from '../support/gateway.js';
import { ModelServer } from '../support/model-server.js';
import { until } from '../support/webchat-client.js';

const HEARD = '¿Dónde está mi pedido?';

describe('the widget records a voice note, in Chromium with a fake microphone', () => {
  let site: TestSite;
  let gateway: Gateway;
  let browser: Browser;
  let model: ModelServer;

  beforeAll(async () => {
    model = await new ModelServer(() => ({ content: 'UNKNOWN' })).start();
    model.transcribe = () => ({ text: HEARD });
    site = makeSite(`transcription: { enabled: true, baseURL: "${model.url}", model: whisper-1, timeoutMs: 5000 }`);
    gateway = await startTestGateway(site);
    browser = await launchChromium(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream']);
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    await model?.close();
    site?.cleanup();
  });

  async function shopperAudio(): Promise<Part[]> {
    const conv = (await gateway.store.listConversations({ limit: 10 })).find((c) => c.channelId === 'webchat');
    const messages = conv ? await gateway.store.listMessages(conv.id, { limit: 20 }) : [];
    return messages.filter((m) => m.role === 'shopper').flatMap((m) => m.parts.filter((p) => p.kind === 'audio'));
  }

  it('records with a timer, stops on Escape, uploads the note as Opus audio, and it is stored and transcribed; Cancel sends nothing', async () => {
    const context = await browser.newContext({ locale: 'es-ES', viewport: { width: 1280, height: 800 }, permissions: ['microphone'] });
    const page = await context.newPage();
    await page.goto(gateway.url);
    await page.getByRole('button', { name: /chat/i }).first().click();
    const record = page.getByRole('button', { name: 'Grabar un mensaje de voz' });
    await record.waitFor({ timeout: 15_000 });
    const pressed = (value: string) =>
      until(
        () => record.getAttribute('aria-pressed'),
        (v) => v === value,
        5000,
      );
    await expect(record.getAttribute('aria-pressed')).resolves.toBe('false');

    // Cancel first: the recording is thrown away.
    await record.click();
    await pressed('true');
    await page.getByRole('button', { name: 'Cancelar la grabación' }).click();
    await pressed('false');

    await record.click();
    const timer = page.getByRole('timer');
    await timer.getByText(/Grabando 0:0[1-9]/).waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(artifactsDir, 'widget-voice-recording.png') });
    await page.keyboard.press('Escape');
    await pressed('false');
    // The panel stays open: Escape stopped the recording, it did not close the chat.
    await expect(page.getByRole('dialog').isVisible()).resolves.toBe(true);

    const [audio, ...more] = await until(shopperAudio, (parts) => parts.some((p) => p.kind === 'audio' && !!p.transcript));
    expect(more).toEqual([]);
    expect(audio).toMatchObject({ kind: 'audio', stored: { mimeType: expect.stringMatching(/^audio\/(webm|ogg)$/) }, transcript: HEARD });
    expect(audio?.kind === 'audio' && audio.stored && audio.stored.size > 1000).toBe(true);
    const upload = model.transcriptions.at(-1);
    expect(upload?.file?.name).toMatch(/^voice\.(webm|ogg)$/);
    expect(upload?.file?.data.length).toBe(audio?.kind === 'audio' ? audio.stored?.size : -1);
    await page.screenshot({ path: join(artifactsDir, 'widget-voice-sent.png') });
    await context.close();
  });

  it('shows no record button where the browser cannot record', async () => {
    const context = await browser.newContext({ locale: 'es-ES' });
    await context.addInitScript(() => {
      // @ts-expect-error a browser without MediaRecorder (an old Safari, a locked-down kiosk)
      delete window.MediaRecorder;
    });
    const page = await context.newPage();
    await page.goto(gateway.url);
    await page.getByRole('button', { name: /chat/i }).first().click();
    await page.getByRole('button', { name: 'Adjuntar una foto o un archivo' }).waitFor({ timeout: 15_000 });
    await expect(page.getByRole('button', { name: 'Grabar un mensaje de voz' }).count()).resolves.toBe(0);
    await context.close();
  });
});
