/**
 * Media path benchmark: what Parley adds to a voice note's transcription. Parley's path is the
 * real one — media intake downloads the note through the Telegram adapter (getFile, then the
 * file endpoint of a local Bot API), checks it and writes it to the local media store, then the
 * media stage reads it back and sends it to a local server speaking OpenAI's transcription
 * protocol. The baseline is a bare `openai` transcription call of the same file, to the same
 * server, in the same run. The transcription server answers after a fixed 200 ms (a fast
 * Whisper) and runs in its own process.
 *
 *   node --import tsx bench/media.ts [--turns 200] [--concurrency 8]
 *
 * Each voice note is distinct (espeak-ng speech, OGG/Opus by ffmpeg, a numbered comment), so
 * every store write is a real write. Last line: `media: parley p50 <ms> direct p50 <ms> ratio <r>`.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createTelegramAdapter } from '../adapters/telegram/adapter.js';
import { telegramChannel } from '../adapters/telegram/channel.js';
import type { MessageEvent } from '../src/core/message.js';
import { silentLogger } from '../src/core/ports.js';
import { mediaSchema } from '../src/media/config.js';
import { createMediaIntake } from '../src/media/intake.js';
import { LocalMediaStore } from '../src/media/local.js';
import { createDirectTranscription, createOpenAiTranscriber } from '../src/media/understand/transcriber.js';
import { createUnderstanding } from '../src/media/understand/understand.js';
import { ffmpeg, speak } from '../test/support/audio.js';
import { ModelServer } from '../test/support/model-server.js';
import { PlatformServer } from '../test/support/platform-server.js';
import { testContext } from '../test/support/telegram.js';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const TURNS = arg('turns', 200);
const CONCURRENCY = arg('concurrency', 8);
const WHISPER_MS = 200;
const TOKEN = '123456:BENCH-token';

/** The transcription server in its own process, so its work does not queue behind what is measured. */
async function serveWhisper(): Promise<void> {
  const server = new ModelServer(() => ({ content: '' }), { record: false });
  server.transcribe = (req) => ({ delayMs: WHISPER_MS, text: req.file?.data.length ? 'How long does shipping to Germany take?' : '' });
  await server.start();
  process.send?.(server.url);
  process.on('disconnect', () => void server.close().then(() => process.exit(0)));
}

if (process.argv.includes('--serve')) await serveWhisper();
else await main();

/** `n` distinct OGG/Opus voice notes of the same few seconds of speech. */
function voiceNotes(n: number): Buffer[] {
  const wav = speak('Hello, my bowl arrived cracked. How long does shipping to Germany take?');
  return Array.from({ length: n }, (_, i) =>
    ffmpeg(wav, ['-ac', '1', '-ar', '48000', '-c:a', 'libopus', '-b:a', '24k', '-metadata', `comment=note ${i}`, '-f', 'ogg']),
  );
}

