import { describe, expect, it } from 'vitest';
import { SessionTokens } from './session.js';

describe('web chat session tokens', () => {
  const tokens = new SessionTokens('a-secret-of-at-least-32-characters!!', 60_000);

  it('reads its own tokens until they expire, also when read before (remembered)', async () => {
    const { token, session } = await tokens.issue(1_000_000, 'sid-1');
    expect(await tokens.read(token, 1_000_500)).toEqual(session);
    expect(await tokens.read(token, 1_030_000)).toEqual(session);
    expect(await tokens.read(token, 1_061_000)).toBeUndefined();
    // A token first read after its expiry is refused as well.
    const late = await tokens.issue(2_000_000, 'sid-2');
    expect(await tokens.read(late.token, 2_061_000)).toBeUndefined();
  });

  it('refuses forged, foreign and truncated tokens, however often they are tried', async () => {
    const { token } = await tokens.issue(1_000_000, 'sid-3');
    const foreign = await new SessionTokens('another-secret-of-32-characters!!!!!', 60_000).issue(1_000_000, 'sid-3');
    const [h, p, s] = token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ sub: 'someone-else', aud: 'parley:webchat', iat: 1000, exp: 9999999999 })).toString('base64url')}.${s}`;
    for (let i = 0; i < 2; i++) {
      expect(await tokens.read(foreign.token, 1_000_500)).toBeUndefined();
      expect(await tokens.read(forged, 1_000_500)).toBeUndefined();
      expect(await tokens.read(`${h}.${p}`, 1_000_500)).toBeUndefined();
      expect(await tokens.read(token.slice(0, -2), 1_000_500)).toBeUndefined();
    }
  });
});
