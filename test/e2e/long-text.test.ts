import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/server/gateway.js';
import { makeSite, startTestGateway, type TestSite } from '../support/gateway.js';
import { type Answer, PlatformServer, type Received } from '../support/platform-server.js';
import { until } from '../support/webchat-client.js';

const TG_TOKEN = '123456:ABC-test_token';
const QUESTION = 'How long does shipping to Germany take?';

function telegram(req: Received): Answer {
  if (req.path.endsWith('/sendMessage'))
    return { json: { ok: true, result: { message_id: 1000 + Math.floor(Math.random() * 1e6), date: 1, chat: { id: 1, type: 'private' } } } };
  return { json: { ok: true, result: true } };
}

describe('long messages on a channel without a length cap of its own, with limits: { maxTextLength: 2000, maxWordLength: 100 }', () => {
  let api: PlatformServer;
  let site: TestSite;
  let gateway: Gateway;
  let update = 0;

  /** Sends `text` in chat `chat` and resolves with the text of the reply. */
  async function ask(chat: number, text: string): Promise<string> {
    update += 1;
    const body = {
      update_id: update,
      message: {
        message_id: update,
        date: 1_767_225_600,
        chat: { id: chat, type: 'private' },
        from: { id: chat, is_bot: false, first_name: 'Ana', language_code: 'en' },
        text,
      },
    };
    const res = await fetch(`${gateway.url}/webhooks/tg`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'tg-secret' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    const replies = await until(
      async () => api.calls(/\/sendMessage$/).filter((r) => String((r.json as { chat_id?: unknown }).chat_id) === String(chat)),
      (r) => r.length > 0,
    );
    return replies.map((r) => (r.json as { text: string }).text).join('\n');
  }

  async function storedShopperText(chat: number): Promise<string> {
    const conversation = await gateway.store.findConversation({ channelId: 'tg', chatId: String(chat), userId: String(chat) });
    const messages = await gateway.store.listMessages(conversation?.id ?? '', { limit: 10 });
    return messages.find((m) => m.role === 'shopper')?.originalText ?? '';
  }

  beforeAll(async () => {
    api = await new PlatformServer(telegram).start();
    site = makeSite(`
limits: { maxTextLength: 2000, maxWordLength: 100 }
channels:
  tg: { type: telegram, token: "${TG_TOKEN}", secretToken: tg-secret, apiRoot: "${api.url}" }
`);
    gateway = await startTestGateway(site);
  });
  afterAll(async () => {
    await gateway?.close();
    await api?.stop();
    site?.cleanup();
  });

  it('answers one 40,000-character word, keeps its first 2,000 characters for the agents and tells the shopper', async () => {
    const reply = await ask(1, 'x'.repeat(40_000));
    expect(reply).toMatch(/^Your message was very long, so I read only its first 2,000 characters\./);
    const stored = await storedShopperText(1);
    expect(stored).toHaveLength(2000);
    expect(stored.endsWith('…')).toBe(true);
  });

  it('answers one 900 KB word the same way', async () => {
    expect(await ask(2, 'y'.repeat(900_000))).toMatch(/^Your message was very long/);
  });

  it('answers the question at the start of a long message, with the notice first', async () => {
    const reply = await ask(3, `${QUESTION} ${'Some more details about my order. '.repeat(300)}`);
    expect(reply).toMatch(/^Your message was very long, so I read only its first 2,000 characters\./);
    expect(reply).toMatch(/2–3 business days/);
  });

  it('reads a long "word" shortened but keeps it whole in the message the agents see', async () => {
    const key = 'k'.repeat(1000);
    const reply = await ask(4, `${QUESTION} ${key}`);
    expect(reply).not.toMatch(/very long/);
    expect(reply).toMatch(/2–3 business days/);
    expect(await storedShopperText(4)).toBe(`${QUESTION} ${key}`);
  });
});