async function main(): Promise<void> {
  const child = fork(process.argv[1] as string, ['--serve'], { execArgv: process.execArgv });
  const whisper = await new Promise<string>((resolve) => child.once('message', (m) => resolve(String(m))));
  const notes = voiceNotes(TURNS + CONCURRENCY * 2);
  const bot = await new PlatformServer(
    (req) => {
      const get = /^\/bot[^/]+\/getFile$/.test(req.path) ? String((req.json as { file_id?: string }).file_id) : undefined;
      if (get) return { json: { ok: true, result: { file_id: get, file_unique_id: get, file_path: `voice/${get}.oga` } } };
      const file = /^\/file\/bot[^/]+\/voice\/n(\d+)\.oga$/.exec(req.path);
      if (file) return { bytes: notes[Number(file[1])] as Buffer, headers: { 'content-type': 'application/octet-stream' } };
      return { status: 404, json: { ok: false } };
    },
    { record: false, keepAliveMs: 30_000 },
  ).start();
  const parsed = telegramChannel.parseConfig({ token: TOKEN, secretToken: 'bench', apiRoot: bot.url });
  if (!parsed.ok) throw new Error('telegram config');
  const telegram = createTelegramAdapter(parsed.value, testContext({ channelId: 'tg' }));
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-media-'));
  const store = new LocalMediaStore(dir);
  const intake = createMediaIntake({ store, settings: mediaSchema.parse({}), channel: () => telegram, fetch, log: silentLogger });
  const understand = createUnderstanding({
    media: store,
    transcriber: createOpenAiTranscriber({ baseURL: whisper, model: 'whisper-1', timeoutMs: 10_000 }),
    convert: { format: 'auto', ffmpeg: 'ffmpeg', timeoutMs: 10_000 },
    maxDurationSec: 300,
    log: silentLogger,
  });
  const direct = createDirectTranscription({ baseURL: whisper, model: 'whisper-1', timeoutMs: 10_000 });

  const event = (i: number): MessageEvent => ({
    type: 'message',
    channelId: 'tg',
    eventId: `e${i}`,
    timestamp: 0,
    ref: { channelId: 'tg', chatId: '1', userId: '1' },
    parts: [{ kind: 'audio', url: `platform:n${i}`, mimeType: 'audio/ogg', durationSec: 4 }],
  });
  const stages = { intake: [] as number[], understand: [] as number[] };
  const parleyTurn = async (i: number) => {
    const t0 = performance.now();
    const stored = await intake(event(i), 1);
    const t1 = performance.now();
    const heard = await understand(stored);
    stages.intake.push(t1 - t0);
    stages.understand.push(performance.now() - t1);
    if (!heard.media[0]?.transcribed) throw new Error(`voice note ${i} was not transcribed: ${heard.media[0]?.problem}`);
  };
  const directTurn = async (i: number) => {
    if (!(await direct(notes[i] as Buffer, 'voice.ogg'))) throw new Error('empty transcript');
  };

  /** `n` of each, started together, interleaved so both see the same load. */
  async function batch(n: number, offset: number, into: { parley: number[]; direct: number[] }): Promise<void> {
    await Promise.all(
      Array.from({ length: 2 * n }, async (_, k) => {
        const isParley = k % 2 === 0;
        const i = offset + Math.floor(k / 2);
        const t0 = performance.now();
        await (isParley ? parleyTurn(i) : directTurn(i));
        (isParley ? into.parley : into.direct).push(performance.now() - t0);
      }),
    );
  }
  const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)] as number;

  await batch(CONCURRENCY, TURNS, { parley: [], direct: [] }); // warm-up: JIT, connection pools
  const samples = { parley: [] as number[], direct: [] as number[] };
  const started = performance.now();
  for (let done = 0; done < TURNS; done += CONCURRENCY) await batch(Math.min(CONCURRENCY, TURNS - done), done, samples);
  const seconds = (performance.now() - started) / 1000;

  const fmt = (x: number) => x.toFixed(1);
  const [p50, d50] = [pct(samples.parley, 50), pct(samples.direct, 50)];
  console.log(
    `voice notes ${samples.parley.length} + ${samples.direct.length} direct, ${(notes[0] as Buffer).length} bytes each, concurrency ${CONCURRENCY}, transcriber ${WHISPER_MS} ms, ${seconds.toFixed(1)} s`,
  );
  console.log(`direct  p50 ${fmt(d50)} p90 ${fmt(pct(samples.direct, 90))} p99 ${fmt(pct(samples.direct, 99))} ms`);
  console.log(
    `parley  p50 ${fmt(p50)} p90 ${fmt(pct(samples.parley, 90))} p99 ${fmt(pct(samples.parley, 99))} ms (download + check + store + read back + transcribe)`,
  );
  console.log(
    `added   p50 ${fmt(p50 - d50)} ms; stages p50: intake (download, check, store) ${fmt(pct(stages.intake, 50))} ms, media stage (read back, transcribe) ${fmt(pct(stages.understand, 50))} ms`,
  );
  await bot.stop();
  child.disconnect();
  rmSync(dir, { recursive: true, force: true });
  console.log(`media: parley p50 ${fmt(p50)} direct p50 ${fmt(d50)} ratio ${(p50 / d50).toFixed(3)}`);
}
