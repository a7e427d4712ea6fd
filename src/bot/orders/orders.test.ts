import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock, ORDERS_FILE, recordingSender } from '../../../test/support/llm-fixtures.js';
import { PlatformServer } from '../../../test/support/platform-server.js';
import { createFileOrderConnector, createHttpOrderConnector, createOrderAccess, maskEmail, normalizeOrderId, OrderLookupError } from './index.js';

const backend = new PlatformServer((req) => {
  if (req.url === '/api/orders/PS-100234') {
    return {
      json: {
        id: 'PS-100234',
        status: 'shipped',
        items: [],
        amounts: { subtotal: 1, shipping: 0, total: 1, currency: 'EUR' },
        carrier: 'DHL',
        trackingUrl: null,
        eta: null,
        buyer: { email: 'a@example.com', phone: null },
      },
    };
  }
  return { status: req.url === '/api/orders/PS-500000' ? 503 : 404 };
});
let baseUrl = '';
beforeAll(async () => {
  baseUrl = `${(await backend.start()).url}/api/`;
});
afterAll(() => backend.stop());

describe('HTTP order connector', () => {
  it('reads an order with a bearer key; 404 is "no such order"; other failures throw', async () => {
    const orders = createHttpOrderConnector({ baseUrl, apiKey: 'shop-key' });
    expect((await orders.get('PS-100234'))?.status).toBe('shipped');
    expect(backend.received[0]).toMatchObject({ url: '/api/orders/PS-100234', headers: { authorization: 'Bearer shop-key' } });
    expect(await orders.get('PS-999999')).toBeUndefined();
    await expect(orders.get('PS-500000')).rejects.toBeInstanceOf(OrderLookupError);
  });
});

describe('file order connector', () => {
  it("lists a buyer's orders by email (any case) or phone digits, and nothing for no contact", async () => {
    const orders = await createFileOrderConnector(ORDERS_FILE);
    expect((await orders.listByBuyer?.({ email: 'EMMA.JANSEN@example.com' }))?.map((o) => o.id)).toEqual(['PS-100234']);
    expect((await orders.listByBuyer?.({ phone: '4915123456789' }))?.map((o) => o.id)).toEqual(['PS-100235']);
    expect(await orders.listByBuyer?.({})).toEqual([]);
  });
});

describe('order access', () => {
  it('normalises order numbers and masks emails', () => {
    expect(normalizeOrderId(' #ps 100234')).toBe('PS-100234');
    expect(normalizeOrderId('hello')).toBeUndefined();
    expect(maskEmail('emma.jansen@example.com')).toBe('e***@example.com');
  });

  it('grants by matching phone or email, and otherwise sends one code at a time', async () => {
    const sender = recordingSender();
    const access = createOrderAccess({ orders: await createFileOrderConnector(ORDERS_FILE), sender, clock: manualClock(), defaultCountry: 'NL' });
    expect((await access.lookup('c1', 'PS-100234', { phone: '06 12345678' })).kind).toBe('granted');
    expect((await access.lookup('c1', 'PS-100234', { email: 'EMMA.JANSEN@example.com' })).kind).toBe('granted');
    expect(await access.lookup('c2', 'PS-100234', { phone: '+31 6 99999999' })).toMatchObject({
      kind: 'verification_required',
      maskedEmail: 'e***@example.com',
      codeSent: true,
    });
    expect(await access.lookup('c2', 'PS-100234')).toMatchObject({ codeSent: false });
    expect(sender.sent).toHaveLength(1);
    expect((await access.lookup('c2', 'PS-000001')).kind).toBe('not_available');
  });

  it('expires codes, limits attempts, and grants only the conversation that typed the code', async () => {
    const sender = recordingSender();
    const clock = manualClock();
    const access = createOrderAccess({ orders: await createFileOrderConnector(ORDERS_FILE), sender, clock, maxAttempts: 2 });
    await access.lookup('c1', 'PS-100235');
    const code = sender.sent[0]?.code ?? '';
    expect(await access.checkCode('c1', code === '000000' ? '000001' : '000000')).toMatchObject({ kind: 'wrong_code', attemptsLeft: 1 });
    expect(await access.checkCode('c1', code === '000000' ? '000001' : '000000')).toMatchObject({ kind: 'wrong_code', attemptsLeft: 0 });
    expect(await access.checkCode('c1', code)).toEqual({ kind: 'none_pending' });

    clock.advance(3600_001);
    await access.lookup('c1', 'PS-100235');
    const second = sender.sent[1]?.code ?? '';
    clock.advance(600_001);
    expect(await access.checkCode('c1', second)).toEqual({ kind: 'expired' });

    await access.lookup('c1', 'PS-100235');
    const third = sender.sent[2]?.code ?? '';
    expect(await access.checkCode('c1', third)).toEqual({ kind: 'verified', orderId: 'PS-100235' });
    expect((await access.lookup('c1', 'PS-100235')).kind).toBe('granted');
    expect((await access.lookup('other', 'PS-100235')).kind).toBe('verification_required');
  });
});
