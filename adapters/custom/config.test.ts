import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { isParleyError } from '../../src/core/errors.js';
import { channelDefinitions } from '../../src/server/channels.js';
import { exampleBlock, exampleConfig, exampleEnv, exampleYaml } from '../../test/support/custom.js';
import { customChannel } from './adapter.js';
import { missingSettings } from './config.js';

/** The issues `parseConfig` reports for a block, as `path: message` lines. */
function issues(block: Record<string, unknown>): string[] {
  const result = customChannel.parseConfig(block);
  return result.ok ? [] : result.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

const minimal = () => ({
  inbound: { verify: { kind: 'bearer', token: 'tok' }, eventId: 'id', userId: 'from', chatId: 'chat', text: 'text' },
  outbound: { url: 'https://api.example.com/send', body: "{ 'to': chatId, 'text': text }" },
});

describe('custom channel config', () => {
  it('takes both worked examples as written', () => {
    expect(issues(exampleBlock('feishu'))).toEqual([]);
    expect(issues(exampleBlock('dingtalk'))).toEqual([]);
    const dingtalk = exampleConfig('dingtalk');
    expect(dingtalk.inbound.verify).toMatchObject({ kind: 'hmac', over: '{header.timestamp}\n{secret}', encoding: 'base64' });
    expect(dingtalk.outbound.allowedUrlPrefixes).toEqual(['http://127.0.0.1:9/robot/sendBySession']);
    expect(exampleConfig('feishu').outbound.url).toBe('http://127.0.0.1:9/open-apis/im/v1/messages?receive_id_type=chat_id');
  });

  it('fills defaults for a minimal block', () => {
    const result = customChannel.parseConfig(minimal());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.outbound).toMatchObject({ method: 'POST', retryOn: [408, 429, 500, 502, 503, 504], timeoutMs: 10_000 });
    expect(result.value.capabilities).toEqual({ maxTextLength: 2000, markup: 'plain', buttons: false, images: false });
    expect(result.value.inbound.ack).toEqual({ status: 200 });
  });

  it('reports a bad JSONata expression with its key and JSONata’s message', () => {
    const block = minimal();
    block.inbound.text = 'event.message.(';
    expect(issues(block)).toEqual([expect.stringMatching(/^inbound\.text: bad JSONata expression: S0\d{3}: .+ \(at character \d+\)$/)]);
  });

  it('names the channel and the YAML path when the gateway config is loaded', () => {
    const yaml = `
channels:
  feishu:
    type: custom
    inbound: { verify: { kind: none }, eventId: "header.event_id", userId: "a", chatId: "b", text: "$fromJson(" }
    outbound: { url: "https://open.feishu.cn/x", body: "{ 'a': text }" }
`;
    let message = '';
    try {
      parseConfigText(yaml, 'gateway.yaml', {}, channelDefinitions);
    } catch (err) {
      if (isParleyError(err, 'CONFIG_INVALID')) message = err.message;
    }
    expect(message).toMatch(/channels\.feishu\.inbound\.text: bad JSONata expression: .*\(at character \d+\)/);
  });

  const bad: [string, (b: ReturnType<typeof minimal> & Record<string, any>) => void, RegExp][] = [
    ['an unknown verify kind', (b) => (b.inbound.verify = { kind: 'magic' } as never), /^inbound\.verify\.kind: /],
    [
      'a digest that does not cover the secret',
      (b) => (b.inbound.verify = { kind: 'digest', header: 'x-sig', secret: 's', over: '{body}' } as never),
      /^inbound\.verify\.over: a digest must cover \{secret\}/,
    ],
    [
      'an unknown signing placeholder',
      (b) => (b.inbound.verify = { kind: 'hmac', header: 'x-sig', secret: 's', over: '{path}{body}' } as never),
      /^inbound\.verify\.over: unknown placeholder/,
    ],
    [
      'a timestamp with neither header nor query',
      (b) => (b.inbound.verify = { kind: 'hmac', header: 'x-sig', secret: 's', timestamp: { unit: 's' } } as never),
      /^inbound\.verify\.timestamp: name the timestamp/,
    ],
    ['no event id', (b) => delete (b.inbound as Record<string, unknown>).eventId, /^inbound\.eventId: /],
    ['both url and urlFrom', (b) => ((b.outbound as Record<string, unknown>).urlFrom = 'extra.url'), /^outbound: give either url or urlFrom/],
    [
      'urlFrom without allowed prefixes',
      (b) => ((b.outbound as Record<string, unknown>) = { urlFrom: 'extra.url', body: 'text' }),
      /^outbound\.allowedUrlPrefixes: urlFrom needs allowedUrlPrefixes/,
    ],
    ['a non-http url', (b) => (b.outbound.url = 'ftp://example.com/x'), /^outbound\.url: /],
    ['images without an imageBody', (b) => (b.capabilities = { images: true }), /^outbound\.imageBody: capabilities\.images is true/],
    [
      'buttons without a buttonsBody',
      (b) => (b.capabilities = { buttons: { max: 3, maxLabelLength: 20 } }),
      /^outbound\.buttonsBody: capabilities\.buttons is set/,
    ],
    [
      'an unsigned handshake without decryption',
      (b) => ((b.inbound as Record<string, unknown>).handshake = { when: 'type', respond: '{}', unsigned: true }),
      /^inbound\.handshake\.unsigned: an unsigned handshake is taken only from an encrypted body/,
    ],
    ['an unknown key', (b) => ((b.inbound as Record<string, unknown>).textt = 'x'), /^inbound: Unrecognized key/],
    ['a keep name that is not a name', (b) => ((b.inbound as Record<string, unknown>).keep = { 'a-b': 'x' }), /^inbound\.keep\.a-b: a name of letters/],
    ['a retry status outside 400–599', (b) => ((b.outbound as Record<string, unknown>).retryOn = [200]), /^outbound\.retryOn\.0: /],
  ];
  it.each(bad)('refuses %s, saying where and why', (_name, change, message) => {
    const block = minimal() as ReturnType<typeof minimal> & Record<string, any>;
    change(block);
    expect(issues(block)).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
  });

  it('lists secrets whose env var is unset as missing', () => {
    const env = exampleEnv();
    delete (env as Record<string, string | undefined>).FEISHU_ENCRYPT_KEY;
    expect(missingSettings(exampleConfig('feishu', env))).toEqual([
      'inbound.verify.secret (its env var is unset)',
      'inbound.decrypt.key (its env var is unset)',
    ]);
    expect(missingSettings(exampleConfig('dingtalk'))).toEqual([]);
  });

  it('warns loudly about verify: none in parley check', () => {
    const block = minimal();
    block.inbound.verify = { kind: 'none' } as never;
    const parsed = customChannel.parseConfig(block);
    if (!parsed.ok) throw new Error('expected ok');
    expect(customChannel.describe?.(parsed.value).notes?.[0]).toMatch(/^WARNING: inbound\.verify is "none": anyone/);
  });
});

describe('docs/channels/custom.md', () => {
  it('shows both worked examples exactly as the tested files hold them', () => {
    const doc = readFileSync(new URL('../../docs/channels/custom.md', import.meta.url), 'utf8');
    for (const name of ['feishu', 'dingtalk'] as const) {
      const yaml = exampleYaml(name);
      expect(doc).toContain(`# adapters/custom/examples/${name}.yaml\n${yaml.slice(yaml.indexOf('channels:'))}`);
    }
  });
});
