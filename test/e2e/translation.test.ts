import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Gateway, projectRoot } from '../../src/server/gateway.js';
import { makeSite, startTestGateway, type TestSite, testYaml } from '../support/gateway.js';
import { PlatformServer } from '../support/platform-server.js';
import { history, openSession, sendHttp, until, type WireMessage } from '../support/webchat-client.js';

const text = (m: WireMessage | undefined) => m?.parts.map((p) => p.text ?? '').join(' ') ?? '';
const bot = (lng: string) => JSON.parse(readFileSync(join(projectRoot, 'locales', lng, 'bot.json'), 'utf8')) as Record<string, string>;

// The knowledge base's answers as the translator sees them: protected spans already masked.
const SHIPPING_ZH = '我们在付款后一个工作日内发货，寄往欧洲的包裹通常需要三到五个工作日送达。发货后，您可以凭订单号（例如 ⟦1⟧）在⟦2⟧查询包裹的位置。';
const RETURNS_ZH = '收到商品后三十天内可以退货。请在 ⟦1⟧ 填写退货单，并注明您的订单号。';

/** Whole sentences the local LibreTranslate knows, per direction (LibreTranslate codes). */
const DICTIONARY: Record<string, Record<string, string>> = {
  'es>zh': {
    '¿Cuánto tarda el envío de mi pedido ⟦1⟧?': '我的订单⟦1⟧配送需要多久？',
    '¿Cómo devuelvo un producto?': '怎么退货？',
  },
  'en>zh': { 'How long does delivery to Europe take?': '配送到欧洲需要多久？' },
  'zh>es': {
    [SHIPPING_ZH]:
      'Enviamos los pedidos un día hábil después del pago y los paquetes a Europa suelen tardar de tres a cinco días hábiles. Una vez enviado, puede ver dónde está su paquete con el número de pedido (por ejemplo ⟦1⟧) en ⟦2⟧.',
    // A provider that writes the link out itself, and gets it wrong, instead of keeping ⟦1⟧.
    [RETURNS_ZH]:
      'Puede devolver los artículos en un plazo de treinta días. Rellene el formulario en https://shop.example.com/return e indique su número de pedido.',
    // Section titles are translated on their own: "Fuente: " is Parley's own, in Spanish already.
    配送: 'Envíos',
    退货: 'Devoluciones',
  },
  'zh>en': {
    [SHIPPING_ZH]:
      'We ship within one business day of payment, and parcels to Europe usually arrive in three to five business days. Once shipped, you can see where your parcel is with your order number (for example ⟦1⟧) at ⟦2⟧.',
    配送: 'Shipping',
  },
};

/** LibreTranslate's /translate over the dictionary, line by line; unknown lines come back as they are. */
function libreTranslate(body: { q: string; source: string; target: string; format: string }): string {
  const table = DICTIONARY[`${body.source}>${body.target}`] ?? {};
  return body.q
    .split('\n')
    .map((line) => table[line.trim()] ?? line)
    .join('\n');
}

