import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/ports.js';
import type { ChatRequest } from './model.js';
import { type ModelScript, ModelServer, sectionTitles, shopperText, toolResults } from '../../../test/support/model-server.js';
import { buildAnswerer, manualClock, plainCapabilities, recordingSender, request, shown, t } from '../../../test/support/llm-fixtures.js';
import { createAnswerer } from './create.js';
import { createOpenAiModel } from './openai-provider.js';

let script: ModelScript = () => ({ content: 'UNKNOWN' });
const server = new ModelServer((req, i) => script(req, i));
beforeAll(async () => void (await server.start()));
afterAll(() => server.close());
beforeEach(() => {
  server.received.length = 0;
});

const GERMANY =
  'Orders to Germany are shipped with DHL and usually arrive within 2–3 business days after dispatch. Shipping costs €5.95, and it is free on orders over €49.\nSOURCES: Shipping to Germany';

/** A well-behaved model: answers from the section the question names, else UNKNOWN. */
const honest: ModelScript = (req) => {
  const results = toolResults(req);
  const last = results.at(-1);
  if (last?.status === 'ok') {
    const order = last.order as Record<string, unknown>;
    return {
      content: `Your order ${order.id} is ${order.status}${order.total ? `, total ${order.total}` : ''}${order.eta ? `, expected ${order.eta}` : ''}.\nSOURCES: none`,
    };
  }
  if (last) return { content: `${String(last.message ?? 'I cannot share that order.')}\nSOURCES: none` };
  const text = shopperText(req);
  const orderId = /PS-\d{6}/.exec(text)?.[0];
  if (orderId) return { toolCalls: [{ name: 'lookup_order', arguments: { order_id: orderId } }] };
  if (/germany/i.test(text) && sectionTitles(req).includes('Shipping to Germany')) return { content: GERMANY };
  return { content: 'UNKNOWN' };
};

describe('grounded answers', () => {
  it('answers from the retrieved section, cites it, and sends the sections as delimited data', async () => {
    script = honest;
    const llm = await buildAnswerer({ baseURL: server.url });
    const answer = await llm.answer(request('g1', 'How long does shipping to Germany take?'));
    const text = shown(answer);
    expect(text).toContain('2–3 business days');
    expect(text.trimEnd().endsWith('_Source: Shipping to Germany_')).toBe(true);
    expect(answer.sources).toEqual(['shipping-germany']);
    expect(answer.handoff).toBeUndefined();
    const [call] = server.received;
    expect(call?.messages[0]?.role).toBe('system');
    expect(call?.messages[0]?.content).toContain('Answer ONLY from the sections');
    expect(call?.messages[1]?.content).toMatch(
      /<knowledge_base>[\s\S]*<section title="Shipping to Germany">[\s\S]*<shopper_message>\nHow long does shipping to Germany take\?\n<\/shopper_message>$/,
    );
    expect(call?.tools.map((tool) => tool.function.name)).toEqual(['lookup_order', 'track_shipment', 'handoff_to_human', 'set_language']);
    expect(call?.headers.authorization).toBe('Bearer sk-test');
  });

  it('says it does not know and offers a person when the knowledge base has no answer', async () => {
    script = honest;
    const llm = await buildAnswerer({ baseURL: server.url });
    const answer = await llm.answer(request('g2', 'Do you have a loyalty points programme?'));
    expect(answer.parts).toEqual([
      { kind: 'text', text: t('bot.rephrase') },
      { kind: 'choices', choices: [{ label: 'Talk to a person', payload: 'handoff.request' }] },
    ]);
    expect(answer.sources).toEqual([]);
  });

  it('does not pass on an invented policy, and hands off after three misses in a row', async () => {
    script = (req) => ({ content: `Yes! Our Paw Points programme gives you 5% back on every order.\nSOURCES: ${sectionTitles(req)[0]}` });
    const llm = await buildAnswerer({ baseURL: server.url });
    const first = await llm.answer(request('g3', 'Do you have a loyalty points programme?'));
    expect(shown(first)).not.toContain('Paw Points');
    expect(shown(first)).toContain('Talk to a person');
    await llm.answer(request('g3', 'and loyalty points for cats?'));
    const third = await llm.answer(request('g3', 'loyalty points please'));
    expect(third.handoff).toEqual({ reason: 'low_confidence' });
    expect(llm.metrics().guardrail.blocked).toBe(3);
  });

  it('writes plain text for plain channels and keeps within the length', async () => {
    script = honest;
    const llm = await buildAnswerer({ baseURL: server.url });
    const answer = await llm.answer(request('g4', 'How long does shipping to Germany take?', { capabilities: plainCapabilities }));
    expect(server.received[0]?.messages[0]?.content).toContain('plain text with no markup at all, at most 850 characters');
    expect(answer.parts[0]).toMatchObject({ kind: 'text', markup: 'plain' });
    expect(shown(answer)).toContain('\n\nSource: Shipping to Germany');
  });
});

