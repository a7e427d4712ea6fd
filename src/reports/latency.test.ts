import { afterEach, describe, expect, it } from 'vitest';
import { databases } from '../../test/support/databases.js';
import type { MessageEvent } from '../core/message.js';
import type { SqlDriver } from '../store/driver.js';
import { SqlStore } from '../store/sql-store.js';
import { Reports } from './index.js';

const AT = Date.parse('2026-03-02T10:00:00Z');
const TURNS = 20;

function said(chat: string): MessageEvent {
  return {
    type: 'message',
    channelId: 'webchat',
    eventId: `e-${chat}`,
    ref: { channelId: 'webchat', chatId: chat, userId: chat },
    timestamp: AT,
    parts: [{ kind: 'text', text: 'hi' }],
  };
}

describe.each(databases)('the bot reply times on $name', (database) => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => cleanup?.());

  it('spreads concurrent turns of one day, channel and language over rows, and the report sums them', async () => {
    const opened = database.open();
    cleanup = opened.cleanup;
    const driver: SqlDriver = opened.driver;
    const store = new SqlStore(driver);
    await store.migrate();
    const chats = Array.from({ length: TURNS }, (_, i) => `c${i}`);
    const { accepted } = await store.acceptInbound(chats.map(said), AT);
    const turns = await Promise.all(
      chats.map(async (chat, i) => {
        const shopper = await store.ensureShopper('webchat', chat, AT);
        const conv = await store.ensureConversation({ channelId: 'webchat', chatId: chat, userId: chat }, shopper.id, AT);
        const inboxId = accepted.find((a) => a.eventId === `e-${chat}`)?.id ?? 0;
        return { inboxId, conversationId: conv.id, waited: 100 + i * 100 };
      }),
    );
    // All at once: on Postgres these commit side by side on the pool.
    const committed = await Promise.all(
      turns.map((t) =>
        store.commitTurn(
          {
            inboxId: t.inboxId,
            conversationId: t.conversationId,
            messages: [
              { id: `in-${t.inboxId}`, role: 'shopper', direction: 'in', parts: [{ kind: 'text', text: 'hi' }] },
              { id: `out-${t.inboxId}`, role: 'bot', direction: 'out', parts: [{ kind: 'text', text: 'hello' }] },
            ],
            conversation: { language: 'en' },
          },
          AT + t.waited,
        ),
      ),
    );
    expect(committed.every((c) => c.committed)).toBe(true);
    // Unsharded, a bucket's replies of the day would share one row; inbox ids 1…20 fall on all 16 shards.
    const rows = await driver.all<{ le: number; shards: number; replies: number }>(
      'SELECT le_ms AS le, COUNT(*) AS shards, SUM(replies) AS replies FROM report_latency GROUP BY le_ms ORDER BY le_ms',
    );
    expect(rows.map((r) => Number(r.replies)).reduce((a, b) => a + b, 0)).toBe(TURNS);
    expect(Math.max(...rows.map((r) => Number(r.shards)))).toBeGreaterThan(1);
    const shards = await driver.all<{ n: number }>('SELECT COUNT(DISTINCT shard) AS n FROM report_latency');
    expect(Number(shards[0]?.n)).toBe(16);

    const report = await new Reports(driver.reader(), { currency: 'EUR', prices: {} }).run('response-times', {
      from: '2026-03-02',
      to: '2026-03-02',
      timeZone: 'UTC',
    });
    const bot = report.tables[0]?.rows.find((r) => r.who === 'bot');
    // Waits 100, 200 … 2000 ms: mean 1050; the 10th is 1000 ms (≤ 1000 bucket), the 18th 1800 ms (≤ 2000).
    expect(bot).toMatchObject({ count: TURNS, mean: 1050, p50: 1000, p90: 2000 });
  }, 30_000);
});
