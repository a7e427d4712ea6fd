import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { TranslatorPort } from '../core/ports.js';
import { SqliteDriver } from '../store/sqlite.js';
import { SqlStore } from '../store/sql-store.js';
import { HandoffStore } from './store.js';
import type { Agent } from './store.js';
import { displayMessages } from './view.js';

let dir: string;
let driver: SqliteDriver;
let store: SqlStore;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parley-view-'));
  driver = new SqliteDriver({ path: join(dir, 'parley.db') });
  store = new SqlStore(driver);
  await store.migrate();
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

it("shows why a failed message was not delivered: the outbox's last error and its reason", async () => {
  const shopper = await store.ensureShopper('telegram', 'u1', 1);
  const conv = await store.ensureConversation({ channelId: 'telegram', chatId: 'c1', userId: 'u1' }, shopper.id, 1);
  const parts = [{ kind: 'text' as const, text: 'Your parcel is on its way' }];
  await store.appendMessages(
    conv.id,
    [
      { id: 'sent', role: 'bot', direction: 'out', parts, outbound: [{ parts }] },
      { id: 'lost', role: 'bot', direction: 'out', parts, outbound: [{ parts }] },
    ],
    1,
  );
  for (const row of await store.claimOutbox(2, 1000, 10)) await store.recordDelivery(row.id, { ok: true, platformIds: ['p1'] }, 2);
  const [lost] = await store.claimOutbox(3, 1000, 10);
  const error = 'Telegram sendMessage failed (403 Forbidden: bot was blocked by the user). The user blocked the bot or the bot is not in the chat.';
  await store.recordDelivery(lost?.id ?? 0, { ok: false, error, reason: 'blocked' }, 3);

  const deps = {
    store,
    handoffs: new HandoffStore(driver),
    translator: { translate: async (text: string) => ({ text }) } as unknown as TranslatorPort,
    shop: { workingLanguage: 'en', defaultLanguage: 'en' },
  };
  const shown = await displayMessages(deps, { language: 'en' } as Agent, conv, await store.listMessages(conv.id, { limit: 10 }));
  expect(shown.find((m) => m.id === 'lost')).toMatchObject({ status: 'failed', failure: { reason: 'blocked', error } });
  expect(shown.find((m) => m.id === 'sent')).not.toHaveProperty('failure');
});
