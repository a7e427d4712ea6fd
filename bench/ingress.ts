/**
 * bench:ingress — messages per second accepted by the web chat HTTP send endpoint (verified,
 * deduplicated and committed to SQLite before the 200), against a bare node:http server that
 * parses the same JSON and answers 200. Both run as child processes driven by the same load
 * generator in this run; the last line prints the ratio.
 *
 *   npm run bench:ingress [-- --seconds 5 --connections 32]
 */
import { runLoad } from './load.js';
import { numberArg, startChild, startParley } from './parley-process.js';

const seconds = numberArg('seconds', 5);
const connections = numberArg('connections', 32);
const question = 'How long does shipping to Germany take?';

const bareServer = `
const http = require('node:http');
http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    try { JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch { res.writeHead(400); return res.end(); }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
}).listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
`;

async function sessions(base: string, n: number): Promise<string[]> {
  return Promise.all(
    Array.from({ length: n }, async () => {
      const res = await fetch(`${base}/webchat/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      return ((await res.json()) as { token: string }).token;
    }),
  );
}

async function main(): Promise<void> {
  const parley = await startParley([
    `queue: { concurrency: ${process.env.BENCH_QUEUE_CONCURRENCY ?? 16} }`,
    'channels: { webchat: { type: webchat } }',
    // 64 chats from one address writing thousands of messages a second: the load, not an abuser.
    'rateLimits: { webchatSession: { max: 0 }, webchatMessage: { max: 0 } }',
  ]);
  const parleyPort = parley.port;
  const barePort = parleyPort + 1;
  const bare = await startChild(['-e', bareServer], { PORT: String(barePort) }, 'listening');
  try {
    const tokens = await sessions(`http://127.0.0.1:${parleyPort}`, 64);
    const body = (i: number) => JSON.stringify({ type: 'message', clientId: `b${i}`, text: question });
    const drive = (url: string, auth: boolean) =>
      runLoad({
        url,
        connections,
        durationMs: seconds * 1000,
        build: (i) => ({ body: body(i), ...(auth ? { headers: { authorization: `Bearer ${tokens[i % tokens.length]}` } } : {}) }),
      });
    // Warm both up (JIT, SQLite pages), then measure in alternation.
    await drive(`http://127.0.0.1:${barePort}/`, false);
    await drive(`http://127.0.0.1:${parleyPort}/webhooks/webchat`, true);
    const baseline = await drive(`http://127.0.0.1:${barePort}/`, false);
    const ours = await drive(`http://127.0.0.1:${parleyPort}/webhooks/webchat`, true);
    const fmt = (r: typeof ours) => `${r.perSecond.toFixed(0)} msg/s, p50 ${r.p50Ms.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms, errors ${r.errors}`;
    console.log(`bare node:http: ${fmt(baseline)}`);
    console.log(`parley webchat: ${fmt(ours)}`);
    console.log(
      `ingress: parley ${ours.perSecond.toFixed(0)} msg/s, bare ${baseline.perSecond.toFixed(0)} msg/s, ratio ${(ours.perSecond / baseline.perSecond).toFixed(3)}`,
    );
  } finally {
    await parley.stop();
    bare.kill('SIGTERM');
  }
}

await main();
