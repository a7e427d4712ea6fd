import { runLoad } from './load.js';
const tokens = await Promise.all(Array.from({ length: 64 }, async () => ((await (await fetch('http://127.0.0.1:3990/webchat/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()) as { token: string }).token));
const r = await runLoad({ url: 'http://127.0.0.1:3990/webhooks/webchat', connections: 32, durationMs: 8000, build: (i) => ({ body: JSON.stringify({ type: 'message', clientId: `p${i}`, text: 'How long does shipping to Germany take?' }), headers: { authorization: `Bearer ${tokens[i % 64]}` } }) });
console.log(r);
