import { describe, expect, it } from 'vitest';
import { telegramChannel } from './channel.js';

describe('telegram config', () => {
  it('fills defaults and strips a trailing slash from apiRoot', () => {
    const parsed = telegramChannel.parseConfig({ token: '123456:ABC-def_1', apiRoot: 'http://127.0.0.1:8081/' });
    expect(parsed).toEqual({
      ok: true,
      value: {
        token: '123456:ABC-def_1',
        mode: 'webhook',
        apiRoot: 'http://127.0.0.1:8081',
        dropPendingUpdates: false,
        polling: { timeoutSec: 25, leaseTtlMs: 60_000, standbyRetryMs: 15_000 },
      },
    });
  });

  it('treats unset env vars (empty strings) as missing and names the env var', () => {
    const parsed = telegramChannel.parseConfig({ token: '', secretToken: '' });
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(telegramChannel.describe?.(parsed.value).missing).toEqual(['token (TELEGRAM_BOT_TOKEN)']);
  });

  it('reports every problem with its path', () => {
    const parsed = telegramChannel.parseConfig({
      token: 'not-a-token',
      secretToken: 'has spaces',
      mode: 'push',
      polling: { timeoutSec: 50, leaseTtlMs: 20_000 },
      extra: 1,
    });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      const paths = parsed.issues.map((i) => i.path.join('.'));
      expect(paths).toEqual(expect.arrayContaining(['token', 'secretToken', 'mode', 'polling.leaseTtlMs', '']));
    }
  });
});
