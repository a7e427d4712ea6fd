/**
 * Voice notes in a format the transcription endpoint takes. Whisper reads OGG/Opus (Telegram,
 * WhatsApp), MP3, M4A, WAV, WebM and FLAC as they are; WeChat and WeCom send AMR (and SILK from
 * mini programs and some clients), LINE M4A, others AAC or 3GP. AMR, AAC and 3GP go through
 * Debian's ffmpeg; SILK is decoded with `silk-wasm` (no ffmpeg needed) and wrapped as WAV.
 */
import { spawn } from 'node:child_process';
import { decode as decodeSilk, isSilk } from 'silk-wasm';
import type { AudioFile } from './transcriber.js';

/** Formats the endpoint takes as they are, by MIME type, with the extension servers go by. */
const TAKEN: Record<string, string> = {
  'audio/ogg': 'ogg',
  'audio/opus': 'ogg',
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
  'audio/mp4': 'm4a',
  'audio/x-m4a': 'm4a',
  'audio/m4a': 'm4a',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/wave': 'wav',
  'audio/webm': 'webm',
  'audio/flac': 'flac',
  'video/mp4': 'mp4',
  'video/webm': 'webm',
};

/** WeChat's SILK voice is 24 kHz mono. */
const SILK_RATE = 24_000;

/** Why a voice note could not be converted; `ffmpeg_missing` is the operator's to fix. */
export class ConversionError extends Error {
  constructor(
    readonly reason: 'ffmpeg_missing' | 'ffmpeg_failed' | 'silk_failed',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ConversionError';
  }
}

/** How voice notes are converted (the `transcription:` block). */
export interface ConvertOptions {
  /** `wav`: everything becomes 16 kHz mono WAV. */
  format: 'auto' | 'wav';
  ffmpeg: string;
  /** A conversion that takes longer is stopped. */
  timeoutMs: number;
}

/**
 * The voice note as the endpoint takes it, converting only what needs it.
 *
 * @example
 * ```ts
 * await forTranscription({ data, mimeType: 'audio/amr' }, { format: 'auto', ffmpeg: 'ffmpeg', timeoutMs: 20000 }); // { mimeType: 'audio/wav', name: 'voice.wav', data }
 * ```
 */
export async function forTranscription(audio: { data: Buffer; mimeType: string }, options: ConvertOptions): Promise<AudioFile> {
  if (isSilk(audio.data)) return { data: await silkToWav(audio.data), mimeType: 'audio/wav', name: 'voice.wav' };
  const type = audio.mimeType.split(';')[0]?.trim().toLowerCase() ?? '';
  const ext = TAKEN[type];
  if (ext && (options.format === 'auto' || ext === 'wav')) return { data: audio.data, mimeType: type, name: `voice.${ext}` };
  return { data: await ffmpegToWav(audio.data, options), mimeType: 'audio/wav', name: 'voice.wav' };
}

async function silkToWav(data: Buffer): Promise<Buffer> {
  try {
    const pcm = await decodeSilk(data, SILK_RATE);
    return wav(Buffer.from(pcm.data.buffer, pcm.data.byteOffset, pcm.data.byteLength), SILK_RATE);
  } catch (cause) {
    throw new ConversionError('silk_failed', 'The SILK voice note could not be decoded.', { cause });
  }
}

/** A RIFF/WAVE header over 16-bit mono PCM. */
function wav(pcm: Buffer, sampleRate: number): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + pcm.length, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([header, pcm]);
}

/** ffmpeg reads the note from stdin and writes 16 kHz mono WAV (what Whisper resamples to anyway) to stdout. */
function ffmpegToWav(data: Buffer, options: ConvertOptions): Promise<Buffer> {
  const args = ['-hide_banner', '-loglevel', 'error', '-i', 'pipe:0', '-vn', '-ac', '1', '-ar', '16000', '-f', 'wav', 'pipe:1'];
  return new Promise((resolve, reject) => {
    const child = spawn(options.ffmpeg, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-500)));
    child.on('error', (cause: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        cause.code === 'ENOENT'
          ? new ConversionError(
              'ffmpeg_missing',
              `ffmpeg is not installed (${options.ffmpeg} not found): install it (Debian: apt-get install ffmpeg) or set transcription.ffmpeg.`,
              { cause },
            )
          : new ConversionError('ffmpeg_failed', `ffmpeg could not be started (${cause.code ?? cause.message}).`, { cause }),
      );
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve(Buffer.concat(out));
      reject(
        new ConversionError(
          'ffmpeg_failed',
          `ffmpeg could not convert the voice note (${signal ? `stopped: ${signal}` : `exit ${code}`}): ${err.trim().split('\n').pop() ?? ''}`,
        ),
      );
    });
    // A child that died early closes stdin: the error is its exit, not the pipe.
    child.stdin.on('error', () => undefined);
    child.stdin.end(data);
  });
}

/**
 * Whether the ffmpeg binary runs: checked at start and by `parley check`, so a missing one is an
 * operator message, not a surprise on the first AMR voice note.
 *
 * @example
 * ```ts
 * if (!(await ffmpegVersion('ffmpeg'))) log.warn({}, 'ffmpeg is not installed: AMR voice notes go to a person');
 * ```
 */
export function ffmpegVersion(ffmpeg: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = spawn(ffmpeg, ['-hide_banner', '-version'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', () => resolve(undefined));
    child.on('close', (code) => resolve(code === 0 ? (/ffmpeg version (\S+)/.exec(out)?.[1] ?? 'unknown') : undefined));
  });
}
