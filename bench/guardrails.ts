/**
 * Guardrails benchmark: how many ordinary, honest model answers the output checks stop, and
 * how long the checks add to an answer.
 *
 *   node --import tsx bench/guardrails.ts [--set bench/guardrails/honest.json] [--attacks file.json]
 *
 * Blocked-honest rate: each answer of the set (written from the knowledge base, in the 8 demo
 * languages) is what a well-behaved model replies through the real LLM answerer, over the
 * local chat-completions server and the real `openai` client. An answer counts as blocked when
 * the shopper does not get it. When retrieval did not give the model the section the answer
 * cites, an honest model could not have written it: counted apart, not in the rate.
 *
 * Added latency: the checks a streamed answer goes through (one per sentence as it streams,
 * then the whole answer), on the sections retrieval gives for the question, masked as the
 * answerer masks them. Baseline: the same answer with no check (zero); the figure is the time
 * itself. Last line: `guardrails: blocked-honest <rate> added p99 <ms>`.
 *
 * With `--attacks`, each attack's reply (what a model obeying the shopper writes) also goes
 * through the answerer, streamed and whole: an attack counts as delivered when any of its
 * `forbidden` strings reaches the shopper.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createSectionCache } from '../src/bot/llm/grounding.js';
import { buildCorpus, checkReply, fingerprint, splitSentences } from '../src/bot/llm/guardrails.js';
import { buildAnswerer, loadKb, request, shown } from '../test/support/llm-fixtures.js';
import { ModelServer, sectionTitles, shopperText } from '../test/support/model-server.js';
import { retrieve } from '../src/bot/kb-answerer.js';
import { type PiiKind, PiiVault } from '../src/bot/pii/index.js';

interface Honest {
  lang: string;
  cites: string;
  question: string;
  reply: string;
}

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] as string) : def;
};
const set: Honest[] = JSON.parse(readFileSync(arg('set', 'bench/guardrails/honest.json'), 'utf8'));

const byQuestion = new Map(set.map((h) => [`${h.lang}\u0000${h.question}`, h]));
let current: Honest | undefined;
const server = new ModelServer(
  (req) => {
    const honest = current ?? byQuestion.get(`en\u0000${shopperText(req)}`);
    if (!honest || !sectionTitles(req).includes(honest.cites)) return { content: 'UNKNOWN' };
    return { content: `${honest.reply}\nSOURCES: ${honest.cites}`, chunkSize: 9 };
  },
  { record: false },
);
await server.start();

const kb = await loadKb();
const llm = await buildAnswerer({ baseURL: server.url, orders: false });

// 1. Blocked-honest rate, end to end (half streamed, as the web chat does).
let delivered = 0;
let notGiven = 0;
const blocked: Honest[] = [];
for (const [i, honest] of set.entries()) {
  current = honest;
  const req = request(`gb-${i}`, honest.question, { language: honest.lang });
  const before = llm.metrics();
  const answer = i % 2 === 0 ? await llm.answerStream(req, () => {}) : await llm.answer(req);
  const after = llm.metrics();
  const text = shown(answer);
  if (after.unknown > before.unknown && after.guardrail.blocked === before.guardrail.blocked && !text.includes(honest.reply.slice(0, 20))) {
    notGiven++;
    continue;
  }
  if (text.includes(honest.reply.trim().slice(0, 40)) && after.guardrail.blocked === before.guardrail.blocked) delivered++;
  else blocked.push(honest);
}

// Attacks (optional): the obedient model's reply must not reach the shopper.
interface Attack {
  lang: string;
  category: string;
  text: string;
  reply: string;
  cites: string | null;
  forbidden: string[];
}
const attackFile = process.argv.includes('--attacks') ? arg('attacks', '') : '';
const reached: Attack[] = [];
let attackCount = 0;
if (attackFile) {
  const attacks: Attack[] = JSON.parse(readFileSync(attackFile, 'utf8'));
  let attack: Attack | undefined;
  server.script = (req) => {
    if (!attack) return { content: 'UNKNOWN' };
    const titles = sectionTitles(req);
    const cite = attack.cites && titles.includes(attack.cites) ? attack.cites : attack.cites ? titles[0] : undefined;
    return { content: `${attack.reply}\nSOURCES: ${cite ?? 'none'}`, chunkSize: 7 };
  };
  for (const [i, a] of attacks.entries()) {
    attack = a;
    for (const stream of [true, false]) {
      const deltas: string[] = [];
      const req = request(`ga-${i}-${stream}`, a.text, { language: a.lang });
      const answer = stream ? await llm.answerStream(req, (d) => deltas.push(d.text)) : await llm.answer(req);
      const received = `${deltas.join('')}\n${shown(answer)}`.toLowerCase();
      attackCount++;
      if (a.forbidden.some((f) => received.includes(f.toLowerCase()))) reached.push(a);
    }
  }
}
server.close();

// 2. Added latency of the checks, per answer.
const prepare = createSectionCache('NL');
const prompt = fingerprint('You are the customer-service assistant of Pawsome Supplies. Answer ONLY from the sections.', 'PRL-0123456789');
const times: number[] = [];
const measure = (honest: Honest) => {
  const vault = new PiiVault({ defaultCountry: 'NL' });
  const retrieved = retrieve(kb, { text: honest.question, language: honest.lang }, 4).map((r) => r.section);
  // The model cites a section it was given: as in the end-to-end run, only those answers count.
  if (!retrieved.some((s) => s.title === honest.cites)) return undefined;
  const sources = retrieved.map((section) => {
    const s = prepare(section);
    return { title: s.title, text: vault.maskSpans(s.body, s.spans), language: section.language };
  });
  const start = performance.now();
  const ctx = {
    corpus: buildCorpus(sources.map((s) => ({ text: `${s.title}\n${s.text}`, language: s.language }))),
    sources,
    language: honest.lang,
    shopDomains: ['pawsome-supplies.example'],
    prompt,
    knownPlaceholder: (p: string) => vault.has(p),
    knownPii: (kind: PiiKind, value: string) => vault.knows(kind, value),
  };
  let soFar = '';
  for (const sentence of splitSentences(honest.reply)) {
    soFar += sentence;
    checkReply(soFar, ctx);
  }
  const violations = checkReply(honest.reply, ctx);
  const ms = performance.now() - start;
  if (process.argv.includes('--verbose') && violations.length) console.log(`  [${honest.lang}] ${JSON.stringify(violations)} ${honest.reply.slice(0, 90)}`);
  return ms;
};
for (const honest of set.slice(0, 20))
  checkReply(honest.reply, { corpus: buildCorpus([]), sources: [], language: honest.lang, shopDomains: [], prompt, knownPlaceholder: () => false });
for (const honest of set) {
  const ms = measure(honest);
  if (ms !== undefined) times.push(ms);
}
times.sort((a, b) => a - b);
const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] as number;

const judged = delivered + blocked.length;
const rate = blocked.length / Math.max(1, judged);
const perLanguage = [...new Set(set.map((h) => h.lang))].map(
  (lang) => `${lang} ${blocked.filter((b) => b.lang === lang).length}/${set.filter((h) => h.lang === lang).length}`,
);
console.log(`honest answers ${set.length} (${new Set(set.map((h) => h.lang)).size} languages); judged ${judged}; section not retrieved ${notGiven}`);
console.log(`blocked by language: ${perLanguage.join(', ')}`);
if (process.argv.includes('--verbose')) for (const b of blocked) console.log(`  blocked [${b.lang}] ${b.reply}`);
if (attackFile) {
  console.log(`attacks delivered to the shopper: ${reached.length} of ${attackCount} (each attack streamed and whole)`);
  if (process.argv.includes('--verbose')) for (const a of reached) console.log(`  delivered [${a.lang} ${a.category}] ${a.reply}`);
}
console.log(`check time per answer: p50 ${pct(50).toFixed(2)} ms, p99 ${pct(99).toFixed(2)} ms, max ${(times.at(-1) ?? 0).toFixed(2)} ms`);
console.log(`guardrails: blocked-honest ${(rate * 100).toFixed(2)}% added p99 ${pct(99).toFixed(2)} ms`);
