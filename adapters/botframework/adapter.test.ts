import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawRequest } from '../../src/core/adapter.js';
import { describeAdapterContract } from '../../test/contract/adapter-contract.js';
import { createBotframeworkAdapter } from './adapter.js';
import { botframeworkChannel } from './channel.js';
import {
  activityFixtures,
  activityRequest,
  channelToken,
  fakeContext,
  localBotFramework,
  mintKey,
  type TestKey,
  testConfig,
} from '../../test/support/botframework.js';

let bf: Awaited<ReturnType<typeof localBotFramework>>;
let key: TestKey;
beforeAll(async () => {
  bf = await localBotFramework();
  key = await mintKey('contract-key');
  bf.state.keys = [key];
});
afterAll(() => bf.close());

async function signedFixtures(): Promise<RawRequest[]> {
  const now = fakeContext().clock.now();
  return Promise.all(
    Object.values(activityFixtures()).map(async (activity) =>
      activityRequest(activity, await channelToken(key, now, { serviceurl: (activity as { serviceUrl: string }).serviceUrl })),
    ),
  );
}

describeAdapterContract({
  name: 'botframework',
  create: () => createBotframeworkAdapter(testConfig(bf.url), fakeContext().ctx),
  validRequests: signedFixtures,
  // Why: the token does not sign the body; it binds only `serviceUrl`, which is what a forger would change.
  tamper: (req) => {
    const activity = JSON.parse(req.body.toString('utf8')) as Record<string, unknown>;
    return { ...req, body: Buffer.from(JSON.stringify({ ...activity, serviceUrl: 'https://attacker.example/' })) };
  },
});

describe('botframeworkChannel definition', () => {
  it('parses a block with defaults', () => {
    expect(botframeworkChannel.parseConfig({ appId: 'a', appPassword: 'p' })).toEqual({
      ok: true,
      value: {
        appId: 'a',
        appPassword: 'p',
        openIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
        emulatorOpenIdMetadataUrl: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
        acceptEmulatorTokens: true,
        allowAnonymous: false,
        connectorHosts: ['.trafficmanager.net', '.botframework.com', '.botframework.azure.us'],
      },
    });
  });

  it('reports unknown keys and bad URLs with their paths', () => {
    const parsed = botframeworkChannel.parseConfig({ appId: 'a', openIdMetadataUrl: 'nope', appPasword: 'typo' });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.issues.map((i) => i.path.join('.'))).toContain('openIdMetadataUrl');
      expect(parsed.issues.some((i) => i.message.includes('appPasword'))).toBe(true);
    }
  });

  it('describe names the env vars of missing secrets, and none in explicit anonymous mode', () => {
    const empty = botframeworkChannel.parseConfig({});
    const anonymous = botframeworkChannel.parseConfig({ allowAnonymous: true });
    if (!empty.ok || !anonymous.ok) throw new Error('both blocks parse');
    expect(botframeworkChannel.describe?.(empty.value).missing).toEqual(['appId (MICROSOFT_APP_ID)', 'appPassword (MICROSOFT_APP_PASSWORD)']);
    const described = botframeworkChannel.describe?.(anonymous.value);
    expect(described?.missing).toEqual([]);
    expect(described?.notes?.join(' ')).toContain('NOT authenticated');
  });

  it('declares markdown, hero cards, six buttons, images and typing', () => {
    const { capabilities } = createBotframeworkAdapter(testConfig(bf.url), fakeContext().ctx);
    expect(capabilities).toMatchObject({
      markup: 'markdown',
      cards: true,
      buttons: { max: 6 },
      list: false,
      typing: true,
      media: ['image'],
      maxTextLength: 8000,
    });
  });

  it('verify, normalize and deliver line up: a signed Teams message is answered at its serviceUrl', async () => {
    const { ctx } = fakeContext();
    const adapter = createBotframeworkAdapter(testConfig(bf.url), ctx);
    const activity = { ...activityFixtures().teamsPersonal, serviceUrl: `${bf.url}/teams/` };
    const verified = await adapter.verify(activityRequest(activity, await channelToken(key, ctx.clock.now(), { serviceurl: activity.serviceUrl })));
    if (!verified.ok) throw new Error(`verify failed: ${verified.reason}`);
    const [event] = adapter.normalize(verified.request).events;
    if (!event) throw new Error('no event');
    const payloads = adapter.render({ parts: [{ kind: 'text', text: 'Hi Megan' }] }, event.ref);
    await adapter.deliver(event.ref, payloads, { idempotencyKey: 'k', messageId: 'm', seq: 1, role: 'bot', attempt: 1, createdAt: 0 });
    const sent = bf.requests.find((r) => r.path.startsWith('/teams/v3/conversations/'));
    expect(sent?.body).toMatchObject({ type: 'message', text: 'Hi Megan', recipient: { id: event.ref.userId }, conversation: { id: event.ref.chatId } });
  });
});
