import { describe, expect, it } from 'vitest';
import type { RawRequest } from '../../src/core/adapter.js';
import { secretHeader, verifyTelegram, webhookSecret } from './verify.js';

const secret = 'Parley_secret-123';
const req = (headers: Record<string, string | undefined>, method = 'POST'): RawRequest => ({
  method,
  url: '/webhooks/tg-a',
  headers,
  query: {},
  body: Buffer.from('{"update_id":1}'),
});

describe('telegram verify', () => {
  it('accepts the exact secret header', () => {
    const result = verifyTelegram(req({ [secretHeader]: secret }), secret);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.request.body.toString()).toBe('{"update_id":1}');
  });

  it('rejects a wrong, missing, differently sized or case-changed secret with 401', () => {
    for (const value of ['Parley_secret-124', undefined, '', `${secret}x`, secret.toLowerCase()]) {
      expect(verifyTelegram(req({ [secretHeader]: value }), secret)).toMatchObject({ ok: false, status: 401 });
    }
  });

  it('rejects everything when no secret is known, and non-POST requests', () => {
    expect(verifyTelegram(req({ [secretHeader]: 'x' }), undefined)).toMatchObject({ ok: false, status: 401 });
    expect(verifyTelegram(req({ [secretHeader]: secret }, 'GET'), secret)).toMatchObject({ ok: false, status: 401 });
  });

  it('derives a stable secret from the token per channel, in the alphabet Telegram allows', () => {
    const a = webhookSecret({ token: '123:abc' }, 'tg-a');
    expect(a).toMatch(/^[A-Za-z0-9_-]{1,256}$/);
    expect(webhookSecret({ token: '123:abc' }, 'tg-a')).toBe(a);
    expect(webhookSecret({ token: '123:abc' }, 'tg-b')).not.toBe(a);
    expect(webhookSecret({ token: '123:abc', secretToken: 'configured' }, 'tg-a')).toBe('configured');
    expect(webhookSecret({}, 'tg-a')).toBeUndefined();
  });
});