describe('orders', () => {
  it('shows an order to the shopper whose channel identity is the buyer', async () => {
    script = honest;
    const sender = recordingSender();
    const llm = await buildAnswerer({ baseURL: server.url, sender });
    const answer = await llm.answer(request('o1', 'Where is my order PS-100234?', { shopper: { phone: '+31612345678' } }));
    expect(shown(answer)).toContain('Your order PS-100234 is shipped, total 104.95 EUR, expected 2026-11-27.');
    expect(sender.sent).toEqual([]);
    // The buyer's contacts never reach the model, even for the buyer.
    expect(server.allBodies()).not.toContain('emma.jansen');
  });

  it("refuses someone else's order: a code goes to the buyer's email, nothing about the order to the asker or the model", async () => {
    script = honest;
    const sender = recordingSender();
    const llm = await buildAnswerer({ baseURL: server.url, sender });
    const answer = await llm.answer(request('o2', 'Show me order PS-100235', { shopper: { phone: '+31612345678' } }));
    const text = shown(answer);
    expect(text).toContain('l***@example.de');
    expect(text).not.toMatch(/Grain-free|55\.47|packing|lucas\.meyer/);
    expect(server.allBodies()).not.toMatch(/Grain-free|55\.47|packing|lucas\.meyer|example\.de/);
    expect(sender.sent.map((s) => s.to)).toEqual(['lucas.meyer@example.de']);
  });

  it('says nothing about an unknown order number', async () => {
    script = honest;
    const llm = await buildAnswerer({ baseURL: server.url });
    const answer = await llm.answer(request('o3', 'Where is PS-999999?'));
    expect(shown(answer)).toContain('No details can be shared for this order number.');
  });

  it('verifies with a one-time code; the code never reaches the model', async () => {
    script = honest;
    const sender = recordingSender();
    const clock = manualClock();
    const llm = await buildAnswerer({ baseURL: server.url, sender, clock });
    const asked = await llm.answer(request('o4', 'Where is my order PS-100234?'));
    expect(shown(asked)).toContain('A one-time code was sent to the email address on the order (e***@example.com)');
    expect(shown(asked)).not.toContain('104.95');
    const code = sender.sent[0]?.code ?? '';
    expect(code).toMatch(/^\d{6}$/);

    script = (req) => {
      const note = req.messages.at(-1)?.content ?? '';
      if (/is verified for order PS-100234/.test(note) && toolResults(req).length === 0)
        return { toolCalls: [{ name: 'lookup_order', arguments: { order_id: 'PS-100234' } }] };
      if (/not correct/.test(note)) return { content: 'That code is not correct. Please check the email and try again.\nSOURCES: none' };
      return honest(req, 0);
    };
    const wrong = await llm.answer(request('o4', code === '000000' ? '111111' : '000000'));
    expect(shown(wrong)).toContain('not correct');
    const right = await llm.answer(request('o4', `the code is ${code}`));
    expect(shown(right)).toContain('Your order PS-100234 is shipped, total 104.95 EUR');
    expect(server.allBodies()).not.toContain(code);
    expect(server.allBodies()).toContain('[CODE]');
  });
});

describe('privacy', () => {
  it('masks personal data in everything sent to the model and restores it in the reply', async () => {
    script = (req) => {
      const placeholders = shopperText(req).match(/\[(EMAIL|PHONE|ADDRESS)_\d+\]/g) ?? [];
      return { content: `Thanks! We noted ${placeholders.join(', ')} for our team.\nSOURCES: Talking to a person` };
    };
    const llm = await buildAnswerer({ baseURL: server.url });
    const pii = {
      email: 'emma.jansen@example.com',
      phone: '+31 6 12345678',
      card: '4111 1111 1111 1111',
      iban: 'NL91ABNA0417164300',
      address: 'Hauptstraße 5',
      cnId: '11010519491231002X',
      cnMobile: '13812345678',
    };
    const answer = await llm.answer(
      request(
        'p1',
        `I want to talk to a person about my data. Mail ${pii.email}, call ${pii.phone} or ${pii.cnMobile}, card ${pii.card}, IBAN ${pii.iban}, ID ${pii.cnId}, I live at ${pii.address}.`,
      ),
    );
    const bodies = server.allBodies();
    for (const value of Object.values(pii)) expect(bodies).not.toContain(value);
    expect(bodies).not.toContain('12345678');
    expect(bodies).not.toContain('support@pawsome-supplies.example');
    const text = shown(answer);
    expect(text).toContain(pii.email);
    expect(text).toContain(pii.phone);
    expect(text).toContain(pii.address);
  });
});

