import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, it } from 'vitest';
import { projectRoot } from '../src/server/gateway.js';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' || name === 'fixtures' ? [] : files(path);
    return /\.(ts|js|mjs)$/.test(name) ? [path] : [];
  });
}

const sources = ['src', 'adapters', 'web']
  .flatMap((d) => files(join(projectRoot, d)))
  .map((path) => ({
    path: relative(projectRoot, path),
    text: readFileSync(path, 'utf8'),
  }));
const imports = (text: string) => [...text.matchAll(/(?:from\s+|import\(\s*|require\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1] ?? '');

/** Each vendor SDK may be imported only inside its own folder. */
const sdkHomes: Record<string, string[]> = {
  telegraf: ['adapters/telegram/'],
  '@slack/bolt': ['adapters/slack/'],
  '@slack/web-api': ['adapters/slack/'],
  botbuilder: ['adapters/botframework/'],
  'botframework-connector': ['adapters/botframework/'],
  'whatsapp-web.js': ['adapters/whatsapp-web/'],
  openai: ['src/bot/llm/', 'src/language/translate/', 'src/media/understand/'],
};

it.each(Object.entries(sdkHomes))('imports %s only in its own folder', (sdk, homes) => {
  const outside = sources
    .filter((f) => imports(f.text).some((i) => i === sdk || i.startsWith(`${sdk}/`)))
    .filter((f) => !homes.some((h) => f.path.startsWith(h)))
    .map((f) => f.path);
  expect(outside).toEqual([]);
});

it('keeps the core free of vendor packages and of other layers', () => {
  const offenders = sources
    .filter((f) => f.path.startsWith('src/core/') && !f.path.endsWith('.test.ts'))
    .flatMap((f) =>
      imports(f.text)
        .filter((i) => !i.startsWith('./') && !i.startsWith('node:'))
        .map((i) => `${f.path} -> ${i}`),
    );
  expect(offenders).toEqual([]);
});

/**
 * Libraries shared by one platform family's adapters, not channels themselves: `meta` holds
 * what WhatsApp Cloud, Messenger and Instagram share (the X-Hub-Signature-256 check, the
 * hub.challenge handshake, Graph error mapping). They import no adapter.
 */
const sharedAdapterLibraries = ['meta'];

it('never lets one adapter import another (a shared platform library is not an adapter)', () => {
  const offenders = sources
    .filter((f) => f.path.startsWith('adapters/'))
    .flatMap((f) => {
      const own = f.path.split('/')[1] ?? '';
      const allowed = sharedAdapterLibraries.includes(own) ? [] : sharedAdapterLibraries.map((l) => `../${l}/`);
      return imports(f.text)
        .filter((i) => /^\.\.\/(\.\.\/)?[a-z-]+\//.test(i) && !i.startsWith('../../src/') && !i.startsWith('../../test/'))
        .filter((i) => !i.startsWith(`../${own}/`) && !allowed.some((a) => i.startsWith(a)))
        .map((i) => `${f.path} -> ${i}`);
    });
  expect(offenders).toEqual([]);
});

it('reads process.env only at the edge (config, adapter config, CLI, composition root)', () => {
  const allowed = /^(src\/config\/|src\/cli\/|adapters\/[^/]+\/config\.ts|src\/server\/gateway\.ts)/;
  const offenders = sources
    .filter((f) => !f.path.endsWith('.test.ts'))
    .filter((f) => /process\.env\b/.test(f.text) && !allowed.test(f.path))
    .map((f) => f.path);
  expect(offenders).toEqual([]);
});
