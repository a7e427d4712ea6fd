import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/server/gateway.js';
import { makeSite, startTestGateway, type TestSite } from '../support/gateway.js';
import { strings } from '../support/locales.js';
import { ChatSocket, history, openSession, sendHttp, until, type WireMessage } from '../support/webchat-client.js';

const text = (m: WireMessage | undefined) => m?.parts.map((p) => p.text ?? '').join(' ') ?? '';

describe('web chat, end to end on the real server', () => {
  let site: TestSite;
  let gateway: Gateway;

  beforeAll(async () => {
    // A burst of 50 messages in one chat is past any shopper's pace: the limit is off here
    // (test/e2e/limits.test.ts tries it).
    site = makeSite('rateLimits: { webchatMessage: { max: 0 } }');
    gateway = await startTestGateway(site);
  });
  afterAll(async () => {
    await gateway?.close();
    site.cleanup();
  });

  it('answers from the knowledge base, replays history to a second connection, and keeps it across a restart', async () => {
    const { token } = await openSession(gateway.url);
    const first = await ChatSocket.connect(gateway.url, token);
    first.send({ type: 'sync', after: 0 });
    first.send({ type: 'message', clientId: 'q1', text: 'How long does shipping to Germany take?' });
    const ack = await first.next((f) => f.type === 'ack');
    expect(ack.clientId).toBe('q1');
    const answer = await first.next((f) => f.type === 'message' && (f.message as WireMessage).role === 'bot');
    const reply = text(answer.message as WireMessage);
    expect(reply).toMatch(/Germany/);
    expect(reply).toMatch(/2–3 business days/);
    expect(reply).toMatch(/Source: Shipping to Germany/);

    const second = await ChatSocket.connect(gateway.url, token);
    second.send({ type: 'sync', after: 0 });
    const replay = (await second.next((f) => f.type === 'history')).messages as WireMessage[];
    expect(replay.map((m) => m.role)).toEqual(['shopper', 'bot']);
    expect(replay[0]?.clientId).toBe('q1');
    await Promise.all([first.close(), second.close()]);

    await gateway.close();
    gateway = await startTestGateway(site);
    const third = await ChatSocket.connect(gateway.url, token);
    third.send({ type: 'sync', after: 0 });
    const after = (await third.next((f) => f.type === 'history')).messages as WireMessage[];
    expect(after.map((m) => m.id)).toEqual(replay.map((m) => m.id));
    expect(text(after[1])).toBe(reply);
    await third.close();
  });

  it('stores and answers a redelivered event once', async () => {
    const { token } = await openSession(gateway.url);
    const body = { type: 'message', clientId: 'dup-1', text: 'Do you accept PayPal?' };
    const responses = await Promise.all([sendHttp(gateway.url, token, body), sendHttp(gateway.url, token, body)]);
    expect(responses.map((r) => r.status)).toEqual([200, 200]);
    await sendHttp(gateway.url, token, body);
    await gateway.idle();
    const messages = await until(
      () => history(gateway.url, token),
      (m) => m.length >= 2,
    );
    await new Promise((r) => setTimeout(r, 300));
    expect((await history(gateway.url, token)).map((m) => m.role)).toEqual(['shopper', 'bot']);
    expect(text(messages[1])).toMatch(/PayPal/);
  });

  it('answers 50 messages sent at once in one conversation in order', async () => {
    const { token } = await openSession(gateway.url);
    const socket = await ChatSocket.connect(gateway.url, token);
    for (let i = 0; i < 50; i++) socket.send({ type: 'message', clientId: `burst-${i}`, text: `How long does shipping to Germany take? (${i})` });
    const all = await until(
      () => history(gateway.url, token),
      (m) => m.length >= 100,
      30_000,
    );
    await socket.close();
    expect(all).toHaveLength(100);
    for (let i = 0; i < 50; i++) {
      const asked = all[2 * i];
      const answered = all[2 * i + 1];
      expect(asked?.clientId).toBe(`burst-${i}`);
      expect(answered?.role).toBe('bot');
      // The answer belongs to the question right before it.
      expect(answered?.id).toBe(asked?.id.replace(/-in$/, '-out'));
    }
  });

  it('gives a clear 4xx to bad input and changes nothing else', async () => {
    const { token } = await openSession(gateway.url);
    await sendHttp(gateway.url, token, { type: 'message', clientId: 'ok-1', text: 'hello' });
    await until(
      () => history(gateway.url, token),
      (m) => m.length === 2,
    );
    const before = await gateway.store.listConversations({ limit: 1000 });
    const post = (body: string, auth = `Bearer ${token}`) =>
      fetch(`${gateway.url}/webhooks/webchat`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: auth }, body });

    const malformed = await post('{"type": "message", "text": ');
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).message).toMatch(/not valid JSON/);

    const unknown = await post(JSON.stringify({ type: 'telepathy', clientId: 'x' }));
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).message).toMatch(/Unknown event type "telepathy"/);

    const missing = await post(JSON.stringify({ type: 'message', clientId: 'x2' }));
    expect(missing.status).toBe(400);
    expect((await missing.json()).message).toMatch(/text/);

    const huge = await post(JSON.stringify({ type: 'message', clientId: 'big', text: 'x'.repeat(2 * 1024 * 1024) }));
    expect(huge.status).toBe(413);
    expect((await huge.json()).error).toBe('payload_too_large');

    const [body, sig] = token.split('.');
    const forgedBody = Buffer.from(JSON.stringify({ sid: 'someone-else', iat: 1, exp: 9e15 })).toString('base64url');
    const forged = await post(JSON.stringify({ type: 'message', clientId: 'f1', text: 'hi' }), `Bearer ${forgedBody}.${sig}`);
    expect(forged.status).toBe(401);
    expect(body).toBeTruthy();

    const badSocket = await ChatSocket.connect(gateway.url, `${forgedBody}.${sig}`);
    expect(badSocket.frames[0]).toMatchObject({ type: 'error', code: 'invalid_session' });
    await badSocket.close();

    // Frames that are not JSON objects get an error frame; the socket and the gateway stay up.
    const socket = await ChatSocket.connect(gateway.url, token);
    for (const raw of ['null', '42', 'not json']) socket.sendRaw(raw);
    await until(
      async () => socket.frames.filter((f) => f.type === 'error' && f.code === 'bad_json'),
      (errors) => errors.length === 3,
    );
    socket.send({ type: 'sync', after: 0 });
    expect(await socket.next((f) => f.type === 'history')).toBeTruthy();
    await socket.close();

    await new Promise((r) => setTimeout(r, 200));
    expect(await history(gateway.url, token)).toHaveLength(2);
    expect(await gateway.store.listConversations({ limit: 1000 })).toHaveLength(before.length);
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
  });

  it('hands a shopper who asks for a person to the queue with a localised notice', async () => {
    const { token, conversationId } = await openSession(gateway.url);
    await sendHttp(gateway.url, token, { type: 'message', clientId: 'h1', text: 'quiero hablar con una persona', locale: 'es-ES' });
    const messages = await until(
      () => history(gateway.url, token),
      (m) => m.length >= 2,
    );
    expect(text(messages[1])).toMatch(/equipo|persona/i);
    expect((await gateway.store.getConversation(conversationId))?.state).toBe('awaiting_agent');
    // While waiting for a person the bot does not answer: one localised acknowledgement per wait.
    await sendHttp(gateway.url, token, { type: 'message', clientId: 'h2', text: 'hola?' });
    const acked = await until(
      () => history(gateway.url, token),
      (m) => m.length >= 4,
    );
    expect(text(acked[3])).toBe(strings('es', 'handoff').waiting_ack);
    await sendHttp(gateway.url, token, { type: 'message', clientId: 'h3', text: '¿sigue ahí alguien?' });
    await until(
      () => history(gateway.url, token),
      (m) => m.length >= 5,
    );
    await gateway.idle();
    expect((await history(gateway.url, token)).map((m) => m.role)).toEqual(['shopper', 'bot', 'shopper', 'bot', 'shopper']);
  });

  it('maps a numbered reply back to the button it stands for', async () => {
    const { token } = await openSession(gateway.url);
    await sendHttp(gateway.url, token, { type: 'message', clientId: 'n1', text: 'zxqv blorp' });
    const [, rephrase] = await until(
      () => history(gateway.url, token),
      (m) => m.length >= 2,
    );
    expect(rephrase?.parts.some((p) => p.kind === 'choices')).toBe(true);
    await sendHttp(gateway.url, token, { type: 'postback', clientId: 'n2', payload: 'handoff.request', label: 'Talk to a person' });
    const messages = await until(
      () => history(gateway.url, token),
      (m) => m.length >= 4,
    );
    expect(text(messages[3])).toMatch(/team|person/i);
  });

  it('acks with the id the message is stored under and keeps the clientId of a message and a button press', async () => {
    const { token } = await openSession(gateway.url);
    const socket = await ChatSocket.connect(gateway.url, token);
    socket.send({ type: 'message', clientId: 'e1', text: 'zxqv blorp' });
    const asked = await socket.next((f) => f.type === 'ack' && f.clientId === 'e1');
    await until(
      () => history(gateway.url, token),
      (m) => m.length >= 2,
    );
    socket.send({ type: 'postback', clientId: 'e2', payload: 'handoff.request', label: 'Talk to a person' });
    const pressed = await socket.next((f) => f.type === 'ack' && f.clientId === 'e2');
    const messages = await until(
      () => history(gateway.url, token),
      (m) => m.length >= 4,
    );
    expect(messages[0]).toMatchObject({ id: asked.id, role: 'shopper', clientId: 'e1' });
    expect(messages[2]).toMatchObject({ id: pressed.id, role: 'shopper', clientId: 'e2' });
    expect(text(messages[2])).toBe('Talk to a person');
    // The live echo is the same message the ack named, so the widget shows it once.
    const echoes = await until(
      async () => socket.messages().filter((m) => m.role === 'shopper'),
      (m) => m.length >= 2,
    );
    expect(echoes.map((m) => [m.id, m.clientId])).toEqual([
      [asked.id, 'e1'],
      [pressed.id, 'e2'],
    ]);

    // A re-sent message (a reconnect before its ack) is acknowledged as a duplicate and stored once.
    socket.send({ type: 'message', clientId: 'e1', text: 'zxqv blorp' });
    const again = await socket.next((f) => f.type === 'ack' && f.clientId === 'e1' && f !== asked);
    expect(again).toEqual({ type: 'ack', clientId: 'e1', duplicate: true });
    await gateway.idle();
    expect(await history(gateway.url, token)).toHaveLength(4);
    await socket.close();
  });

  it('protects the REST API with API keys', async () => {
    expect((await fetch(`${gateway.url}/api/v1/conversations`)).status).toBe(401);
    const wrong = await fetch(`${gateway.url}/api/v1/conversations`, { headers: { authorization: 'Bearer nope-nope-nope-nope' } });
    expect(wrong.status).toBe(401);
    const auth = { headers: { authorization: 'Bearer test-api-key-0123456789' } };
    const list = (await (await fetch(`${gateway.url}/api/v1/conversations?limit=5`, auth)).json()) as { conversations: { id: string }[] };
    expect(list.conversations.length).toBeGreaterThan(0);
    const id = list.conversations[0]?.id;
    const res = await fetch(`${gateway.url}/api/v1/conversations/${id}/messages`, auth);
    expect(res.status).toBe(200);
    expect((await fetch(`${gateway.url}/api/v1/conversations/nope/messages`, auth)).status).toBe(404);
    expect((await fetch(`${gateway.url}/api/v1/conversations?limit=abc`, auth)).status).toBe(400);
  });
});
