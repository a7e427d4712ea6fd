/**
 * bench:long-input — what one very long message costs: a Telegram message that is one long
 * "word" (a pasted key, a base64 blob) goes through the real gateway (webhook in, knowledge-base
 * answer, sendMessage out to a local Bot API), and the time to the answer and the process's peak
 * RSS while it is worked on are printed against an ordinary question in the same run.
 *
 *   npm run bench:long-input [-- --sizes 4096,40000,900000]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfigText } from '../src/config/load.js';
import { silentLogger } from '../src/core/ports.js';
import { channelDefinitions } from '../src/server/channels.js';
import { projectRoot, startGateway } from '../src/server/gateway.js';
import { closeConnections, postJson, ReplySink } from './turns.js';

const TOKEN = '123456:BENCH-token';
const SECRET = 'bench-secret';
const sizesArg = process.argv.find((a, i) => process.argv[i - 1] === '--sizes');
const sizes = (sizesArg ?? '4096,40000,900000').split(',').map(Number);

let update = 0;
function postText(port: number, chat: number, text: string): Promise<number> {
  update += 1;
  const body = JSON.stringify({
    update_id: update,
    message: {
      message_id: update,
      date: 1_767_225_600,
      chat: { id: chat, type: 'private' },
      from: { id: chat, is_bot: false, first_name: 'Ana', language_code: 'en' },
      text,
    },
  });
  return postJson(port, '/webhooks/tg', body, { 'x-telegram-bot-api-secret-token': SECRET });
}

/** Sends `text` in its own chat and waits for the answer; the time it took and the peak RSS meanwhile. */
async function turn(port: number, sink: ReplySink, chat: number, text: string): Promise<{ ms: number; peakMb: number; answered: boolean }> {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const started = performance.now();
  const reply = sink.replyTo(String(chat), 120_000);
  const status = await postText(port, chat, text);
  const answered = status === 200 && (await reply);
  const ms = performance.now() - started;
  clearInterval(sampler);
  return { ms, peakMb: peak / 1e6, answered };
}

async function main(): Promise<void> {
  const sink = await new ReplySink(
    (path, body) => (path.endsWith('/sendMessage') ? String(JSON.parse(body).chat_id) : undefined),
    (path) => (path.endsWith('/sendMessage') ? { ok: true, result: { message_id: 1, date: 1, chat: { id: 1, type: 'private' } } } : { ok: true, result: true }),
  ).start();
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-long-'));
  const yaml = `
server: { port: 0, host: 127.0.0.1, publicUrl: "http://127.0.0.1" }
storage: { driver: sqlite, sqlite: { path: "${join(dir, 'parley.db')}" }, dataDir: "${dir}" }
shop: { name: Bench Shop, languages: [en, es, de], defaultLanguage: en, workingLanguage: en }
knowledge: { dir: "${join(projectRoot, 'config/knowledge')}" }
log: { level: silent }
channels:
  tg: { type: telegram, token: "${TOKEN}", secretToken: ${SECRET}, apiRoot: "${sink.url}" }
`;
  writeFileSync(join(dir, 'gateway.yaml'), yaml);
  const gateway = await startGateway(parseConfigText(yaml, join(dir, 'gateway.yaml'), process.env, channelDefinitions), { log: silentLogger });
  const port = Number(new URL(gateway.url).port);
  try {
    const question = 'How long does shipping to Germany take?';
    for (let i = 0; i < 5; i++) await turn(port, sink, 100 + i, question); // warm-up
    global.gc?.();
    const baseline = await turn(port, sink, 200, question);
    console.log(`ordinary question: ${baseline.ms.toFixed(0)} ms, peak RSS ${baseline.peakMb.toFixed(0)} MB`);
    let worst = 1;
    for (const [i, size] of sizes.entries()) {
      global.gc?.();
      const r = await turn(port, sink, 300 + i, 'a'.repeat(size));
      worst = Math.max(worst, r.ms / baseline.ms);
      console.log(
        `one word of ${size.toLocaleString('en')} characters: ${r.answered ? 'answered' : 'NOT answered'} in ${r.ms.toFixed(0)} ms, peak RSS ${r.peakMb.toFixed(0)} MB (+${(r.peakMb - baseline.peakMb).toFixed(0)} MB)`,
      );
    }
    // The most a message can make the bot read: maxTextLength characters of maxWordLength-long words.
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    const words = Array.from({ length: 16 }, (_, w) => Array.from({ length: 255 }, (_, i) => letters[(i * 7 + w * 3) % 26]).join('')).join(' ');
    global.gc?.();
    const many = await turn(port, sink, 400, words);
    worst = Math.max(worst, many.ms / baseline.ms);
    console.log(`16 words of 255 letters: ${many.answered ? 'answered' : 'NOT answered'} in ${many.ms.toFixed(0)} ms, peak RSS ${many.peakMb.toFixed(0)} MB`);
    console.log(`long-input: longest word turn / ordinary turn, ratio ${worst.toFixed(3)}`);
  } finally {
    await gateway.close();
    closeConnections();
    await sink.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
