import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageEvent } from '../core/message.js';
import type { Store } from '../core/store.js';
import type { SqlDriver } from './driver.js';
import { PostgresDriver } from './postgres.js';
import { SqlStore } from './sql-store.js';
import { SqliteDriver } from './sqlite.js';

const POSTGRES_URL = process.env.PARLEY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Text neither database holds as it is: NUL (Postgres refuses it) and a lone surrogate. */
const BAD = 'a\u0000b\ud800c';
const KEPT = 'a\ufffdb\ufffdc';

const drivers: { name: string; open(): { driver: SqlDriver; cleanup(): Promise<void> } }[] = [
  {
    name: 'sqlite',
    open() {
      const dir = mkdtempSync(join(tmpdir(), 'parley-unstorable-'));
      return { driver: new SqliteDriver({ path: join(dir, 'parley.db') }), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'postgres',
    open() {
      const schema = `parley_unstorable_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
      return {
        driver: new PostgresDriver({ url: POSTGRES_URL, schema }),
        async cleanup() {
          const admin = new PostgresDriver({ url: POSTGRES_URL });
          await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
          await admin.close();
        },
      };
    },
  },
];

describe.each(drivers)('text the $name store cannot hold as it is', (backend) => {
  let store: Store;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const opened = backend.open();
    store = new SqlStore(opened.driver);
    cleanup = opened.cleanup;
    await store.migrate();
  });
  afterAll(async () => {
    await store.close();
    await cleanup();
  });

  it('is written with U+FFFD in its place, in every column, and reads back the same on both databases', async () => {
    const ref = { channelId: 'slack', chatId: `C${BAD}`, userId: `U${BAD}` };
    const event: MessageEvent = { type: 'message', channelId: 'slack', eventId: `e${BAD}`, ref, timestamp: 1, parts: [{ kind: 'text', text: BAD }] };
    const { accepted } = await store.acceptInbound([event], 1, { claim: { leaseMs: 1000, limit: 1 } });
    expect(accepted).toHaveLength(1);
    expect(await store.inboxStatus('slack', `e${BAD}`)).toBe('processing');

    const shopper = await store.ensureShopper('slack', ref.userId, 1, `Ana ${BAD}`);
    expect(shopper.displayName).toBe(`Ana ${KEPT}`);
    const conv = await store.ensureConversation(ref, shopper.id, 1);
    expect(conv.key).toBe(`slack:C${KEPT}`);
    const done = await store.commitTurn(
      {
        inboxId: accepted[0]?.id ?? 0,
        conversationId: conv.id,
        messages: [{ id: 'in-1', role: 'shopper', direction: 'in', parts: [{ kind: 'text', text: BAD }], originalText: BAD, translatedText: BAD }],
        conversation: { language: 'en' },
      },
      2,
    );
    expect(done.committed).toBe(true);
    const [stored] = await store.listMessages(conv.id, { limit: 5 });
    expect(stored).toMatchObject({ originalText: KEPT, translatedText: KEPT });

    await store.kvSet(`k${BAD}`, BAD, undefined);
    expect(await store.kvGet(`k${BAD}`, 1)).toBe(KEPT);
    await store.failInbox(accepted[0]?.id ?? 0, `failed: ${BAD}`, undefined, 3);
  });

  it('finds nothing, without an error, when looked up by an id holding NUL', async () => {
    expect(await store.getConversation(`x${BAD}`)).toBeUndefined();
    expect(await store.listMessages(`x${BAD}`, { limit: 1 })).toEqual([]);
    expect(await store.updateMessageStatus(`p${BAD}`, 'read')).toBe(false);
  });
});
