/**
 * Chaos, bounded: three gateway processes on one Postgres schema, webhooks from Telegram,
 * WhatsApp and LINE chats (30 % redelivered), web chat shoppers on sockets to random
 * instances, platform APIs failing 20 % of calls, an instance killed with SIGKILL every 3–5 s
 * and restarted. Nothing may be lost, answered out of order or shown late; a reply may go out
 * twice only when a kill fell between its two sends. `npm run chaos` runs it longer.
 */
import { describe, expect, it } from 'vitest';
import { defaultOptions, runChaos } from '../chaos/chaos.js';

describe('chaos: three Postgres gateways, kills, flaky platforms, redeliveries', () => {
  it('loses nothing, keeps every chat in order, shows web chat replies live', async () => {
    const started = Date.now();
    const log = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${line}`);
    const result = await runChaos({ seconds: 12, chats: 2, shoppers: 2, killEveryMs: [2500, 4000], drainMs: 35_000, log });
    console.log([...result.problems, result.summary].join('\n'));
    const all = Object.values(result.tallies);
    expect(result.kills).toBeGreaterThan(0);
    expect(all.reduce((a, t) => a + t.answers, 0)).toBeGreaterThan(0);
    expect(result.problems.filter((p) => !p.includes('again after'))).toEqual([]);
    expect(all.map((t) => t.duplicatesWithoutKill)).toEqual([0, 0, 0, 0]);
    const duplicates = all.reduce((a, t) => a + t.duplicatesAtKill, 0);
    expect(duplicates).toBeLessThanOrEqual(result.kills * defaultOptions.queue.concurrency);
  }, 170_000);
});
