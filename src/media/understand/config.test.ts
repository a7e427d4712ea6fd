import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../cli/check.js';
import { parseConfigText } from '../../config/load.js';
import { isParleyError } from '../../core/errors.js';
import { channelDefinitions } from '../../server/channels.js';

const parse = (yaml: string, env: Record<string, string> = {}) => parseConfigText(yaml, 'test.yaml', env, channelDefinitions);

async function checked(yaml: string): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-media-check-'));
  try {
    writeFileSync(join(dir, 'gateway.yaml'), yaml);
    const lines: string[] = [];
    await check(join(dir, 'gateway.yaml'), {}, (l) => lines.push(l));
    return lines;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('transcription: block', () => {
  it('is off by default; the key comes from the env', () => {
    expect(parse('').transcription).toMatchObject({ enabled: false, model: 'whisper-1', format: 'auto', ffmpeg: 'ffmpeg' });
    const on = parse('transcription: { enabled: true, apiKey: "${GROQ_API_KEY}", baseURL: "https://api.groq.com/openai/v1", model: whisper-large-v3-turbo }', {
      GROQ_API_KEY: 'gsk_x',
    });
    expect(on.transcription).toMatchObject({ enabled: true, apiKey: 'gsk_x', model: 'whisper-large-v3-turbo' });
  });

  it('names the missing key and its env var when OpenAI is meant', () => {
    let message = '';
    try {
      parse('transcription: { enabled: true, apiKey: "${OPENAI_API_KEY}" }');
    } catch (err) {
      if (isParleyError(err, 'CONFIG_INVALID')) message = err.message;
    }
    expect(message).toMatch(/transcription\.apiKey/);
    expect(message).toMatch(/OPENAI_API_KEY/);
  });

  it('parley check says who listens and looks, and what to install when ffmpeg is missing', async () => {
    const off = await checked('');
    expect(off).toContain('Voice notes: a person listens (transcription is off; set transcription.enabled, docs/media.md).');
    expect(off.some((l) => l.startsWith('Photos: a person looks'))).toBe(true);
    const missing = await checked(
      'transcription: { enabled: true, baseURL: "http://127.0.0.1:9/v1", ffmpeg: /nonexistent/ffmpeg }\nllm: { enabled: true, apiKey: k, vision: true }',
    );
    expect(missing.some((l) => l.includes('apt-get install ffmpeg'))).toBe(true);
    expect(missing).toContain('Photos: seen by gpt-4o-mini (llm.vision); a person decides what the model cannot.');
    const present = await checked('transcription: { enabled: true, baseURL: "http://127.0.0.1:9/v1" }');
    expect(present.some((l) => /^ {2}ffmpeg \S+: AMR, AAC and 3GP voice notes are converted\.$/.test(l))).toBe(true);
  });
});
