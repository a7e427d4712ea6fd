import { describe, expect, it } from 'vitest';
import { describeAdapterContract } from '../../test/contract/adapter-contract.js';
import { dingtalkRequest, exampleConfig, fakeContext, feishuRequest, fixture } from '../../test/support/custom.js';
import type { Logger } from '../../src/core/ports.js';
import { silentLogger } from '../../src/core/ports.js';
import { createCustomAdapter, UNVERIFIED_WARNING } from './adapter.js';
import { customConfigSchema } from './config.js';

const feishuFixtures = ['im_message_receive_v1.json', 'im_message_receive_v1_p2p_es.json', 'im_message_message_read_v1.json'];

describeAdapterContract({
  name: 'custom (Feishu example)',
  create: () => createCustomAdapter(exampleConfig('feishu'), fakeContext('feishu').ctx),
  validRequests: () => feishuFixtures.map((f) => feishuRequest(fixture(`feishu/${f}`))),
});

describeAdapterContract({
  name: 'custom (DingTalk example)',
  create: () => createCustomAdapter(exampleConfig('dingtalk'), fakeContext('dingtalk').ctx),
  validRequests: () => ['receive_message_text_group.json', 'receive_message_text_single_es.json'].map((f) => dingtalkRequest(fixture(`dingtalk/${f}`))),
  // DingTalk signs the timestamp, not the body: a flipped body byte passes (docs/channels/custom.md says so); a forged sign does not.
  tamper: (req) => ({ ...req, headers: { ...req.headers, sign: dingtalkRequest('{}', { secret: 'forged' }).headers.sign } }),
});

describe('custom adapter', () => {
  it('declares what the block says it can show', () => {
    const caps = createCustomAdapter(exampleConfig('feishu'), fakeContext('feishu').ctx).capabilities;
    expect(caps).toMatchObject({ maxTextLength: 4000, markup: 'plain', buttons: false, media: [], rateLimit: { perChatPerSecond: 5, perBotPerSecond: 50 } });
  });

  it('warns at start when a block verifies nothing', () => {
    const warnings: string[] = [];
    const log: Logger = { ...silentLogger, warn: (_obj, msg) => void warnings.push(msg ?? '') };
    const config = customConfigSchema.parse({
      inbound: { verify: { kind: 'none' }, eventId: 'id', userId: 'u', chatId: 'c' },
      outbound: { url: 'https://x.example/send', body: 'text' },
    });
    createCustomAdapter(config, fakeContext('open', { log }).ctx);
    expect(warnings).toEqual([UNVERIFIED_WARNING]);
  });
});
