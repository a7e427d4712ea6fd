import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databases } from '../../test/support/databases.js';
import type { Part } from '../core/message.js';
import { silentLogger } from '../core/ports.js';
import type { Store } from '../core/store.js';
import { LocalMediaStore } from '../media/local.js';
import { type SqlDriver, SqlStore } from '../store/index.js';
import { createRetention, type RetentionSettings } from './retention.js';
import { createPrivacy } from './service.js';

const DAY = 86_400_000;
const NOW = Date.parse('2027-06-01T12:00:00Z');
const ago = (days: number) => NOW - days * DAY;
const off: RetentionSettings = {
  messageText: 0,
  attachments: 0,
  translationMemory: 0,
  closedConversations: 0,
  deliveryRecords: 0,
  every: 3_600_000,
  batchSize: 500,
  pauseMs: 0,
};
const jpeg = (label: string) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(label)]);

describe.each(databases)('stored media under retention and erasure on $name', (database) => {
  let driver: SqlDriver;
  let cleanup: () => Promise<void>;
  let store: Store;
  let media: LocalMediaStore;
  let dir: string;

  beforeEach(async () => {
    ({ driver, cleanup } = database.open());
    store = new SqlStore(driver);
    await store.migrate();
    dir = mkdtempSync(join(tmpdir(), 'parley-media-privacy-'));
    media = new LocalMediaStore(dir);
  });
  afterEach(async () => {
    await cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  async function photoMessage(user: string, id: string, bytes: Buffer, daysAgo: number, customerRef?: string) {
    const shopper = await store.ensureShopper('telegram', user, ago(daysAgo));
    if (customerRef) await driver.run('UPDATE shoppers SET customer_ref = ? WHERE id = ?', [customerRef, shopper.id]);
    const conv = await store.ensureConversation({ channelId: 'telegram', chatId: user, userId: user }, shopper.id, ago(daysAgo));
    const stored = await media.put(bytes, { mimeType: 'image/jpeg' });
    const parts: Part[] = [{ kind: 'image', url: `platform:${id}`, stored }];
    await store.appendMessages(conv.id, [{ id, role: 'shopper', direction: 'in', parts, originalText: '' }], ago(daysAgo));
    return stored.id;
  }

  it('the attachments step deletes blobs only old messages named, and keeps one a recent message shares', async () => {
    const own = await photoMessage('ana', 'm-old', jpeg('cracked bowl'), 120);
    const shared = await photoMessage('ana', 'm-old-2', jpeg('same photo'), 120);
    await photoMessage('ben', 'm-new', jpeg('same photo'), 1);
    const retention = createRetention({ driver, clock: { now: () => NOW }, log: silentLogger, settings: { ...off, attachments: 90 * DAY }, media });
    const counts = await retention.sweep();
    expect(counts.attachments).toBe(2);
    expect(counts.media).toBe(1);
    expect(await media.get(own)).toBeUndefined();
    expect(await media.get(shared)).toBeDefined();
  });

  it('emptying old message text releases media kept with it; closed conversations release theirs', async () => {
    const text = await photoMessage('cy', 'm-text', jpeg('receipt'), 400);
    const retention = createRetention({ driver, clock: { now: () => NOW }, log: silentLogger, settings: { ...off, messageText: 365 * DAY }, media });
    expect((await retention.sweep()).media).toBe(1);
    expect(await media.get(text)).toBeUndefined();
    const closed = await photoMessage('dee', 'm-closed', jpeg('label'), 800);
    const sweep = createRetention({ driver, clock: { now: () => NOW }, log: silentLogger, settings: { ...off, closedConversations: 730 * DAY }, media });
    expect((await sweep.sweep()).media).toBe(1);
    expect(await media.get(closed)).toBeUndefined();
  });

  it('a web chat upload never sent goes once its record expires; one a message names stays', async () => {
    const unsent = await media.put(jpeg('never sent'), { mimeType: 'image/jpeg' });
    const sent = await photoMessage('eve', 'm-sent', jpeg('sent after all'), 1);
    await store.kvSet(`media:upload:${unsent.id}`, '1', NOW - 1000);
    await store.kvSet(`media:upload:${sent}`, '1', NOW - 1000);
    const fresh = await media.put(jpeg('just uploaded'), { mimeType: 'image/jpeg' });
    await store.kvSet(`media:upload:${fresh.id}`, '1', NOW + 3_600_000);
    const counts = await createRetention({ driver, clock: { now: () => NOW }, log: silentLogger, settings: off, media }).sweep();
    expect(counts).toMatchObject({ unsentUploads: 2, media: 1 });
    expect(await media.get(unsent.id)).toBeUndefined();
    expect(await media.get(sent)).toBeDefined();
    expect(await media.get(fresh.id)).toBeDefined();
  });

  it("erasing a shopper deletes their blobs and keeps one another shopper's message names", async () => {
    const own = await photoMessage('ana', 'm-a1', jpeg('ana only'), 1, 'C-ANA');
    const shared = await photoMessage('ana', 'm-a2', jpeg('both sent it'), 1, 'C-ANA');
    await photoMessage('ben', 'm-b1', jpeg('both sent it'), 1, 'C-BEN');
    const privacy = createPrivacy({ driver, clock: { now: () => NOW }, log: silentLogger, media });
    const erasure = await privacy.erase({ by: 'ref', value: 'C-ANA' }, 'api:test');
    expect(erasure.counts.media).toBe(1);
    expect(await media.get(own)).toBeUndefined();
    expect(await media.get(shared)).toBeDefined();
    await privacy.erase({ by: 'ref', value: 'C-BEN' }, 'api:test');
    expect(await media.get(shared)).toBeUndefined();
  });
});
