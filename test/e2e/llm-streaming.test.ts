import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ModelScript, ModelServer, sectionTitles, shopperText } from '../support/model-server.js';
import type { Gateway } from '../../src/server/gateway.js';
import { makeSite, startTestGateway, type TestSite } from '../support/gateway.js';
import { ChatSocket, openSession, type WireMessage } from '../support/webchat-client.js';

const text = (m: WireMessage | undefined) => m?.parts.map((p) => p.text ?? '').join(' ') ?? '';
const GERMANY =
  'Orders to Germany are shipped with DHL and usually arrive within 2–3 business days after dispatch. Shipping costs €5.95, and it is free on orders over €49.\nSOURCES: Shipping to Germany';

/** A model that answers the Germany question from the section it was given, else UNKNOWN. */
const honest: ModelScript = (req) =>
  /germany/i.test(shopperText(req)) && sectionTitles(req).includes('Shipping to Germany') ? { content: GERMANY, chunkSize: 5 } : { content: 'UNKNOWN' };

describe('model answers streamed to the web chat, on the real server', () => {
  let script: ModelScript = honest;
  const model = new ModelServer((req, i) => script(req, i));
  let site: TestSite;
  let gateway: Gateway;

  beforeAll(async () => {
    await model.start();
    site = makeSite(`llm: { enabled: true, baseURL: "${model.url}", model: test, apiKey: test, timeoutMs: 5000 }`);
    gateway = await startTestGateway(site);
  });
  afterAll(async () => {
    await gateway?.close();
    await model.close();
    site?.cleanup();
  });
  beforeEach(() => {
    script = honest;
    model.received.length = 0;
  });

  /** Asks over the socket and returns every frame up to and including the bot's final message. */
  async function ask(question: string): Promise<{ frames: Record<string, unknown>[]; reply: WireMessage }> {
    const { token } = await openSession(gateway.url);
    const socket = await ChatSocket.connect(gateway.url, token);
    socket.send({ type: 'message', clientId: 'q1', text: question });
    const final = await socket.next((f) => f.type === 'message' && (f.message as WireMessage).role === 'bot');
    const frames = socket.frames.slice(0, socket.frames.indexOf(final) + 1);
    await socket.close();
    return { frames, reply: final.message as WireMessage };
  }

  it('streams the reply as deltas under the final message id, then sends the final message citing its section', async () => {
    const { frames, reply } = await ask('How long does shipping to Germany take?');
    const deltas = frames.filter((f) => f.type === 'delta');
    const final = text(reply);

    expect(model.received[0]?.stream).toBe(true);
    expect(deltas.length).toBeGreaterThanOrEqual(2);
    expect(deltas.every((d) => d.id === reply.id)).toBe(true);
    expect(reply.id).toMatch(/^m\d+-out$/);
    const streamed = deltas.map((d) => String(d.text)).join('');
    // Each piece says where it goes, so a retried turn's stream overwrites rather than repeats.
    expect(deltas.map((d) => d.at)).toEqual(deltas.map((_, i) => deltas.slice(0, i).reduce((n, d) => n + String(d.text).length, 0)));
    expect(streamed).toContain('2–3 business days');
    expect(streamed).not.toContain('SOURCES');
    expect(final.startsWith(streamed)).toBe(true);
    // The final message comes after the last delta and is what the widget keeps.
    expect(frames.at(-1)?.type).toBe('message');
    expect(final).toMatch(/2–3 business days/);
    expect(final).toMatch(/Source: Shipping to Germany/);
  });

  it('answers from the knowledge base, without deltas, when the model fails', async () => {
    script = () => ({ status: 500 });
    const { frames, reply } = await ask('How long does shipping to Germany take?');
    expect(model.received.length).toBeGreaterThanOrEqual(1);
    expect(frames.filter((f) => f.type === 'delta')).toEqual([]);
    expect(text(reply)).toMatch(/2–3 business days/);
    expect(text(reply)).toMatch(/Source: Shipping to Germany/);
  });

  it('hands a shopper who asks for a person to the queue without asking the model', async () => {
    const { frames } = await ask('I want to talk to a human');
    expect(model.received).toHaveLength(0);
    expect(frames.filter((f) => f.type === 'delta')).toEqual([]);
  });
});
