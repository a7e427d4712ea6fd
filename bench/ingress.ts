/**
 * bench:ingress — messages per second accepted by the web chat HTTP send endpoint (verified,
 * deduplicated and committed to SQLite before the 200), against a bare node:http server that
 * parses the same JSON and answers 200. Both run as child processes driven by the same load
 * generator in this run; the last line prints the ratio.
 *
 *   npm run bench:ingress [-- --seconds 5 --connections 32]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLoad } from './load.js';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const seconds = arg('seconds', 5);
const connections = arg('connections', 32);
const root = new URL('..', import.meta.url).pathname;
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

function start(cmd: string[], env: Record<string, string>, ready: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, cmd, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d;
      if (out.includes(ready)) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
}

async function sessions(base: string, n: number): Promise<string[]> {
  return Promise.all(
    Array.from({ length: n }, async () => {
      const res = await fetch(`${base}/webchat/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      return ((await res.json()) as { token: string }).token;
    }),
  );
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
  const config = join(dir, 'gateway.yaml');
  writeFileSync(
    config,
    `server: { port: 0, host: 127.0.0.1 }\nstorage: { sqlite: { path: "${join(dir, 'parley.db')}" }, dataDir: "${dir}" }\nlog: { level: silent }\nqueue: { concurrency: ${process.env.BENCH_QUEUE_CONCURRENCY ?? 16} }\nchannels: { webchat: { type: webchat } }\n`,
  );
  const parleyPort = 30_000 + Math.floor(Math.random() * 10_000);
  const barePort = parleyPort + 1;
  const parley = await start(['bin/parley.js', 'start', '--config', config], { PORT: String(parleyPort) }, 'Parley is running');
  const bare = await start(['-e', bareServer], { PORT: String(barePort) }, 'listening');
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
    console.log(`ingress: parley ${ours.perSecond.toFixed(0)} msg/s, bare ${baseline.perSecond.toFixed(0)} msg/s, ratio ${(ours.perSecond / baseline.perSecond).toFixed(3)}`);
  } finally {
    parley.kill('SIGTERM');
    bare.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
