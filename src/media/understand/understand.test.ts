import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AudioPart, MessageEvent, Part } from '../../core/message.js';
import { silentLogger } from '../../core/ports.js';
import { amrNb, oggOpus, silk, speak, wavInfo } from '../../../test/support/audio.js';
import { ModelServer } from '../../../test/support/model-server.js';
import { LocalMediaStore } from '../local.js';
import { ffmpegVersion } from './convert.js';
import { createOpenAiTranscriber } from './transcriber.js';
import { createUnderstanding, type UnderstandingDeps } from './understand.js';

const SPOKEN = 'My bowl arrived cracked. Can I get a new one?';
let server: ModelServer;
let dir: string;
let media: LocalMediaStore;
let speech: Buffer;

beforeAll(async () => {
  server = await new ModelServer(() => ({ content: 'unused' })).start();
  server.transcribe = () => ({ text: ` ${SPOKEN} ` });
  dir = mkdtempSync(join(tmpdir(), 'parley-understand-'));
  media = new LocalMediaStore(dir);
  speech = speak(SPOKEN);
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const logged: { level: string; obj: object; msg?: string }[] = [];
const log = {
  ...silentLogger,
  warn: (obj: object, msg?: string) => void logged.push({ level: 'warn', obj, ...(msg ? { msg } : {}) }),
  error: (obj: object, msg?: string) => void logged.push({ level: 'error', obj, ...(msg ? { msg } : {}) }),
  child: () => log,
};

function stage(overrides: Partial<UnderstandingDeps> = {}) {
  return createUnderstanding({
    media,
    transcriber: createOpenAiTranscriber({ baseURL: server.url, apiKey: 'sk-test-key', model: 'whisper-1', timeoutMs: 5000 }),
    convert: { format: 'auto', ffmpeg: 'ffmpeg', timeoutMs: 20_000 },
    maxDurationSec: 120,
    log,
    ...overrides,
  });
}

const message = (parts: Part[]): MessageEvent => ({
  type: 'message',
  channelId: 'tg',
  eventId: 'e1',
  timestamp: 1,
  ref: { channelId: 'tg', chatId: 'c', userId: 'u' },
  parts,
});

async function voice(data: Buffer, mimeType: string, extra: Partial<AudioPart> = {}): Promise<AudioPart> {
  return { kind: 'audio', url: 'platform:voice-1', mimeType, stored: await media.put(data, { mimeType }), ...extra };
}

describe('voice notes', () => {
  it('sends an OGG/Opus voice note (Telegram, WhatsApp) as it is, as a multipart upload, and keeps the transcript on the part', async () => {
    const ogg = oggOpus(speech);
    const before = server.transcriptions.length;
    const out = await stage()(message([await voice(ogg, 'audio/ogg', { durationSec: 3 })]));
    const [upload] = server.transcriptions.slice(before);
    expect(upload?.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(upload?.headers.authorization).toBe('Bearer sk-test-key');
    expect(upload?.fields).toMatchObject({ model: 'whisper-1', response_format: 'json' });
    expect(upload?.file?.name).toBe('voice.ogg');
    expect(upload?.file?.type).toBe('audio/ogg');
    expect(upload?.file?.data.equals(ogg)).toBe(true);
    expect(out.parts[0]).toMatchObject({ kind: 'audio', transcript: SPOKEN, url: 'platform:voice-1' });
    expect(out.media).toEqual([{ kind: 'audio', mimeType: 'audio/ogg', transcribed: true }]);
  });

  it('converts WeChat AMR with ffmpeg to 16 kHz mono WAV of the same length', async () => {
    const amr = amrNb(2);
    const before = server.transcriptions.length;
    const out = await stage()(message([await voice(amr, 'audio/amr')]));
    const upload = server.transcriptions[before];
    expect(upload?.file?.name).toBe('voice.wav');
    expect(upload?.file?.type).toBe('audio/wav');
    const info = wavInfo(upload?.file?.data ?? Buffer.alloc(0));
    expect(info).toMatchObject({ sampleRate: 16_000, channels: 1 });
    expect(info.seconds).toBeCloseTo(2, 1);
    expect(out.media[0]?.transcribed).toBe(true);
  });

  it('decodes WeChat SILK with silk-wasm to WAV holding the speech', async () => {
    const spoken = wavInfo(speech).seconds;
    const before = server.transcriptions.length;
    const note = await silk(speech);
    expect(note.subarray(0, 10).toString('latin1')).toBe('\x02#!SILK_V3');
    await stage()(message([await voice(note, 'audio/silk')]));
    const upload = server.transcriptions[before];
    expect(upload?.file?.name).toBe('voice.wav');
    const info = wavInfo(upload?.file?.data ?? Buffer.alloc(0));
    expect(info).toMatchObject({ sampleRate: 24_000, channels: 1 });
    expect(Math.abs(info.seconds - spoken)).toBeLessThan(0.2);
  });

  it('format wav converts even what Whisper takes (a whisper.cpp server without --convert)', async () => {
    const before = server.transcriptions.length;
    await stage({ convert: { format: 'wav', ffmpeg: 'ffmpeg', timeoutMs: 20_000 } })(message([await voice(oggOpus(speech), 'audio/ogg')]));
    const info = wavInfo(server.transcriptions[before]?.file?.data ?? Buffer.alloc(0));
    expect(info.sampleRate).toBe(16_000);
    expect(Math.abs(info.seconds - wavInfo(speech).seconds)).toBeLessThan(0.2);
  });

  it('hears the same note once: a re-run turn or a forwarded note reuses its transcript', async () => {
    const note = oggOpus(speak('Where is my parcel?'));
    const understand = stage();
    const before = server.transcriptions.length;
    const first = await understand(message([await voice(note, 'audio/ogg')]));
    const again = await understand(message([await voice(note, 'audio/ogg')]));
    expect(server.transcriptions.length).toBe(before + 1);
    expect(again.parts[0]).toMatchObject({ transcript: (first.parts[0] as AudioPart).transcript });
    expect(again.media[0]?.transcribed).toBe(true);
  });

  it("uses WeChat's Recognition transcript without calling the endpoint", async () => {
    const before = server.transcriptions.length;
    const out = await stage()(message([await voice(amrNb(1), 'audio/amr', { transcript: '碗碎了' })]));
    expect(server.transcriptions.length).toBe(before);
    expect(out.parts[0]).toMatchObject({ transcript: '碗碎了' });
    expect(out.media[0]?.transcribed).toBe(true);
  });

  it('names why a voice note was not heard: no transcriber, not stored, too long', async () => {
    const before = server.transcriptions.length;
    const offline = createUnderstanding({ media, convert: { format: 'auto', ffmpeg: 'ffmpeg', timeoutMs: 1000 }, maxDurationSec: 120, log });
    expect((await offline(message([await voice(oggOpus(speech), 'audio/ogg')]))).media[0]?.problem).toBe('no_transcriber');
    const lost: AudioPart = { kind: 'audio', url: 'platform:x', intakeError: { code: 'too_large', detail: '20 MB' } };
    expect((await stage()(message([lost]))).media[0]?.problem).toBe('too_large');
    expect((await stage()(message([await voice(oggOpus(speech), 'audio/ogg', { durationSec: 600 })]))).media[0]?.problem).toBe('too_long');
    expect(server.transcriptions.length).toBe(before);
  });

  it('a failing or slow endpoint leaves the note untranscribed (transcription_failed), within the timeout; the observer hears each call', async () => {
    const calls: [number, string | undefined][] = [];
    const observed = (timeoutMs: number) =>
      createOpenAiTranscriber({ baseURL: server.url, model: 'whisper-1', timeoutMs, observe: (ms, failure) => void calls.push([ms, failure]) });
    server.transcribe = () => ({ status: 500 });
    const failed = await stage({ transcriber: observed(5000) })(message([await voice(oggOpus(speech), 'audio/ogg')]));
    expect(failed.media[0]?.problem).toBe('transcription_failed');
    expect((failed.parts[0] as AudioPart).transcript).toBeUndefined();
    server.transcribe = () => ({ text: 'too late', delayMs: 3000 });
    const started = Date.now();
    const slow = await stage({ transcriber: observed(1000) })(message([await voice(oggOpus(speech), 'audio/ogg')]));
    expect(slow.media[0]?.problem).toBe('transcription_failed');
    expect(Date.now() - started).toBeLessThan(2500);
    server.transcribe = () => ({ text: SPOKEN });
    await stage({ transcriber: observed(5000) })(message([await voice(oggOpus(speak('a third note')), 'audio/ogg')]));
    expect(calls.map(([, failure]) => failure)).toEqual(['refused', 'timeout', undefined]);
    expect(calls[1]?.[0]).toBeGreaterThanOrEqual(900);
  });

  it('without ffmpeg, AMR is not heard and the operator is told what to install; ffmpegVersion says so too', async () => {
    logged.length = 0;
    const out = await stage({ convert: { format: 'auto', ffmpeg: '/nonexistent/ffmpeg', timeoutMs: 1000 } })(message([await voice(amrNb(1), 'audio/amr')]));
    expect(out.media[0]?.problem).toBe('transcription_failed');
    const said = logged.find((l) => l.level === 'error');
    expect(String((said?.obj as { err?: Error }).err?.message)).toMatch(/apt-get install ffmpeg/);
    expect(await ffmpegVersion('/nonexistent/ffmpeg')).toBeUndefined();
    expect(await ffmpegVersion('ffmpeg')).toMatch(/\d/);
  });
});

describe('photos, videos and files', () => {
  it('gives the answerer the stored bytes to load, or why there are none; a caption stays text', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    const stored = await media.put(png, { mimeType: 'image/png' });
    const out = await stage()(
      message([
        { kind: 'image', url: 'platform:p1', caption: 'arrived like this', stored },
        { kind: 'video', url: 'platform:v1', intakeError: { code: 'fetch_failed' } },
      ]),
    );
    expect(out.parts).toHaveLength(2);
    expect(out.media[0]).toMatchObject({ kind: 'image', mimeType: 'image/png' });
    expect(Buffer.from((await out.media[0]?.load?.()) ?? []).equals(png)).toBe(true);
    expect(out.media[1]).toEqual({ kind: 'video', problem: 'fetch_failed' });
  });
});
