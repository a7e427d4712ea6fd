/**
 * Real voice notes for tests and benchmarks: speech from Debian's espeak-ng, encoded by ffmpeg as
 * the platforms send it (OGG/Opus for Telegram and WhatsApp), by silk-wasm as WeChat's SILK, and
 * AMR-NB written in the RFC 4867 storage format (Debian's ffmpeg decodes AMR but has no encoder).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode as encodeSilk } from 'silk-wasm';

/** `text` spoken by espeak-ng, as a WAV file (22.05 kHz mono). */
export function speak(text: string, voice = 'en'): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'parley-voice-'));
  try {
    execFileSync('espeak-ng', ['-v', voice, '-w', join(dir, 'v.wav'), text]);
    return readFileSync(join(dir, 'v.wav'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A WAV file re-encoded by ffmpeg with `args` (e.g. `['-c:a', 'libopus', '-f', 'ogg']`). */
export function ffmpeg(wav: Buffer, args: string[]): Buffer {
  return execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-i', 'pipe:0', ...args, 'pipe:1'], { input: wav, maxBuffer: 64 << 20 });
}

/** Speech as Telegram and WhatsApp send voice notes: OGG/Opus, 48 kHz mono. */
export function oggOpus(wav: Buffer): Buffer {
  return ffmpeg(wav, ['-ac', '1', '-ar', '48000', '-c:a', 'libopus', '-b:a', '24k', '-f', 'ogg']);
}

/** Speech as WeChat's SILK v3 (24 kHz); silk-wasm writes it the way WeChat clients do (a 0x02 byte before `#!SILK_V3`). */
export async function silk(wav: Buffer): Promise<Buffer> {
  const pcm = ffmpeg(wav, ['-ac', '1', '-ar', '24000', '-f', 's16le']);
  return Buffer.from((await encodeSilk(pcm, 24_000)).data);
}

/**
 * An AMR-NB file (RFC 4867 §5: `#!AMR\n`, then frames of a one-byte header and the payload) of
 * `seconds` of 12.2 kbit/s frames (mode 7, 31 payload bytes, 20 ms each) with random bits: what
 * WeChat and WeCom store voice notes as, decodable by any AMR decoder.
 */
export function amrNb(seconds: number): Buffer {
  const frames = Math.round(seconds * 50);
  const out = [Buffer.from('#!AMR\n', 'ascii')];
  for (let i = 0; i < frames; i++) out.push(Buffer.from([(7 << 3) | 0x04]), randomBytes(31));
  return Buffer.concat(out);
}

/** Sample rate, channels and seconds of a WAV file, from its header (what a server receiving it would read). */
export function wavInfo(data: Buffer): { sampleRate: number; channels: number; seconds: number } {
  if (data.toString('ascii', 0, 4) !== 'RIFF' || data.toString('ascii', 8, 12) !== 'WAVE') throw new Error('not a WAV file');
  const channels = data.readUInt16LE(22);
  const sampleRate = data.readUInt32LE(24);
  const bits = data.readUInt16LE(34);
  // ffmpeg writes a LIST chunk before data when piping; find the data chunk.
  let at = 12;
  while (at + 8 <= data.length && data.toString('ascii', at, at + 4) !== 'data') at += 8 + data.readUInt32LE(at + 4);
  const length = Math.min(data.readUInt32LE(at + 4), data.length - at - 8);
  return { sampleRate, channels, seconds: length / (sampleRate * channels * (bits / 8)) };
}