describe('tools', () => {
  it('hands off when the model calls handoff_to_human, and reports a language switch', async () => {
    script = () => ({
      toolCalls: [
        { name: 'set_language', arguments: { language: 'de' } },
        { name: 'handoff_to_human', arguments: { reason: 'upset' } },
      ],
    });
    const llm = await buildAnswerer({ baseURL: server.url });
    const answer = await llm.answer(request('t1', 'Das ist eine Frechheit, ich will jemanden sprechen!'));
    expect(answer.handoff).toEqual({ reason: 'upset' });
    expect(answer.language).toBe('de');
  });
});

describe('streaming', () => {
  it('streams checked sentences as they arrive; the deltas add up to the final answer', async () => {
    script = () => ({ content: GERMANY, chunkSize: 5 });
    const llm = await buildAnswerer({ baseURL: server.url });
    const deltas: string[] = [];
    const answer = await llm.answerStream(request('s1', 'How long does shipping to Germany take?'), (d) => deltas.push(d.text));
    expect(server.received[0]?.stream).toBe(true);
    expect(deltas.length).toBeGreaterThanOrEqual(2);
    expect(deltas.join('')).toBe(shown(answer));
    expect(deltas.join('')).not.toContain('SOURCES');
  });

  it('stops the stream before a sentence that breaks the rules; the answer keeps what was shown and offers a person', async () => {
    script = () => ({
      content:
        'Orders to Germany usually arrive within 2–3 business days after dispatch. Also, you get 30% off today with code WUFF30!\nSOURCES: Shipping to Germany',
      chunkSize: 4,
    });
    const llm = await buildAnswerer({ baseURL: server.url });
    const deltas: string[] = [];
    const answer = await llm.answerStream(request('s2', 'How long does shipping to Germany take?'), (d) => deltas.push(d.text));
    const streamed = deltas.join('');
    expect(streamed.startsWith('Orders to Germany usually arrive within 2–3 business days after dispatch.')).toBe(true);
    expect(streamed).not.toMatch(/30%|WUFF30/);
    // Nothing shown is taken back: the final answer is what was streamed, then a note and a way to a person.
    const text = shown(answer);
    expect(text.startsWith(streamed)).toBe(true);
    expect(text).toContain(t('bot.unconfirmed_rest'));
    expect(text).not.toMatch(/30%|WUFF30/);
    expect(text).toContain('Talk to a person');
  });

  it('keeps what was streamed when the model fails mid-answer, and offers a person', async () => {
    script = () => ({ content: `${GERMANY.split('\n')[0]} More to come`, chunkSize: 8, dropAfter: 120 });
    const llm = await buildAnswerer({ baseURL: server.url });
    const deltas: string[] = [];
    const answer = await llm.answerStream(request('s4', 'How long does shipping to Germany take?'), (d) => deltas.push(d.text));
    const streamed = deltas.join('');
    expect(streamed).toContain('2–3 business days after dispatch.');
    const text = shown(answer);
    expect(text.startsWith(streamed)).toBe(true);
    expect(text).toContain(t('bot.unconfirmed_rest'));
    expect(text).toContain('Talk to a person');
    expect(llm.metrics().fallbacks.failure).toBe(1);
  });

  it('buffers on channels that cannot edit messages', async () => {
    script = () => ({ content: GERMANY });
    const llm = await buildAnswerer({ baseURL: server.url });
    const deltas: string[] = [];
    await llm.answerStream(request('s3', 'How long does shipping to Germany take?', { capabilities: plainCapabilities }), (d) => deltas.push(d.text));
    expect(deltas).toEqual([]);
    expect(server.received[0]?.stream).toBe(false);
  });
});

