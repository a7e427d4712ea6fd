import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifier } from './verify.js';
import {
  activityFixtures,
  activityRequest,
  appId,
  channelToken,
  fakeContext,
  localBotFramework,
  mintKey,
  type TestKey,
  testConfig,
} from '../../test/support/botframework.js';

let bf: Awaited<ReturnType<typeof localBotFramework>>;
let key: TestKey;
const teams = activityFixtures().teamsPersonal as { serviceUrl: string; channelId: string };

beforeAll(async () => {
  bf = await localBotFramework();
  key = await mintKey('key-1');
  bf.state.keys = [key];
});
afterAll(() => bf.close());

function setup(extra: Record<string, unknown> = {}) {
  const { ctx, clock } = fakeContext();
  return { verify: createVerifier(testConfig(bf.url, extra), ctx), clock, ctx };
}

const tokenFor = (activity: { serviceUrl: string }, claims = {}, lifetime?: number) =>
  channelToken(key, fakeContext().clock.now(), { serviceurl: activity.serviceUrl, ...claims }, lifetime);

describe('Bot Connector tokens', () => {
  it('accepts every fixture with a token from the configured OpenID metadata', async () => {
    const { verify } = setup();
    for (const [name, activity] of Object.entries(activityFixtures())) {
      const token = await tokenFor(activity as { serviceUrl: string });
      const result = await verify(activityRequest(activity, token));
      expect(result.ok, name).toBe(true);
      if (result.ok) expect(result.request.verified).toEqual({ kind: 'channel' });
    }
  });

  it('fetches the metadata and keys once and reuses them', async () => {
    const { verify } = setup();
    const before = bf.requests.filter((r) => r.path === '/bf/keys').length;
    const token = await tokenFor(teams);
    for (let i = 0; i < 3; i++) expect((await verify(activityRequest(teams, token))).ok).toBe(true);
    expect(bf.requests.filter((r) => r.path === '/bf/keys').length - before).toBe(1);
  });

  it.each([
    ['no Authorization header', undefined],
    ['an empty bearer', ''],
    ['a token that is not a JWT', 'not.a.jwt'],
  ])('refuses %s with 401', async (_name, token) => {
    const { verify } = setup();
    expect(await verify(activityRequest(teams, token))).toMatchObject({ ok: false, status: 401 });
  });

  it('refuses a Basic scheme with 401', async () => {
    const { verify } = setup();
    const req = activityRequest(teams);
    const token = await tokenFor(teams);
    expect(await verify({ ...req, headers: { ...req.headers, authorization: `Basic ${token}` } })).toMatchObject({ ok: false, status: 401 });
  });

  it('allows 5 minutes of clock skew on exp and no more', async () => {
    const { verify, clock } = setup();
    const token = await tokenFor(teams, {}, 60);
    clock.t += (60 + 4 * 60) * 1000;
    expect((await verify(activityRequest(teams, token))).ok).toBe(true);
    clock.t += 2 * 60 * 1000;
    expect(await verify(activityRequest(teams, token))).toMatchObject({ ok: false, status: 401 });
  });

  it('refuses a token that is not valid yet (nbf beyond the skew)', async () => {
    const { verify, clock } = setup();
    const now = Math.floor(clock.now() / 1000);
    const token = await tokenFor(teams, { nbf: now + 600, exp: now + 3600 });
    expect(await verify(activityRequest(teams, token))).toMatchObject({ ok: false, status: 401 });
  });

  it('refuses a token signed by another key under the same kid, or an unknown kid', async () => {
    const { verify } = setup();
    const forger = await mintKey('key-1');
    const now = fakeContext().clock.now();
    expect(await verify(activityRequest(teams, await channelToken(forger, now, { serviceurl: teams.serviceUrl })))).toMatchObject({ ok: false, status: 401 });
    const stranger = await mintKey('key-unknown');
    expect(await verify(activityRequest(teams, await channelToken(stranger, now, { serviceurl: teams.serviceUrl })))).toMatchObject({ ok: false, status: 401 });
  });

  it('refuses a symmetric (HS256) token', async () => {
    const { verify } = setup();
    const token = await new SignJWT({ iss: 'https://api.botframework.com', aud: appId, serviceurl: teams.serviceUrl, exp: 2_000_000_000 })
      .setProtectedHeader({ alg: 'HS256', kid: 'key-1' })
      .sign(new TextEncoder().encode('secret-secret-secret-secret-32b!'));
    expect(await verify(activityRequest(teams, token))).toMatchObject({ ok: false, status: 401 });
  });

  it('refuses another bot’s audience and another issuer', async () => {
    const { verify } = setup();
    expect(await verify(activityRequest(teams, await tokenFor(teams, { aud: 'another-app-id' })))).toMatchObject({ ok: false, status: 401 });
    expect(await verify(activityRequest(teams, await tokenFor(teams, { iss: 'https://evil.example' })))).toMatchObject({ ok: false, status: 401 });
  });

  it('refuses a token without exp', async () => {
    const { verify } = setup();
    const token = await new SignJWT({ iss: 'https://api.botframework.com', aud: appId, serviceurl: teams.serviceUrl })
      .setProtectedHeader({ alg: 'RS256', kid: key.kid })
      .sign(key.privateKey);
    expect(await verify(activityRequest(teams, token))).toMatchObject({ ok: false, status: 401 });
  });

  it('refuses an activity whose serviceUrl differs from the token’s serviceurl claim, or has none', async () => {
    const { verify } = setup();
    const token = await tokenFor(teams);
    expect(await verify(activityRequest({ ...teams, serviceUrl: 'https://attacker.example/' }, token))).toMatchObject({ ok: false, status: 401 });
    const { serviceUrl: _drop, ...noUrl } = teams;
    expect(await verify(activityRequest(noUrl, token))).toMatchObject({ ok: false, status: 401 });
  });

  it('answers 400 when a validly authenticated body is not JSON', async () => {
    const { verify } = setup();
    expect(await verify(activityRequest('{"type":"message",', await tokenFor(teams)))).toMatchObject({ ok: false, status: 400 });
  });

  it('enforces the signing key’s channel endorsements', async () => {
    const endorsed = await mintKey('key-teams-only', ['msteams']);
    bf.state.keys = [key, endorsed];
    try {
      const { verify } = setup();
      const now = fakeContext().clock.now();
      const token = await channelToken(endorsed, now, { serviceurl: teams.serviceUrl });
      expect((await verify(activityRequest(teams, token))).ok).toBe(true);
      expect(await verify(activityRequest({ ...teams, channelId: 'webchat' }, token))).toMatchObject({ ok: false, status: 401 });
    } finally {
      bf.state.keys = [key];
    }
  });

  it('picks up a rotated key once the unknown-kid refresh window has passed', async () => {
    const { verify, clock } = setup();
    expect((await verify(activityRequest(teams, await tokenFor(teams)))).ok).toBe(true);
    const rotated = await mintKey('key-2');
    bf.state.keys = [key, rotated];
    try {
      const token = await channelToken(rotated, clock.now() + 6 * 60_000, { serviceurl: teams.serviceUrl });
      clock.t += 6 * 60_000;
      expect((await verify(activityRequest(teams, token))).ok).toBe(true);
    } finally {
      bf.state.keys = [key];
    }
  });

  it('answers 503 when the signing keys cannot be fetched', async () => {
    const { ctx } = fakeContext();
    const verify = createVerifier(testConfig(bf.url, { openIdMetadataUrl: `${bf.url}/missing` }), ctx);
    expect(await verify(activityRequest(teams, await tokenFor(teams)))).toMatchObject({ ok: false, status: 503 });
  });

  it('keeps instances apart: each has its own app id and key set', async () => {
    const other = await localBotFramework();
    try {
      other.state.keys = [await mintKey('key-1')];
      const { ctx } = fakeContext();
      const otherVerify = createVerifier(testConfig(other.url, { appId: 'second-bot' }), ctx);
      const { verify } = setup();
      const token = await tokenFor(teams);
      expect((await verify(activityRequest(teams, token))).ok).toBe(true);
      expect(await otherVerify(activityRequest(teams, token))).toMatchObject({ ok: false, status: 401 });
      expect((await verify(activityRequest(teams, token))).ok).toBe(true);
    } finally {
      await other.close();
    }
  });
});

