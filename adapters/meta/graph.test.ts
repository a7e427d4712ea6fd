import { describe, expect, it } from 'vitest';
import { DeliveryError } from '../../src/core/errors.js';
import { PlatformServer } from '../../test/support/platform-server.js';
import { type GraphApi, type GraphRules, postGraph } from './graph.js';

const rules: GraphRules = {
  10: { reason: 'blocked', advice: 'Permission denied.' },
  '10:2018278': { reason: 'invalid', advice: 'Outside the messaging window.' },
  4: { reason: 'rate_limited', advice: 'App call limit reached.', waitMs: 60_000 },
};

function api(baseUrl: string, accessToken?: string): GraphApi {
  return { fetch: globalThis.fetch, baseUrl, version: 'v21.0', accessToken, channelId: 'fb', authHint: 'Check FB_PAGE_TOKEN.', product: 'Messenger' };
}

async function failure(status: number, error: Record<string, unknown>): Promise<DeliveryError> {
  const server = await new PlatformServer(() => ({ status, json: { error } })).start();
  try {
    await postGraph(api(server.url, 'tok'), 'me/messages', { a: 1 }, 'Messenger send', rules);
  } catch (err) {
    return err as DeliveryError;
  } finally {
    await server.stop();
  }
  throw new Error('expected a failure');
}

describe('postGraph', () => {
  it('posts JSON with the bearer token to {base}/{version}/{path}', async () => {
    const server = await new PlatformServer(() => ({ json: { ok: true } })).start();
    try {
      expect(await postGraph(api(server.url, 'tok'), '123/messages', { a: 1 }, 'Messenger send', rules)).toEqual({ ok: true });
      const [req] = server.received;
      expect(req?.path).toBe('/v21.0/123/messages');
      expect(req?.headers.authorization).toBe('Bearer tok');
      expect(JSON.parse(req?.body ?? '')).toEqual({ a: 1 });
    } finally {
      await server.stop();
    }
  });

  it('maps code:subcode before the bare code, and keeps both in the details', async () => {
    const window = await failure(400, { code: 10, error_subcode: 2018278, message: 'outside window', type: 'OAuthException' });
    expect(window.reason).toBe('invalid');
    expect(window.message).toBe('Messenger send failed (HTTP 400, Graph error 10/2018278). Outside the messaging window.');
    expect(window.details).toMatchObject({ graphCode: 10, graphSubcode: 2018278 });
    const denied = await failure(403, { code: 10, message: 'denied' });
    expect(denied.reason).toBe('blocked');
    const limited = await failure(400, { code: 4, message: 'too many calls' });
    expect(limited).toMatchObject({ reason: 'rate_limited', retryAfterMs: 60_000 });
  });

  it('without a token fails at once with auth, naming what to set', async () => {
    const err = await postGraph(api('http://127.0.0.1:9', undefined), 'me/messages', {}, 'Messenger send', rules).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as DeliveryError).reason).toBe('auth');
    expect((err as DeliveryError).message).toContain('Check FB_PAGE_TOKEN.');
  });
});
