/**
 * `npm run chaos -- --seconds 120`: the chaos run of test/e2e/chaos.test.ts, longer and with
 * more chats. Prints progress, every problem found, the summary table and the `chaos:` line;
 * exits 1 when anything was lost, out of order, late, or duplicated without a kill.
 *
 *   node --import tsx test/chaos/run.ts [--seconds 120] [--chats 4] [--shoppers 4]
 *
 * Needs Postgres (PARLEY_TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/test).
 * `CHAOS_LOG=<level>` shows the gateways' logs (prefixed gw1..gw3); `CHAOS_DEBUG=1` prints every
 * platform send that carries no numbered answer (an apology, a handoff notice).
 */
import { numberArg } from '../../bench/parley-process.js';
import { runChaos } from './chaos.js';

const started = Date.now();
const result = await runChaos({
  seconds: numberArg('seconds', 120),
  chats: numberArg('chats', 4),
  shoppers: numberArg('shoppers', 4),
  drainMs: 90_000,
  log: (line) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${line}`),
});
for (const p of result.problems) console.log(`  ${p}`);
console.log(result.summary);
const t = Object.values(result.tallies);
const bad = t.some((x) => x.lost || x.outOfOrder || x.late || x.duplicatesWithoutKill);
process.exit(bad ? 1 : 0);
