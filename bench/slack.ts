/**
 * bench:slack — end-to-end turns per second through Parley's Slack adapter (signed Events API
 * `message.im` events in, knowledge-base answer, `chat.postMessage` out to a local Slack Web
 * API), against a bare Bolt app answering the same signed events through the same local API,
 * driven the same way in the same run. The last line prints the ratio.
 *
 *   npm run bench:slack [-- --seconds 5 --chats 32]
 */
import { createHmac } from 'node:crypto';
import { freePort, numberArg, startChild, startParley } from './parley-process.js';
import { closeConnections, postJson, ReplySink, runTurns } from './turns.js';

const seconds = numberArg('seconds', 5);
const chats = numberArg('chats', 32);
const TOKEN = 'xoxb-bench-token';
const SECRET = 'bench-signing-secret';
const BOT_USER = 'UBENCHBOT';

// The baseline: Bolt's own receiver (signature check, ack, dispatch), replying with the text it got.
const boltApp = `
const { App } = require('@slack/bolt');
const app = new App({
  token: process.env.TOKEN,
  signingSecret: process.env.SECRET,
  tokenVerificationEnabled: false,
  clientOptions: { slackApiUrl: process.env.API_URL },
});
app.message(async ({ message, say }) => { await say(message.text); });
app.start(Number(process.env.PORT)).then(() => console.log('listening'));
`;

/** The channel of a `chat.postMessage` call: the Web API client posts form-encoded bodies. */
function channelOf(path: string, body: string): string | undefined {
  if (!path.endsWith('/chat.postMessage')) return undefined;
  const channel = body.startsWith('{') ? (JSON.parse(body) as { channel?: string }).channel : new URLSearchParams(body).get('channel');
  return channel?.replace(/^D/, '') ?? undefined;
}

function answer(path: string): unknown {
  if (path.endsWith('/chat.postMessage')) return { ok: true, channel: 'D1', ts: `${Date.now() / 1000}`, message: { type: 'message', text: '' } };
  return { ok: true };
}

function postEvent(port: number, path: string, chat: string, i: number): Promise<number> {
  const ts = `${Math.floor(Date.now() / 1000)}.${String(i).padStart(6, '0')}`;
  const body = JSON.stringify({
    token: 'unused-verification-token',
    team_id: 'TBENCH',
    api_app_id: 'ABENCH',
    event: { type: 'message', channel: `D${chat}`, user: `U${chat}`, text: 'How long does shipping to Germany take?', ts, event_ts: ts, channel_type: 'im' },
    type: 'event_callback',
    authorizations: [{ team_id: 'TBENCH', user_id: BOT_USER, is_bot: true, is_enterprise_install: false }],
    event_id: `Ev${String(i).padStart(10, '0')}`,
    event_time: Math.floor(Date.now() / 1000),
  });
  // https://docs.slack.dev/authentication/verifying-requests-from-slack
  const stamp = String(Math.floor(Date.now() / 1000));
  const signature = `v0=${createHmac('sha256', SECRET).update(`v0:${stamp}:${body}`).digest('hex')}`;
  return postJson(port, path, body, { 'x-slack-request-timestamp': stamp, 'x-slack-signature': signature });
}

async function main(): Promise<void> {
  const sink = await new ReplySink(channelOf, answer).start();
  const parley = await startParley([
    'channels:',
    '  sl:',
    '    type: slack',
    `    botToken: "${TOKEN}"`,
    `    signingSecret: "${SECRET}"`,
    `    botUserId: ${BOT_USER}`,
    `    slackApiUrl: "${sink.url}/api/"`,
    // Slack's ~1 message/s per channel is pacing; the bench measures Parley, not pacing.
    '    rateLimit: { perChatPerSecond: 1000, perBotPerSecond: 100000 }',
  ]);
  const parleyPort = parley.port;
  const boltPort = await freePort();
  let bolt: Awaited<ReturnType<typeof startChild>> | undefined;
  try {
    bolt = await startChild(['-e', boltApp], { PORT: String(boltPort), TOKEN, SECRET, API_URL: `${sink.url}/api/` }, 'listening');
    const drive = (port: number, path: string) => runTurns({ chats, durationMs: seconds * 1000, sink, send: (chat, i) => postEvent(port, path, chat, i) });
    // Warm both up (JIT, SQLite pages), then measure in alternation.
    await drive(boltPort, '/slack/events');
    await drive(parleyPort, '/webhooks/sl');
    const baseline = await drive(boltPort, '/slack/events');
    const ours = await drive(parleyPort, '/webhooks/sl');
    console.log(`bolt app:     ${baseline.perSecond.toFixed(0)} turns/s (${baseline.failures} failed)`);
    console.log(`parley slack: ${ours.perSecond.toFixed(0)} turns/s (${ours.failures} failed)`);
    console.log(
      `slack: parley ${ours.perSecond.toFixed(0)} turns/s, bolt ${baseline.perSecond.toFixed(0)} turns/s, ratio ${(ours.perSecond / baseline.perSecond).toFixed(3)}`,
    );
  } finally {
    await parley.stop();
    bolt?.kill('SIGTERM');
    closeConnections();
    await sink.stop();
  }
}

await main();