describe('The Chinese-working-language shop', () => {
  let site: TestSite;
  let gateway: Gateway;
  let libre: PlatformServer;

  beforeAll(async () => {
    libre = await new PlatformServer((req) => {
      if (req.path !== '/translate') return { status: 404, json: { error: 'Not Found' } };
      const body = req.json as { q: string; source: string; target: string; format: string };
      return { json: { translatedText: libreTranslate(body) } };
    }).start();
    site = makeSite();
    const yaml = testYaml(site.dbPath, `translation: { providers: [ { type: libretranslate, baseUrl: "${libre.url}", timeoutMs: 3000 } ] }`)
      .replace(/^shop:.*$/m, 'shop: { name: 茶猫小铺, languages: [en, es, zh-CN], defaultLanguage: en, workingLanguage: zh-CN }')
      .replace(/^knowledge:.*$/m, `knowledge: { dir: "${join(projectRoot, 'test/fixtures/kb-zh')}" }`);
    writeFileSync(site.configFile, yaml);
    gateway = await startTestGateway(site);
  });
  afterAll(async () => {
    await gateway?.close();
    site?.cleanup();
  });

  it('answers a Spanish shopper from the Chinese knowledge base in Spanish, keeping order numbers and links, and follows a switch to English', async () => {
    const { token, conversationId } = await openSession(gateway.url);
    await sendHttp(gateway.url, token, { type: 'message', clientId: 's1', text: '¿Cuánto tarda el envío de mi pedido PS-100234?' });
    const first = await until(
      () => history(gateway.url, token),
      (m) => m.length >= 2,
    );
    const spanish = text(first[1]);
    expect(spanish).toContain('Enviamos los pedidos un día hábil después del pago');
    expect(spanish).toContain('(por ejemplo PS-100234) en https://track.example.com/PS-100234.');
    expect(spanish).toContain('Fuente: Envíos');
    expect(spanish).not.toMatch(/[\u4e00-\u9fff⟦⟧]/u);

    const stored = await gateway.store.listMessages(conversationId, { limit: 10 });
    expect(stored[0]).toMatchObject({
      language: 'es',
      originalText: '¿Cuánto tarda el envío de mi pedido PS-100234?',
      translatedText: '我的订单PS-100234配送需要多久？',
      provider: 'libretranslate',
    });
    expect(stored[1]).toMatchObject({ language: 'es', provider: 'libretranslate' });
    expect(stored[1]?.originalText).toContain('https://track.example.com/PS-100234查询包裹的位置');
    expect(stored[1]?.translatedText).toContain('https://track.example.com/PS-100234');

    // "ok" says nothing about the language: the conversation stays Spanish.
    await sendHttp(gateway.url, token, { type: 'message', clientId: 's2', text: 'ok' });
    const second = await until(
      () => history(gateway.url, token),
      (m) => m.length >= 4,
    );
    expect(text(second[3])).toContain(bot('es').rephrase);
    expect(text(second[3])).not.toMatch(/[\u4e00-\u9fff]/u);
    expect((await gateway.store.getConversation(conversationId))?.language).toBe('es');

    // A full English sentence switches the conversation to English.
    await sendHttp(gateway.url, token, { type: 'message', clientId: 's3', text: 'How long does delivery to Europe take?' });
    const third = await until(
      () => history(gateway.url, token),
      (m) => m.length >= 6,
    );
    const english = text(third[5]);
    expect(english).toContain('We ship within one business day of payment');
    expect(english).toContain('(for example PS-100234) at https://track.example.com/PS-100234.');
    expect(english).toContain('Source: Shipping');
    expect((await gateway.store.getConversation(conversationId))?.language).toBe('en');
  });

  it('sends the original with a localised note when the provider breaks a protected span', async () => {
    const { token, conversationId } = await openSession(gateway.url);
    await sendHttp(gateway.url, token, { type: 'message', clientId: 'r1', text: '¿Cómo devuelvo un producto?' });
    const messages = await until(
      () => history(gateway.url, token),
      (m) => m.length >= 2,
    );
    const reply = text(messages[1]);
    expect(reply).toContain('请在 https://shop.example.com/returns 填写退货单');
    expect(reply).not.toContain('https://shop.example.com/return ');
    // The note comes first, in Spanish, naming the language the answer is in; then a way to a person.
    expect(reply.startsWith((bot('es').only_in_language as string).replace('{{language}}', 'chino simplificado'))).toBe(true);
    expect(JSON.stringify(messages[1]?.parts)).toContain(JSON.stringify({ label: bot('es').talk_to_person, payload: 'handoff.request' }));
    const [, out] = await gateway.store.listMessages(conversationId, { limit: 10 });
    expect(out?.language).toBe('es');
  });

  it('remembers translations: the same question costs no second provider call', async () => {
    const calls = () => libre.calls(/\/translate$/).length;
    const { token } = await openSession(gateway.url);
    const before = calls();
    await sendHttp(gateway.url, token, { type: 'message', clientId: 'm1', text: '¿Cuánto tarda el envío de mi pedido PS-100234?' });
    const messages = await until(
      () => history(gateway.url, token),
      (m) => m.length >= 2,
    );
    expect(text(messages[1])).toContain('(por ejemplo PS-100234) en https://track.example.com/PS-100234.');
    expect(calls()).toBe(before);
  });
});
