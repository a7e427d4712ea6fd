import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramAdapter } from './adapter.js';
import { telegramChannel } from './channel.js';
import { FakeBotApi, type RecordedCall, testContext } from '../../test/support/telegram.js';

const token = '123456:TEST-token_abc';
const fixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8'));

function pollingConfig(apiRoot: string) {
  const parsed = telegramChannel.parseConfig({ token, mode: 'polling', apiRoot, polling: { timeoutSec: 1, leaseTtlMs: 10_000, standbyRetryMs: 100 } });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.value;
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

describe('telegram long polling against a local Bot API', () => {
  let api: FakeBotApi;
  let queue: Record<string, unknown>[][];
  beforeEach(async () => {
    queue = [];
    api = await new FakeBotApi().listen();
    // Like Telegram: hand out the queued batch, else hold the long poll briefly and answer [].
    api.on('getUpdates', async (call: RecordedCall) => {
      const batch = queue.shift();
      if (!batch) await new Promise((r) => setTimeout(r, 20));
      const offset = Number(call.body.offset ?? 0);
      return { body: { ok: true, result: (batch ?? []).filter((u) => Number(u.update_id) >= offset) } };
    });
  });
  afterEach(() => api.close());

  it('owns the lease, deletes the webhook, ingests normalised updates, stores the offset, answers buttons', async () => {
    const ctx = testContext();
    queue.push([fixture('realworld_message_text_language_code'), { ...fixture('official_webhooks_guide_callback_query'), update_id: 892252935 }]);
    const adapter = createTelegramAdapter(pollingConfig(api.apiRoot), ctx);
    await adapter.start?.();
    await until(() => api.calls.filter((c) => c.method === 'getUpdates').length >= 2, 'the next getUpdates');
    await adapter.stop?.();

    expect(api.calls[0]).toMatchObject({ method: 'deleteWebhook', body: { drop_pending_updates: false } });
    expect(api.calls[1]).toMatchObject({
      method: 'getUpdates',
      body: { timeout: 1, allowed_updates: ['message', 'edited_message', 'callback_query', 'my_chat_member'] },
    });
    expect(api.calls[1]?.body).not.toHaveProperty('offset');
    expect(ctx.ingested.map((e) => [e.type, e.eventId, e.channelId])).toEqual([
      ['message', '892252934', 'tg-test'],
      ['postback', '892252935', 'tg-test'],
    ]);
    expect(ctx.ingested[0]).toMatchObject({ hints: { locale: 'en' }, parts: [{ kind: 'text', text: 'hello there' }] });
    expect(await ctx.state.get('telegram:offset:tg-test')).toBe('892252936');
    expect(api.calls.find((c) => c.method === 'answerCallbackQuery')?.body).toEqual({ callback_query_id: '4382bfdwdsb323b2d9' });
    const later = api.calls.filter((c) => c.method === 'getUpdates').slice(1);
    expect(later[0]?.body.offset).toBe(892252936);
  });

  it('a restart continues from the stored offset and does not replay', async () => {
    const ctx = testContext();
    await ctx.state.set('telegram:offset:tg-test', '892252935');
    queue.push([fixture('realworld_message_text_language_code'), { ...fixture('realworld_message_voice'), update_id: 892252935 }]);
    const adapter = createTelegramAdapter(pollingConfig(api.apiRoot), ctx);
    await adapter.start?.();
    await until(() => ctx.ingested.length > 0, 'ingest');
    await adapter.stop?.();
    expect(api.calls.find((c) => c.method === 'getUpdates')?.body.offset).toBe(892252935);
    expect(ctx.ingested.map((e) => e.eventId)).toEqual(['892252935']);
    expect(await ctx.state.get('telegram:offset:tg-test')).toBe('892252936');
  });

  it('renews the lease while polling and releases it on stop', async () => {
    const ctx = testContext();
    const leases = ctx.leases as typeof ctx.leases & { held: Set<string>; acquired: number };
    const adapter = createTelegramAdapter(pollingConfig(api.apiRoot), ctx);
    await adapter.start?.();
    await until(() => leases.acquired >= 3, 'three lease renewals');
    expect(leases.held.has('telegram:polling:tg-test')).toBe(true);
    await adapter.stop?.();
    expect(leases.held.size).toBe(0);
  });

  it('a standby instance does not poll while another holds the lease', async () => {
    const ctx = testContext({
      leases: { acquire: async () => false, release: async () => undefined },
    });
    const adapter = createTelegramAdapter(pollingConfig(api.apiRoot), ctx);
    await adapter.start?.();
    await new Promise((r) => setTimeout(r, 250));
    await adapter.stop?.();
    expect(api.calls).toEqual([]);
  });

  it('stop() interrupts a pending long poll', async () => {
    api.on('getUpdates', () => new Promise((r) => setTimeout(() => r({ body: { ok: true, result: [] } }), 5_000)));
    const adapter = createTelegramAdapter(pollingConfig(api.apiRoot), testContext());
    await adapter.start?.();
    await until(() => api.calls.some((c) => c.method === 'getUpdates'), 'getUpdates');
    const started = Date.now();
    await adapter.stop?.();
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('does not store the offset when the inbox fails, so the updates come again', async () => {
    let attempts = 0;
    const ctx = testContext({
      inbox: {
        accept: async () => {
          attempts += 1;
          throw new Error('inbox down');
        },
      },
    });
    queue.push([fixture('realworld_message_text_language_code')]);
    const adapter = createTelegramAdapter(pollingConfig(api.apiRoot), ctx);
    await adapter.start?.();
    await until(() => attempts >= 1, 'accept attempt');
    await adapter.stop?.();
    expect(await ctx.state.get('telegram:offset:tg-test')).toBeUndefined();
  });
});