describe('Emulator tokens', () => {
  let emuKey: TestKey;
  beforeAll(async () => {
    emuKey = await mintKey('emu-1');
    bf.state.emulatorKeys = [emuKey];
  });
  const emulatorToken = (claims: Record<string, unknown>) => {
    const now = Math.floor(fakeContext().clock.now() / 1000);
    return new SignJWT({
      iss: 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/',
      aud: 'https://api.botframework.com',
      exp: now + 3600,
      ...claims,
    })
      .setProtectedHeader({ alg: 'RS256', kid: emuKey.kid })
      .sign(emuKey.privateKey);
  };
  const local = { ...teams, channelId: 'emulator', serviceUrl: 'http://localhost:5000' };

  it('accepts v1 (appid) and v2 (azp) tokens for this bot, from the emulator key set', async () => {
    const { verify } = setup();
    const v1 = await verify(activityRequest(local, await emulatorToken({ ver: '1.0', appid: appId })));
    expect(v1.ok && v1.request.verified).toEqual({ kind: 'emulator' });
    const v2 = await emulatorToken({ ver: '2.0', azp: appId, iss: 'https://login.microsoftonline.com/d6d49420-f39b-4df7-a1dc-d59a935871db/v2.0' });
    expect((await verify(activityRequest(local, v2))).ok).toBe(true);
  });

  it('refuses another app’s token, a token without ver, and any when emulator tokens are turned off', async () => {
    const { verify } = setup();
    expect(await verify(activityRequest(local, await emulatorToken({ ver: '1.0', appid: 'other' })))).toMatchObject({ ok: false, status: 401 });
    expect(await verify(activityRequest(local, await emulatorToken({ appid: appId })))).toMatchObject({ ok: false, status: 401 });
    const strict = setup({ acceptEmulatorTokens: false }).verify;
    expect(await strict(activityRequest(local, await emulatorToken({ ver: '1.0', appid: appId })))).toMatchObject({ ok: false, status: 401 });
  });

  it('accepts a single-tenant bot’s own tenant issuer only when tenantId is configured', async () => {
    const tenant = '11111111-2222-3333-4444-555555555555';
    const token = await emulatorToken({ ver: '1.0', appid: appId, iss: `https://sts.windows.net/${tenant}/`, tid: tenant });
    expect(await setup().verify(activityRequest(local, token))).toMatchObject({ ok: false, status: 401 });
    expect((await setup({ tenantId: tenant }).verify(activityRequest(local, token))).ok).toBe(true);
    // The SDK would have added the tenant's issuers globally by now; here the first instance still refuses.
    expect(await setup().verify(activityRequest(local, token))).toMatchObject({ ok: false, status: 401 });
  });
});

describe('anonymous mode', () => {
  it('without an app id refuses everything unless allowAnonymous is set', async () => {
    const { ctx } = fakeContext();
    const closed = createVerifier(testConfig(bf.url, { appId: undefined }), ctx);
    expect(await closed(activityRequest(teams))).toMatchObject({ ok: false, status: 401 });
    const open = createVerifier(testConfig(bf.url, { appId: undefined, allowAnonymous: true }), ctx);
    const result = await open(activityRequest(teams));
    expect(result.ok && result.request.verified).toEqual({ kind: 'anonymous' });
  });

  it('with an app id, allowAnonymous does not let an unauthenticated request in', async () => {
    const { verify } = setup({ allowAnonymous: true });
    expect(await verify(activityRequest(teams))).toMatchObject({ ok: false, status: 401 });
  });
});
