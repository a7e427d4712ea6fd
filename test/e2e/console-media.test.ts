/**
 * Agents sending media: the console upload (session, CSRF, the `media:` limits), a reply that
 * carries a stored photo to Telegram as `sendPhoto` with a signed public link under
 * `server.publicUrl`, and that link's route (valid, tampered, unknown, expired).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { silentLogger } from '../../src/core/ports.js';
import { channelDefinitions } from '../../src/server/channels.js';
import { type Gateway, projectRoot, startGateway } from '../../src/server/gateway.js';
import { createMediaLinks } from '../../src/server/media-links.js';
import { ConsoleClient } from '../support/console-client.js';
import { telegramWhatsAppYaml } from '../support/local-channels.js';
import { type Answer, PlatformServer, type Received } from '../support/platform-server.js';
import { until } from '../support/webchat-client.js';

const TG_TOKEN = '123456:ABC-agent_media';
const ADMIN = { email: 'lead@shop.test', password: 'lead-password-123' };
const PUBLIC = 'https://parley.shop.example';
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/** Telegram's Bot API: every method answers a sent message (https://core.telegram.org/bots/api#making-requests). */
function telegram(req: Received): Answer {
  if (req.path.startsWith('/bot'))
    return { json: { ok: true, result: { message_id: 1000 + Math.floor(Math.random() * 1e6), date: 1, chat: { id: 42, type: 'private' } } } };
  return { status: 404, json: {} };
}

describe('agents send media', () => {
  let gateway: Gateway;
  let api: PlatformServer;
  let dir: string;
  let admin: ConsoleClient;

  beforeAll(async () => {
    api = await new PlatformServer(telegram).start();
    dir = mkdtempSync(join(tmpdir(), 'parley-agent-media-'));
    const yaml = `
server: { port: 0, host: 127.0.0.1, publicUrl: "${PUBLIC}" }
storage: { driver: sqlite, sqlitePath: "${join(dir, 'p.db')}", dataDir: "${dir}" }
shop: { name: Test Shop, languages: [en, es], defaultLanguage: en, workingLanguage: en }
knowledge: { dir: "${projectRoot}/config/knowledge" }
queue: { retryBaseMs: 50, pollMs: 200 }
log: { level: silent }
console: { admin: { email: "${ADMIN.email}", password: "${ADMIN.password}", name: Lead } }
media: { maxBytes: { image: 2000 } }
channels:
${telegramWhatsAppYaml(api.url, TG_TOKEN)}
`;
    gateway = await startGateway(parseConfigText(yaml, 'agent-media.yaml', {}, channelDefinitions), { log: silentLogger });
    admin = await ConsoleClient.login(gateway.url, ADMIN.email, ADMIN.password);
  });
  afterAll(async () => {
    await gateway?.close();
    await api?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const upload = (body: Buffer, type: string, headers: Record<string, string> = {}) =>
    fetch(`${gateway.url}/console/api/media`, {
      method: 'POST',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf, 'content-type': type, 'x-file-name': encodeURIComponent('new bowl.png'), ...headers },
      body: new Uint8Array(body),
    });

  it('takes an agent upload only with a session and the CSRF token, and within the media limits', async () => {
    expect(
      (await fetch(`${gateway.url}/console/api/media`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: new Uint8Array(PNG) })).status,
    ).toBe(401);
    expect((await upload(PNG, 'image/png', { 'x-csrf-token': 'wrong' })).status).toBe(403);
    const svg = await upload(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/svg+xml');
    expect(svg.status).toBe(415);
    const big = await upload(Buffer.concat([PNG, Buffer.alloc(3000)]), 'image/png');
    expect(big.status).toBe(413);
    expect(((await big.json()) as { message: string }).message).toMatch(/at most 2000/);
  });

  it('sends a stored photo to Telegram as sendPhoto by a signed link that works until it expires', async () => {
    const update = {
      update_id: 7001,
      message: {
        message_id: 5,
        from: { id: 42, is_bot: false, first_name: 'Ana' },
        chat: { id: 42, type: 'private' },
        date: 1,
        text: 'I want to talk to a person',
      },
    };
    const hook = await fetch(`${gateway.url}/webhooks/tg`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'tg-secret' },
      body: JSON.stringify(update),
    });
    expect(hook.status).toBe(200);
    const conv = await until(
      async () => (await gateway.store.listConversations({ limit: 10 })).find((c) => c.channelId === 'tg'),
      (c) => c !== undefined,
    );
    const stored = await upload(PNG, 'image/png');
    expect(stored.status).toBe(200);
    const { id, kind, name } = (await stored.json()) as { id: string; kind: string; name: string };
    expect({ kind, name }).toEqual({ kind: 'image', name: 'new bowl.png' });
    // Remembered until a reply carries it: the retention sweep deletes it after a day otherwise.
    await expect(gateway.store.kvGet(`media:upload:${id}`, Date.now())).resolves.toBe('1');

    const unknown = await admin.call('POST', `/conversations/${conv?.id}/messages`, { media: [{ id: 'f'.repeat(64) }] });
    expect(unknown.status).toBe(400);
    const sent = await admin.call('POST', `/conversations/${conv?.id}/messages`, { text: 'Here is the new one', media: [{ id }] });
    expect(sent.status).toBe(200);
    const photo = await until(
      async () => api.calls(/\/sendPhoto$/).at(-1)?.json as { photo: string; chat_id: number } | undefined,
      (p) => p !== undefined,
    );
    const link = new URL(String(photo?.photo));
    expect(`${link.origin}${link.pathname}`).toBe(`${PUBLIC}/media/${id}`);

    const fetched = await fetch(`${gateway.url}${link.pathname}${link.search}`);
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await fetched.arrayBuffer()).equals(PNG)).toBe(true);

    const tampered = new URL(link);
    tampered.searchParams.set('exp', String(Number(link.searchParams.get('exp')) + 60));
    expect((await fetch(`${gateway.url}${tampered.pathname}${tampered.search}`)).status).toBe(403);
    expect((await fetch(`${gateway.url}/media/${'e'.repeat(64)}${link.search}`)).status).toBe(403);
    expect((await fetch(`${gateway.url}${link.pathname}`)).status).toBe(403);
  });

  it('signs links that stop working when they expire or are changed', () => {
    let now = 1_800_000_000_000;
    const links = createMediaLinks('secret', PUBLIC, () => now);
    const url = new URL(links.url('abc', 60_000));
    const [exp, sig] = [url.searchParams.get('exp') ?? '', url.searchParams.get('sig') ?? ''];
    expect(links.check('abc', exp, sig)).toBe(true);
    expect(links.check('abd', exp, sig)).toBe(false);
    expect(links.check('abc', exp, `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`)).toBe(false);
    expect(createMediaLinks('other', PUBLIC, () => now).check('abc', exp, sig)).toBe(false);
    now += 60_001;
    expect(links.check('abc', exp, sig)).toBe(false);
  });
});
