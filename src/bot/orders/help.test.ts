import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Answerer, ShopperContext } from '../../core/answerer.js';
import { richCapabilities } from '../../core/capabilities.js';
import { silentLogger } from '../../core/ports.js';
import { loadLocales, type Localizer } from '../../language/i18n.js';
import { KnowledgeBase } from '../knowledge/index.js';
import { createMemoryOrderConnector } from './file.js';
import { createOrderHelp } from './help.js';
import type { OrderRecord } from './types.js';
import { createOrderAccess, memoryAccessState } from './verification.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const order = (id: string, status: string, extra: Partial<OrderRecord> = {}): OrderRecord => ({
  id,
  status,
  items: [{ sku: 'BED-L', name: 'Dog bed, large', qty: 1, price: 89.95 }],
  amounts: { subtotal: 89.95, shipping: 0, total: 89.95, currency: 'EUR' },
  carrier: 'DHL',
  trackingUrl: 'https://www.dhl.de/track?piececode=JJD1',
  eta: '2026-12-11',
  buyer: { email: 'ana@example.com', phone: '+34 612 345 678' },
  ...extra,
});
const ORDERS = [
  order('PS-200001', 'paid'),
  order('PS-200002', 'packing'),
  order('PS-200003', 'shipped'),
  order('PS-200004', 'delivered'),
  order('PS-200005', 'cancelled'),
];

let localizer: Localizer;
let kb: KnowledgeBase;
beforeAll(async () => {
  localizer = await loadLocales(`${root}locales`, 'en');
  kb = await KnowledgeBase.load(`${root}config/knowledge`, { workingLanguage: 'en' });
});

/** The order help over the demo knowledge base, with a clock and state the test keeps. */
async function setup(now = { t: Date.parse('2026-12-07T10:00:00Z') }, state = memoryAccessState({ now: () => now.t })) {
  const sent: { to: string; code: string; language?: string }[] = [];
  const clock = { now: () => now.t };
  const access = createOrderAccess({ orders: createMemoryOrderConnector(ORDERS), sender: { send: async (m) => void sent.push(m) }, clock, state });
  const fallback: Answerer = { answer: async () => ({ parts: [{ kind: 'text', text: 'KB' }], confidence: 0.9, sources: ['kb'] }) };
  const help = (await createOrderHelp({ access, kb: () => kb, state, clock, log: silentLogger, minConfidence: 0.55 })).around(fallback);
  const ask = (text: string, language = 'en', conversationId = 'c1', shopper?: ShopperContext) =>
    help.answer({
      conversationId,
      text,
      language,
      t: localizer.forLanguage(language),
      capabilities: richCapabilities,
      ...(shopper ? { shopper: async () => shopper } : {}),
    });
  const said = async (text: string, language = 'en', conversationId = 'c1') =>
    (await ask(text, language, conversationId)).parts.flatMap((p) => (p.kind === 'text' ? [p.text] : [])).join('\n');
  return { ask, said, sent, now, state };
}

