import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Gateway, projectRoot } from '../../src/server/gateway.js';
import { ConsoleClient } from '../support/console-client.js';
import { makeSite, startTestGateway, type TestSite, testYaml } from '../support/gateway.js';
import { strings } from '../support/locales.js';
import { PlatformServer } from '../support/platform-server.js';
import { history, openSession, sendHttp, until, type WireMessage } from '../support/webchat-client.js';

const ADMIN = { email: 'lead@shop.test', password: 'lead-password-123' };
const text = (m: WireMessage | undefined) => m?.parts.flatMap((p) => (p.kind === 'text' ? [p.text ?? ''] : [])).join('\n') ?? '';

/** Every fixed string of every locale, cut at its `{{placeholders}}` into pieces worth finding. */
function fixedPieces(): string[] {
  const pieces = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value === 'string') {
      for (const piece of value.split(/\{\{[^}]+\}\}/)) {
        const trimmed = piece.trim();
        // Short pieces ("OK", "1 ★") occur in ordinary text; CJK carries more per character.
        if ([...trimmed].length >= (/[\u3040-\u9fff\uac00-\ud7af]/u.test(trimmed) ? 6 : 14)) pieces.add(trimmed);
      }
    } else if (value && typeof value === 'object') for (const v of Object.values(value)) walk(v);
  };
  for (const lng of readdirSync(join(projectRoot, 'locales'))) {
    for (const file of readdirSync(join(projectRoot, 'locales', lng))) walk(JSON.parse(readFileSync(join(projectRoot, 'locales', lng, file), 'utf8')));
  }
  return [...pieces];
}

/**
 * The rule of fixed strings: what Parley itself writes (rephrase, buttons, "Source:", notices,
 * acknowledgements, handoff texts) is rendered from the shopper's locale and never reaches a
 * translation provider; only the shop's content does. A recording LibreTranslate sees every
 * text sent for translation.
 */
describe('fixed strings never reach a translator', () => {
  let site: TestSite;
  let gateway: Gateway;
  let libre: PlatformServer;
  const seen: string[] = [];

  beforeAll(async () => {
    // Shoppers' questions come out as English; anything else is marked with its target language.
    const questions: Record<string, string> = {
      '¿Cuánto tarda el envío a Alemania?': 'How long does shipping to Germany take?',
      '寄到德国要多久？': 'How long does shipping to Germany take?',
      'كم يستغرق الشحن إلى ألمانيا؟': 'How long does shipping to Germany take?',
    };
    libre = await new PlatformServer((req) => {
      const body = req.json as { q: string; target: string };
      seen.push(body.q);
      return { json: { translatedText: questions[body.q] ?? `[${body.target}] ${body.q}` } };
    }).start();
    site = makeSite();
    const yaml = testYaml(
      site.dbPath,
      `translation: { providers: [ { type: libretranslate, baseUrl: "${libre.url}" } ] }
console: { admin: { email: "${ADMIN.email}", password: "${ADMIN.password}", name: Lead } }
handoff: { assignment: pick, noAgentTimeoutMs: 0 }`,
    )
      .replace(/^shop:.*$/m, 'shop: { name: Test Shop, languages: [en, es, zh-CN, ar], defaultLanguage: en, workingLanguage: en }')
      .replace(/^knowledge:.*$/m, `knowledge: { dir: "${join(projectRoot, 'test/fixtures/kb-partial')}" }`);
    writeFileSync(site.configFile, yaml);
    gateway = await startTestGateway(site);
  });
  afterAll(async () => {
    await gateway?.close();
    await libre?.stop();
    site?.cleanup();
  });

  it("translates the shop's content only, across answers, handoff, acknowledgements and agent replies", async () => {
    const es = await openSession(gateway.url);
    const say = async (token: string, body: Record<string, unknown>, count: number) => {
      await sendHttp(gateway.url, token, { clientId: `c${Math.random()}`, type: 'message', ...body });
      return until(
        () => history(gateway.url, token),
        (m) => m.length >= count,
      );
    };
    // An article only in English: its body and title are translated, "Fuente:" is Spanish already.
    let messages = await say(es.token, { text: '¿Cuánto tarda el envío a Alemania?', locale: 'es-ES' }, 2);
    expect(text(messages[1])).toContain('[es] Orders to Germany are shipped with DHL');
    expect(text(messages[1])).toMatch(/_Fuente: \[es\] Shipping to Germany_/);
    // An article with a Spanish variant is not translated at all.
    messages = await say(es.token, { text: '¿Cómo devuelvo algo?' }, 4);
    expect(text(messages[3])).toContain('Puedes devolver la mayoría de los productos');
    // Rephrase, its button, the queue notice, the waiting acknowledgement, cancelling.
    messages = await say(es.token, { text: 'blorp zyx qwv' }, 6);
    expect(text(messages[5])).toBe(strings('es').rephrase);
    messages = await say(es.token, { type: 'postback', payload: 'handoff.request', label: strings('es').talk_to_person }, 8);
    expect(text(messages[7])).toContain(strings('es').handoff_queued);
    messages = await say(es.token, { text: 'hola?' }, 10);
    expect(text(messages[9])).toBe(strings('es', 'handoff').waiting_ack);
    // An agent joins and replies in English, which is translated; the join notice is not.
    const admin = await ConsoleClient.login(gateway.url, ADMIN.email, ADMIN.password);
    const conversationId = (await gateway.store.listConversations({ limit: 10 })).find((c) => c.state === 'awaiting_agent')?.id as string;
    expect((await admin.call('POST', `/conversations/${conversationId}/take`, {})).status).toBe(200);
    expect((await admin.call('POST', `/conversations/${conversationId}/messages`, { text: 'We are checking your parcel now.' })).status).toBe(200);
    expect((await admin.call('POST', `/conversations/${conversationId}/resolve`, {})).status).toBe(200);
    messages = await until(
      () => history(gateway.url, es.token),
      (m) => m.some((x) => x.role === 'agent') && m.some((x) => text(x).includes(strings('es', 'handoff').resolved)),
    );
    expect(text(messages.find((m) => m.role === 'agent'))).toBe('[es] We are checking your parcel now.');

    // A Chinese shopper asks for Chinese, then for the English-only article; an Arabic shopper too.
    const zh = await openSession(gateway.url);
    messages = await say(zh.token, { text: '请说中文' }, 2);
    expect(text(messages[1])).toContain('简体中文');
    messages = await say(zh.token, { text: '寄到德国要多久？' }, 4);
    expect(text(messages[3])).toContain('[zh] Orders to Germany');
    const ar = await openSession(gateway.url);
    await say(ar.token, { text: 'كم يستغرق الشحن إلى ألمانيا؟' }, 2);
    await gateway.idle();

    // Content did reach the translator (so this test can fail), and no fixed string ever did.
    expect(seen.some((q) => q.includes('Orders to Germany are shipped with DHL'))).toBe(true);
    expect(seen.some((q) => q.includes('We are checking your parcel now.'))).toBe(true);
    const pieces = fixedPieces();
    expect(pieces.length).toBeGreaterThan(300);
    const leaked = seen.flatMap((q) => pieces.filter((p) => q.includes(p)).map((p) => `${p} (in "${q.slice(0, 60)}")`));
    expect(leaked).toEqual([]);
  });
});
