import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { projectRoot } from '../../src/server/gateway.js';

/** Where browser tests keep their screenshots (CI artifacts). */
export const artifactsDir = join(projectRoot, 'test-artifacts');

/** Launches Debian's Chromium headless, never a downloaded browser; `args` add switches (a fake microphone). */
export async function launchChromium(args: readonly string[] = []): Promise<Browser> {
  mkdirSync(artifactsDir, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      ...args,
    ],
  });
}
