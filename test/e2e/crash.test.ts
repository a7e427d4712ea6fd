import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { makeSite, spawnGateway } from '../support/gateway.js';
import { history, openSession, sendHttp, until } from '../support/webchat-client.js';

// One turn at a time, so the burst below is still being worked through when the kill lands.
const site = makeSite('', 'concurrency: 1, retryBaseMs: 50, pollMs: 200');
const port = 20_000 + Math.floor(Math.random() * 20_000);

describe('a gateway killed with SIGKILL while messages are pending', () => {
  afterAll(() => site.cleanup());

  it('answers every acknowledged message exactly once after restart', async () => {
    const gateway = await spawnGateway(site, port);
    const sessions = await Promise.all(Array.from({ length: 8 }, () => openSession(gateway.url)));
    const acked: { token: string; clientId: string }[] = [];
    // Everything at once: the single worker falls behind, so the kill lands mid-queue.
    await Promise.all(
      sessions.flatMap(({ token }, s) =>
        Array.from({ length: 15 }, async (_, i) => {
          const clientId = `s${s}-m${i}`;
          const res = await sendHttp(gateway.url, token, { type: 'message', clientId, text: `Where is my order number ${i}?` });
          if (res.status === 200) acked.push({ token, clientId });
        }),
      ),
    );
    gateway.child.kill('SIGKILL');
    await gateway.exited;
    expect(acked).toHaveLength(120);

    const db = new Database(site.dbPath, { readonly: true });
    const pending = db.prepare(`SELECT COUNT(*) AS n FROM inbox WHERE status <> 'done'`).get() as { n: number };
    db.close();
    expect(pending.n).toBeGreaterThan(0); // the kill really interrupted work

    const restarted = await spawnGateway(site, port);
    try {
      for (const { token } of sessions) {
        const messages = await until(
          () => history(restarted.url, token),
          (m) => m.length >= 30,
          30_000,
        );
        await new Promise((r) => setTimeout(r, 100));
        const final = await history(restarted.url, token);
        expect(final).toHaveLength(30);
        const answers = new Map<string, number>();
        for (const m of final) if (m.role === 'bot') answers.set(m.id, (answers.get(m.id) ?? 0) + 1);
        for (const m of final.filter((x) => x.role === 'shopper')) {
          expect(answers.get(m.id.replace(/-in$/, '-out'))).toBe(1);
        }
        expect(
          messages
            .filter((m) => m.role === 'shopper')
            .map((m) => m.clientId)
            .sort(),
        ).toEqual(
          acked
            .filter((a) => a.token === token)
            .map((a) => a.clientId)
            .sort(),
        );
      }
    } finally {
      restarted.child.kill('SIGTERM');
      await restarted.exited;
    }
  }, 90_000);
});