describe('order help without a model', () => {
  it("asks for the number, mails a code in the shopper's language, and answers once the code comes", async () => {
    const { said, sent } = await setup();
    expect(await said('¿Dónde está mi pedido?', 'es')).toBe(localizer.forLanguage('es')('orders.ask_number.status'));
    expect(await said('PS-200003', 'es')).toContain('a***@example.com');
    expect(sent[0]).toMatchObject({ to: 'ana@example.com', language: 'es' });
    const answer = await said(`es ${sent[0]?.code}`, 'es');
    expect(answer).toContain('PS-200003');
    expect(answer).toContain('DHL');
    expect(answer).toMatch(/viernes, 11 de diciembre/);
    expect(answer).toContain('89,95');
  });

  it('keeps its place across a restart (state in the store) and lets it expire', async () => {
    const now = { t: Date.parse('2026-12-07T10:00:00Z') };
    const first = await setup(now);
    await first.said('where is my parcel');
    const again = await setup(now, first.state);
    expect(await again.said('PS-200003')).toContain('a***@example.com');
    now.t += 31 * 60_000;
    // The flow is over: a bare number is no longer read as an order, and the knowledge base answers.
    expect(await again.said('200003')).toBe('KB');
  });

  it('leaves the flow when the shopper asks something else', async () => {
    const { said } = await setup();
    await said('where is my order');
    expect(await said('do you ship to japan')).toBe('KB');
    expect(await said('200003')).toBe('KB');
  });

  it('says what applies to this order: cancel, return, new address, invoice', async () => {
    const { ask, said } = await setup();
    const shopper = { email: 'ana@example.com' };
    const cancelPaid = await ask('cancel my order PS-200001', 'en', 'a', shopper);
    expect(cancelPaid.handoff).toEqual({ reason: 'order_cancel' });
    const cancelPacked = await ask('cancel my order PS-200002', 'en', 'b', shopper);
    expect(cancelPacked.handoff).toBeUndefined();
    expect(JSON.stringify(cancelPacked.parts)).toContain('already being packed');
    // Beside it, the shop's own policy: what its knowledge base says about cancelling.
    expect(cancelPacked.sources).toEqual([]);
    expect(JSON.stringify(cancelPacked.parts)).toMatch(/Source: Changing or cancelling an order/);
    const returnDelivered = await ask('I want to return my order PS-200004', 'en', 'c', shopper);
    expect(JSON.stringify(returnDelivered.parts)).toMatch(/has been delivered, so you can return it[\s\S]*Source:/);
    const address = await ask('change the delivery address of my order PS-200003', 'en', 'd', shopper);
    expect(JSON.stringify(address.parts)).toContain('can no longer be changed');
    expect((await ask('change the address of my order PS-200001', 'en', 'e', shopper)).handoff).toEqual({ reason: 'order_address' });
    expect(await said('cancel my order PS-200005')).toContain('a***@example.com');
  });

  it("says nothing about an order it cannot show, and never its buyer's contacts", async () => {
    const { said, sent } = await setup();
    const unknown = await said('where is my order PS-999999');
    expect(unknown).toBe(localizer.forLanguage('en')('orders.not_found', { orderId: 'PS-999999' }));
    expect(sent).toHaveLength(0);
    const asked = await said('where is my order PS-200003');
    expect(asked).not.toMatch(/ana@|612 345/);
    expect(await said('000000' === sent[0]?.code ? '111111' : '000000')).toContain('4');
  });

  it('shows a verified buyer their order at once', async () => {
    const { ask, sent } = await setup();
    const answer = await ask('where is PS-200003', 'en', 'v', { phone: '+34612345678' });
    expect(JSON.stringify(answer.parts)).toContain('is on its way with DHL');
    expect(sent).toHaveLength(0);
  });
});

describe('telling "my order" from a shop question, in 15 languages', () => {
  let intentOf: (text: string, language: string) => Promise<string>;
  beforeAll(async () => {
    const { said } = await setup();
    intentOf = async (text, language) => {
      const reply = await said(text, language, `i-${Math.random()}`);
      return reply === 'KB' ? 'kb' : 'order';
    };
  });

  it.each([
    ['en', 'where is my order?'],
    ['es', '¿dónde está mi pedido?'],
    ['pt-BR', 'cadê meu pedido'],
    ['de', 'wo bleibt meine Bestellung'],
    ['fr', 'où est ma commande ?'],
    ['ru', 'где мой заказ'],
    ['id', 'pesanan saya dimana'],
    ['tr', 'siparişim nerede'],
    ['zh-CN', '我的快递到哪了'],
    ['zh-TW', '我的訂單到哪了'],
    ['ja', '注文した商品はいつ届きますか'],
    ['ko', '내 주문 어디 있어요?'],
    ['ar', 'وين طلبي'],
    ['th', 'ออเดอร์ของฉันอยู่ไหน'],
    ['vi', 'đơn hàng của tôi đâu rồi'],
  ])('%s: "%s" starts the order flow', async (language, text) => {
    expect(await intentOf(text, language)).toBe('order');
  });

  it.each([
    ['en', 'how much is shipping to Germany?'],
    ['es', '¿Cuánto cuesta el envío a China?'],
    ['de', 'Welche Zahlungsarten akzeptiert ihr?'],
    ['zh-CN', '寄到德国要多长时间？'],
    ['fr', 'quelle est votre politique de retour'],
    ['ja', '送料はいくらですか'],
  ])('%s: "%s" is for the knowledge base', async (language, text) => {
    expect(await intentOf(text, language)).toBe('kb');
  });
});
