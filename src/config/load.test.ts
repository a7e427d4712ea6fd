import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../cli/check.js';
import { isParleyError } from '../core/errors.js';
import { channelDefinitions } from '../server/channels.js';
import { projectRoot } from '../server/gateway.js';
import { configPath, parseConfigText } from './load.js';

const parse = (yaml: string, env: Record<string, string> = {}) => parseConfigText(yaml, 'test.yaml', env, channelDefinitions);

function problems(yaml: string, env: Record<string, string> = {}): string {
  try {
    parse(yaml, env);
  } catch (err) {
    if (isParleyError(err, 'CONFIG_INVALID')) return err.message;
    throw err;
  }
  throw new Error('expected the configuration to be invalid');
}

describe('configuration', () => {
  it('loads the shipped default offline, with no env at all', () => {
    const config = parse(readFileSync(join(projectRoot, 'config/gateway.yaml'), 'utf8'));
    expect(config.server.port).toBe(3000);
    expect(config.storage.driver).toBe('sqlite');
    expect(config.channels.map((c) => c.type)).toEqual(['webchat']);
    expect(config.api.keys).toEqual([]);
    expect(Object.isFrozen(config.server)).toBe(true);
  });

  it('interpolates ${VAR} and ${VAR:-default}; PORT overrides the port', () => {
    const yaml = 'server: { port: "${P:-4000}", publicUrl: "${URL}" }\napi: { keys: ["${KEY}"] }';
    const config = parse(yaml, { URL: 'https://chat.shop.example', KEY: 'k'.repeat(20) });
    expect(config.server.port).toBe(4000);
    expect(config.server.publicUrl).toBe('https://chat.shop.example');
    expect(config.api.keys).toEqual(['k'.repeat(20)]);
    expect(parse(yaml, { URL: 'https://x.example', PORT: '5050' }).server.port).toBe(5050);
  });

  it('reports every problem together, naming the YAML path and the env var', () => {
    const message = problems(
      [
        'server: { port: "${PORT_X}" }',
        'storage: { driver: postgres }',
        'channels:',
        '  tg: { type: telegram, token: "${TG_TOKEN}", mode: sideways }',
        '  odd: { type: carrier-pigeon }',
        '  wx: { type: wechat, appId: wx123, appSecret: "${WX_SECRET}", token: t }',
      ].join('\n'),
      { PORT_X: 'eighty', TG_TOKEN: 'not-a-token' },
    );
    expect(message).toMatch(/server\.port \(env PORT_X\)/);
    expect(message).toMatch(/storage\.postgres\.url/);
    expect(message).toMatch(/channels\.tg\.token \(env TG_TOKEN\)/);
    expect(message).toMatch(/channels\.tg\.mode/);
    expect(message).toMatch(/channels\.odd\.type: unknown channel type "carrier-pigeon"; known types: webchat, telegram/);
    expect(message).toMatch(/channels\.wx\.appSecret \(env WX_SECRET\)/);
  });

  it('limits what a message may make the bot read, 4096 characters and 256 per word by default', () => {
    expect(parse('').limits).toEqual({ maxTextLength: 4096, maxWordLength: 256 });
    expect(parse('limits: { maxTextLength: "${MAX_TEXT}" }', { MAX_TEXT: '8000' }).limits.maxTextLength).toBe(8000);
    const message = problems('limits: { maxTextLength: 10, maxWordLength: 1000000 }', {});
    expect(message).toMatch(/limits\.maxTextLength: at least 256 characters/);
    expect(message).toMatch(/limits\.maxWordLength: at most 4096 characters/);
  });

  it('refuses a second web chat channel (the widget endpoints belong to one)', () => {
    const message = problems(['channels:', '  webchat: { type: webchat }', '  shop2: { type: webchat }'].join('\n'), {});
    expect(message).toMatch(/channels\.shop2\.type: only one web chat channel is supported/);
  });

  it('picks the file from --config, then PARLEY_CONFIG, then the default', () => {
    expect(configPath(['start', '--config', '/etc/parley.yaml'], {})).toBe('/etc/parley.yaml');
    expect(configPath(['start', '--config=/a.yaml'], {})).toBe('/a.yaml');
    expect(configPath(['start'], { PARLEY_CONFIG: '/b.yaml' })).toBe('/b.yaml');
    expect(configPath(['start'], {})).toMatch(/config\/gateway\.yaml$/);
  });

  it('parley check lists channels, webhook URLs and what is missing, and fails when incomplete', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-check-'));
    const file = join(dir, 'gateway.yaml');
    writeFileSync(file, 'server: { publicUrl: "https://chat.shop.example" }\nchannels:\n  webchat: { type: webchat }\n  wa: { type: whatsapp, phoneNumberId: "123", appSecret: "${WA_SECRET}" }\n');
    const lines: string[] = [];
    expect(await check(file, {}, (l) => lines.push(l))).toBe(1);
    const out = lines.join('\n');
    expect(out).toMatch(/webchat \(webchat\) webhook https:\/\/chat\.shop\.example\/webhooks\/webchat ok/);
    expect(out).toMatch(/wa \(whatsapp\) webhook https:\/\/chat\.shop\.example\/webhooks\/wa INCOMPLETE/);
    expect(out).toMatch(/missing: .*WHATSAPP_ACCESS_TOKEN/);
    const invalid: string[] = [];
    writeFileSync(file, 'channels: { x: { type: nope } }\n');
    expect(await check(file, {}, (l) => invalid.push(l))).toBe(1);
    expect(invalid.join('\n')).toMatch(/channels\.x\.type/);
  });
});
