/**
 * bench:telegram — end-to-end turns per second through Parley's Telegram adapter (webhook in,
 * knowledge-base answer, sendMessage out to a local Bot API server), against a bare telegraf
 * webhook echo bot talking to the same local server, driven the same way in the same run.
 * The last line prints the ratio.
 *
 *   npm run bench:telegram [-- --seconds 5 --chats 32]
 */
import { freePort, numberArg, startChild, startParley } from './parley-process.js';
import { closeConnections, postJson, ReplySink, runTurns } from './turns.js';

const seconds = numberArg('seconds', 5);
const chats = numberArg('chats', 32);
const TOKEN = '123456:BENCH-token';
const SECRET = 'bench-secret';

// The baseline: telegraf's own webhook handling, replying with the text it got.
const echoBot = `
const { Telegraf } = require('telegraf');
const http = require('node:http');
const bot = new Telegraf(process.env.TOKEN, { telegram: { apiRoot: process.env.API_ROOT }, handlerTimeout: 10000 });
bot.botInfo = { id: 1, is_bot: true, first_name: 'Bench', username: 'bench_bot' };
bot.on('text', (ctx) => ctx.reply(ctx.message.text));
const handle = bot.webhookCallback('/webhook', { secretToken: process.env.SECRET });
http.createServer(handle).listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
`;

function postUpdate(port: number, path: string, chat: string, i: number): Promise<number> {
  const body = JSON.stringify({
    update_id: 1_000_000 + i,
    message: {
      message_id: i + 1,
      date: Math.floor(Date.now() / 1000),
      chat: { id: Number(chat), type: 'private' },
      from: { id: Number(chat), is_bot: false, first_name: 'Ana', language_code: 'en' },
      text: 'How long does shipping to Germany take?',
    },
  });
  return postJson(port, path, body, { 'x-telegram-bot-api-secret-token': SECRET });
}

async function main(): Promise<void> {
  const sink = await new ReplySink(
    (path, body) => (path.endsWith('/sendMessage') ? String(JSON.parse(body).chat_id) : undefined),
    (path) => (path.endsWith('/sendMessage') ? { ok: true, result: { message_id: 1, date: 1, chat: { id: 1, type: 'private' } } } : { ok: true, result: true }),
  ).start();
  const parley = await startParley([
    'channels:',
    '  tg:',
    '    type: telegram',
    `    token: "${TOKEN}"`,
    `    secretToken: ${SECRET}`,
    `    apiRoot: "${sink.url}"`,
    // Telegram's 30 messages/s per bot is a broadcast limit; the bench measures Parley, not pacing.
    '    rateLimit: { perChatPerSecond: 1000, perBotPerSecond: 100000 }',
  ]);
  const parleyPort = parley.port;
  const echoPort = await freePort();
  let echo: Awaited<ReturnType<typeof startChild>> | undefined;
  try {
    echo = await startChild(['-e', echoBot], { PORT: String(echoPort), TOKEN, SECRET, API_ROOT: sink.url }, 'listening');
    const drive = (port: number, path: string) => runTurns({ chats, durationMs: seconds * 1000, sink, send: (chat, i) => postUpdate(port, path, chat, i) });
    await drive(echoPort, '/webhook');
    await drive(parleyPort, '/webhooks/tg');
    const baseline = await drive(echoPort, '/webhook');
    const ours = await drive(parleyPort, '/webhooks/tg');
    console.log(`telegraf echo bot: ${baseline.perSecond.toFixed(0)} turns/s (${baseline.failures} failed)`);
    console.log(`parley telegram:   ${ours.perSecond.toFixed(0)} turns/s (${ours.failures} failed)`);
    console.log(
      `telegram: parley ${ours.perSecond.toFixed(0)} turns/s, telegraf echo ${baseline.perSecond.toFixed(0)} turns/s, ratio ${(ours.perSecond / baseline.perSecond).toFixed(3)}`,
    );
  } finally {
    await parley.stop();
    echo?.kill('SIGTERM');
    closeConnections();
    await sink.stop();
  }
}

await main();
