import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../src/core/errors.js';
import { envelope, failure } from '../../test/support/adapter-context.js';
import { exampleConfig, exampleEnv, fakeContext, platformServer } from '../../test/support/custom.js';
import { type Answer, PlatformServer } from '../../test/support/platform-server.js';
import { CustomClient, requestKey } from './client.js';
import { customConfigSchema } from './config.js';

describe('custom channel client: the worked examples against a local server', () => {
  let api: Awaited<ReturnType<typeof platformServer>>;
  beforeAll(async () => {
    api = await platformServer();
  });
  afterAll(() => api?.close());

  it('Feishu: fetches a tenant token once, sends im/v1/messages with it and returns the message id', async () => {
    const { ctx } = fakeContext('feishu');
    const client = new CustomClient(exampleConfig('feishu', exampleEnv(api.url)).outbound, ctx);
    const ref = { channelId: 'feishu', chatId: 'oc_5ad11d72b830411d72b836c20', userId: 'ou_7d8a' };
    const receipt = await client.deliver(
      ref,
      [
        { kind: 'text', text: 'Hola' },
        { kind: 'text', text: '¿Algo más?' },
      ],
      envelope(),
    );
    expect(receipt.platformMessageIds).toEqual([expect.stringMatching(/^om_/), expect.stringMatching(/^om_/)]);
    expect(api.server.calls(/tenant_access_token/)).toHaveLength(1);
    const [first] = api.feishuMessages();
    expect(first).toEqual({ receive_id: 'oc_5ad11d72b830411d72b836c20', msg_type: 'text', content: '{"text":"Hola"}', uuid: requestKey('out-1', 0) });
  });

  it('Feishu: an expired token is fetched again and the send repeated once', async () => {
    const { ctx, state } = fakeContext('feishu');
    await state.set('custom:feishu:token', 't-expired');
    const client = new CustomClient(exampleConfig('feishu', exampleEnv(api.url)).outbound, ctx);
    const receipt = await client.deliver(
      { channelId: 'feishu', chatId: 'oc_1', userId: 'ou_1' },
      [{ kind: 'text', text: 'Hola' }],
      envelope({ idempotencyKey: 'out-2' }),
    );
    expect(receipt.platformMessageIds).toEqual([expect.stringMatching(/^om_/)]);
    expect(await state.get('custom:feishu:token')).toBe('t-caecc734c2e3328a62489fe0648c4b98779515d3');
  });

  it('DingTalk: posts to the session webhook the conversation kept', async () => {
    const { ctx } = fakeContext('dingtalk');
    const client = new CustomClient(exampleConfig('dingtalk', exampleEnv(api.url)).outbound, ctx);
    const extra = { sessionWebhook: `${api.url}/robot/sendBySession?session=abc`, sessionWebhookExpiredTime: Date.now() + 60_000 };
    const receipt = await client.deliver({ channelId: 'dingtalk', chatId: 'cid', userId: 'u', extra }, [{ kind: 'text', text: 'Hola' }], envelope());
    expect(receipt.platformMessageIds).toEqual([]);
    expect(api.dingtalkMessages().at(-1)).toEqual({ session: 'abc', body: { msgtype: 'text', text: { content: 'Hola' } } });
  });

  it('DingTalk: an expired session is `blocked`; a URL outside the allowed prefixes is never called', async () => {
    const { ctx } = fakeContext('dingtalk');
    const client = new CustomClient(exampleConfig('dingtalk', exampleEnv(api.url)).outbound, ctx);
    const expired = { sessionWebhook: `${api.url}/robot/sendBySession?session=abc`, sessionWebhookExpiredTime: Date.now() - 1 };
    const err = await failure(client.deliver({ channelId: 'dingtalk', chatId: 'cid', userId: 'u', extra: expired }, [{ kind: 'text', text: 'x' }], envelope()));
    expect(err).toMatchObject({ reason: 'blocked' });
    const before = api.server.received.length;
    const elsewhere = { sessionWebhook: 'http://127.0.0.1:1/steal', sessionWebhookExpiredTime: Date.now() + 60_000 };
    const err2 = await failure(
      client.deliver({ channelId: 'dingtalk', chatId: 'cid', userId: 'u', extra: elsewhere }, [{ kind: 'text', text: 'x' }], envelope()),
    );
    expect(err2).toMatchObject({ reason: 'invalid', message: expect.stringMatching(/not under outbound\.allowedUrlPrefixes/) });
    expect(api.server.received.length).toBe(before);
  });
});

describe('custom channel client: failures map to delivery reasons', () => {
  const answers: Answer[] = [];
  let server: PlatformServer;
  beforeAll(async () => {
    server = await new PlatformServer(() => answers.shift() ?? { json: { code: 0, data: { id: 'm1' } } }).start();
  });
  afterAll(() => server?.stop());

  const client = (extra: Record<string, unknown> = {}) =>
    new CustomClient(
      customConfigSchema.parse({
        inbound: { verify: { kind: 'none' }, eventId: 'id', userId: 'u', chatId: 'c' },
        outbound: {
          url: `${server.url}/send`,
          headers: { Authorization: 'Bearer k' },
          body: "{ 'to': chatId, 'text': text }",
          messageId: 'data.id',
          okWhen: 'code = 0',
          errorCode: 'code',
          errors: { '42': 'blocked', '7': 'rate_limited' },
          ...extra,
        },
      }).outbound,
      fakeContext('x').ctx,
    );
  const send = (c = client()) => c.send({ channelId: 'x', chatId: 'c1', userId: 'u1' }, { kind: 'text', text: 'hi' }, 'k1');

  it('returns the id the messageId expression reads, with the configured headers', async () => {
    expect(await send()).toBe('m1');
    expect(server.received.at(-1)?.headers.authorization).toBe('Bearer k');
    expect(server.received.at(-1)?.json).toEqual({ to: 'c1', text: 'hi' });
    await send(client({ headers: { 'Content-Type': 'application/vnd.chat+json' } }));
    expect(server.received.at(-1)?.headers['content-type']).toBe('application/vnd.chat+json');
  });

  const cases: [string, Answer, Partial<DeliveryError>][] = [
    ['429 with Retry-After', { status: 429, headers: { 'retry-after': '7' }, json: {} }, { reason: 'rate_limited', retryAfterMs: 7000 }],
    ['503', { status: 503, text: 'busy' }, { reason: 'transient' }],
    ['401', { status: 401, json: {} }, { reason: 'auth' }],
    ['400', { status: 400, json: {} }, { reason: 'invalid' }],
    ['400 with a mapped platform code', { status: 400, json: { code: 42 } }, { reason: 'blocked' }],
    ['200 that says it failed, mapped', { json: { code: 7 } }, { reason: 'rate_limited' }],
    ['200 that says it failed, unmapped', { json: { code: 99 } }, { reason: 'invalid' }],
  ];
  it.each(cases)('%s', async (_name, answer, expected) => {
    answers.push(answer);
    const err = await failure(send());
    expect(err).toBeInstanceOf(DeliveryError);
    expect(err).toMatchObject(expected);
  });

  it('follows retryOn: a status left out is not retried, one listed is', async () => {
    answers.push({ status: 503, text: 'busy' });
    expect(await failure(send(client({ retryOn: [429] })))).toMatchObject({ reason: 'invalid' });
    answers.push({ status: 409, json: {} });
    expect(await failure(send(client({ retryOn: [409] })))).toMatchObject({ reason: 'transient' });
  });
});