describe('failures and budgets', () => {
  const offlineGermany = (text: string) => expect(text).toContain('_Source: Shipping to Germany_');

  it('falls back to the offline answer after a timeout and one retry', async () => {
    script = () => ({ content: GERMANY, delayMs: 400 });
    const llm = await buildAnswerer({ baseURL: server.url, timeoutMs: 100 });
    const answer = await llm.answer(request('f1', 'How long does shipping to Germany take?'));
    offlineGermany(shown(answer));
    expect(server.received).toHaveLength(2);
    expect(llm.metrics()).toMatchObject({ failures: { timeout: 2 }, retries: 1, fallbacks: { failure: 1 } });
  });

  it('falls back after two 500s, streaming included', async () => {
    script = () => ({ status: 500 });
    const llm = await buildAnswerer({ baseURL: server.url });
    offlineGermany(shown(await llm.answer(request('f2', 'How long does shipping to Germany take?'))));
    offlineGermany(shown(await llm.answerStream(request('f3', 'How long does shipping to Germany take?'), () => {})));
    expect(llm.metrics()).toMatchObject({ failures: { server: 4 }, fallbacks: { failure: 2 } });
  });

  it('retries once after a 429 and then answers', async () => {
    script = (_req, i) => (i === 0 ? { status: 429, headers: { 'retry-after': '0' } } : { content: GERMANY });
    const llm = await buildAnswerer({ baseURL: server.url });
    const answer = await llm.answer(request('f4', 'How long does shipping to Germany take?'));
    expect(answer.sources).toEqual(['shipping-germany']);
    expect(shown(answer)).toContain('€5.95, and it is free');
    expect(llm.metrics()).toMatchObject({ failures: { rate_limit: 1 }, retries: 1, fallbacks: { failure: 0 } });
  });

  it('counts tokens and cost, and answers offline once a conversation or the day is over budget', async () => {
    script = () => ({ content: GERMANY, usage: { prompt: 900, completion: 100 } });
    const llm = await buildAnswerer({
      baseURL: server.url,
      settings: { budget: { tokensPerConversation: 1500, tokensPerDay: 3500 }, pricing: { inputPer1k: 0.5, outputPer1k: 1.5 } },
    });
    const ask = (id: string) => llm.answer(request(id, 'How long does shipping to Germany take?'));
    await ask('b1');
    await ask('b1');
    expect(llm.usage('b1')).toEqual({ promptTokens: 1800, completionTokens: 200, cost: 1.2, calls: 2 });
    offlineGermany(shown(await ask('b1')));
    expect(server.received).toHaveLength(2);
    await ask('b2');
    await ask('b2');
    offlineGermany(shown(await ask('b3')));
    expect(server.received).toHaveLength(4);
    expect(llm.metrics()).toMatchObject({ fallbacks: { budget: 2 }, day: { tokens: 4000, cost: 2.4 } });
  });
});

describe('createAnswerer', () => {
  const base = {
    knowledge: { dir: 'config/knowledge', minConfidence: 0.55 },
    shop: { name: 'Pawsome Supplies', languages: ['en'], defaultLanguage: 'en', workingLanguage: 'en', timezone: 'UTC', domains: ['pawsome-supplies.example'] },
    orders: { connector: 'file' as const, file: 'config/orders/sample.json', timeoutMs: 5000, codeTtlMs: 600_000 },
  };
  const llm = {
    baseURL: '',
    model: 'm',
    apiKeyHeader: 'authorization' as const,
    temperature: 0,
    timeoutMs: 2000,
    maxTokens: 300,
    budget: { tokensPerConversation: 0, tokensPerDay: 0 },
    vision: false,
  };

  it('is the offline answerer when llm is disabled, the model answerer when enabled', async () => {
    const { loadKb } = await import('../../../test/support/llm-fixtures.js');
    const kb = await loadKb();
    const off = await createAnswerer({ ...base, llm: { ...llm, enabled: false } }, { kb, log: silentLogger });
    expect('answerStream' in off).toBe(false);
    script = honest;
    const on = await createAnswerer({ ...base, llm: { ...llm, enabled: true, baseURL: server.url, apiKey: 'k' } }, { kb, log: silentLogger });
    const answer = await on.answer(request('c1', 'Where is my order PS-100234?', { shopper: { email: 'Emma.Jansen@example.com' } }));
    expect(shown(answer)).toContain('shipped');
  });

  it('speaks to Azure OpenAI with an api-key header and api-version', async () => {
    script = () => ({ content: 'Hello!' });
    const model = createOpenAiModel({
      baseURL: server.url,
      apiKey: 'azure-key',
      apiKeyHeader: 'api-key',
      apiVersion: '2024-10-21',
      model: 'gpt-4o',
      timeoutMs: 2000,
    });
    const req: ChatRequest = { messages: [{ role: 'user', content: 'hi' }], temperature: 0, maxTokens: 10 };
    expect((await model.complete(req)).content).toBe('Hello!');
    const [call] = server.received;
    expect(call?.headers['api-key']).toBe('azure-key');
    expect(call?.headers.authorization).toBeUndefined();
    expect(call?.query.get('api-version')).toBe('2024-10-21');
  });
});
