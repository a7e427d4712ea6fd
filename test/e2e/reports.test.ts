import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlCareStore } from '../../src/care/sql-store.js';
import { hashPassword } from '../../src/handoff/passwords.js';
import { HandoffStore } from '../../src/handoff/store.js';
import { unsureQuestion } from '../../src/reports/question.js';
import { addModelUsage } from '../../src/reports/usage.js';
import { parseConfigText } from '../../src/config/load.js';
import { silentLogger } from '../../src/core/ports.js';
import { channelDefinitions } from '../../src/server/channels.js';
import { type Gateway, projectRoot, startGateway } from '../../src/server/gateway.js';
import { type SqlDriver, SqlStore } from '../../src/store/index.js';
import { SqlTranslationMemory } from '../../src/store/translation-memory.js';
import { ConsoleClient } from '../support/console-client.js';
import { databases } from '../support/databases.js';

/**
 * A small history written through the real stores, read back through the reports API; every
 * figure below is worked out by hand from the history (docs/reports.md says how each is counted).
 * The period is 2026-01-05 … 2026-01-11 in Europe/Berlin (UTC+1 in January).
 */
const T = (day: number, h: number, m: number, s = 0) => Date.UTC(2026, 0, day, h, m, s);
const ADA = { email: 'ada@shop.test', password: 'ada-password-123' };
const BOB = { email: 'bob@shop.test', password: 'bob-password-123' };
const WEEK = 'from=2026-01-05&to=2026-01-11&tz=Europe/Berlin';

async function conversation(store: SqlStore, channelId: string, chat: string, language: string, at: number) {
  const shopper = await store.ensureShopper(channelId, chat, at);
  const conv = await store.ensureConversation({ channelId, chatId: chat, userId: chat }, shopper.id, at);
  await store.updateConversation(conv.id, { language }, at);
  return conv.id;
}

type Say = [role: 'shopper' | 'bot' | 'agent', at: number, id?: string];

async function say(store: SqlStore, handoffs: HandoffStore, conversationId: string, lines: Say[], authors: Record<string, string> = {}) {
  for (const [role, at, id] of lines) {
    const messageId = id ?? `${conversationId}-${at}`;
    const platform = id ? { platformMessageId: `p-${id}` } : {};
    await store.appendMessages(
      conversationId,
      [{ id: messageId, role, direction: role === 'shopper' ? 'in' : 'out', parts: [{ kind: 'text', text: 'x' }], ...platform }],
      at,
    );
    if (authors[messageId]) await handoffs.setAuthor(messageId, authors[messageId], 'en');
  }
}

/** A shopper's message and the bot's reply as the pipeline stores them: accepted at `asked`, the turn committed at `answered`. */
async function turn(store: SqlStore, conversationId: string, chat: string, channelId: string, asked: number, answered: number) {
  const ref = { channelId, chatId: chat, userId: chat };
  const parts = [{ kind: 'text' as const, text: 'x' }];
  const { accepted } = await store.acceptInbound([{ type: 'message', channelId, eventId: `e${asked}`, ref, timestamp: asked, parts }], asked);
  const inboxId = accepted[0]?.id as number;
  const messages = [
    { id: `${conversationId}-in-${asked}`, role: 'shopper' as const, direction: 'in' as const, parts },
    { id: `${conversationId}-out-${asked}`, role: 'bot' as const, direction: 'out' as const, parts },
  ];
  expect((await store.commitTurn({ inboxId, conversationId, messages }, answered)).committed).toBe(true);
}

async function agents(handoffs: HandoffStore) {
  await handoffs.saveTeam(
    { id: 'en-team', name: 'English desk', languages: ['en'], skills: [], timezone: 'UTC', hours: {}, holidays: [] } as never,
    T(1, 0, 0),
  );
  await handoffs.saveTeam({ id: 'de-team', name: 'German desk', languages: ['de'], skills: [], timezone: 'UTC', hours: {}, holidays: [] } as never, T(1, 0, 0));
  const base = { language: 'en', languages: ['en'], skills: [], capacity: 5 };
  await handoffs.createAgent(
    { ...base, id: 'ada', email: ADA.email, name: 'Ada', role: 'admin', teamId: 'de-team', passwordHash: await hashPassword(ADA.password) },
    T(1, 0, 0),
  );
  await handoffs.createAgent(
    { ...base, id: 'bob', email: BOB.email, name: 'Bob', role: 'agent', teamId: 'en-team', passwordHash: await hashPassword(BOB.password) },
    T(1, 0, 0),
  );
}

function careMessage(id: string, template: string, channelId: string, status: 'sent' | 'undeliverable', at: number, conversationId?: string) {
  return {
    id,
    kind: 'order.shipped',
    category: 'transactional' as const,
    payload: { template, vars: {} },
    status,
    channelId,
    attempts: 0,
    createdAt: at,
    updatedAt: at,
    ...(conversationId ? { conversationId, messageId: id } : {}),
  };
}

async function history(driver: SqlDriver): Promise<void> {
  const store = new SqlStore(driver);
  await store.migrate();
  const handoffs = new HandoffStore(driver);
  await agents(handoffs);
  const unsure = (conversationId: string, asked: string, working: string, at: number) =>
    handoffs.addReportEvent({ conversationId, kind: 'unsure', ...unsureQuestion(asked, working), at });

  // C1 webchat/de: the bot answers twice; contained.
  const c1 = await conversation(store, 'webchat', 'c1', 'de', T(5, 9, 0));
  await turn(store, c1, 'c1', 'webchat', T(5, 9, 0), T(5, 9, 0, 2));
  await turn(store, c1, 'c1', 'webchat', T(5, 9, 5), T(5, 9, 5, 3));
  // C2 telegram/en: unsure, then handed off (low confidence) to the English desk; Bob answers, resolves, gets a 5.
  const c2 = await conversation(store, 'telegram', 'c2', 'en', T(6, 10, 0));
  await turn(store, c2, 'c2', 'telegram', T(6, 10, 0), T(6, 10, 0, 1));
  await unsure(c2, 'Do you ship to Mars??', 'Do you ship to Mars??', T(6, 10, 0, 1));
  await say(store, handoffs, c2, [
    ['shopper', T(6, 10, 2)],
    ['bot', T(6, 10, 2, 1)],
  ]);
  await handoffs.addReportEvent({ conversationId: c2, kind: 'handoff', reason: 'low_confidence', teamId: 'en-team', at: T(6, 10, 2, 1) });
  await say(store, handoffs, c2, [['agent', T(6, 10, 10), 'c2-agent']], { 'c2-agent': 'bob' });
  await handoffs.addFirstAnswer(c2, 'bob', 'en-team', T(6, 10, 10));
  await handoffs.addReportEvent({ conversationId: c2, kind: 'resolved', agentId: 'bob', teamId: 'en-team', at: T(6, 10, 30) });
  await handoffs.addRating({ conversationId: c2, agentId: 'bob', rating: 5, createdAt: T(6, 10, 31) });
  // C3 webchat/en: asks for a person at 23:30 Berlin; the rest happens after midnight Berlin (Jan 8), Ada answers, gets a 2.
  const c3 = await conversation(store, 'webchat', 'c3', 'en', T(7, 22, 30));
  await say(store, handoffs, c3, [
    ['shopper', T(7, 22, 30)],
    ['bot', T(7, 22, 30, 4)],
  ]);
  await handoffs.addReportEvent({ conversationId: c3, kind: 'handoff', reason: 'shopper_request', teamId: 'en-team', at: T(7, 22, 30, 4) });
  await say(
    store,
    handoffs,
    c3,
    [
      ['shopper', T(7, 23, 10)],
      ['agent', T(7, 23, 20), 'c3-agent'],
    ],
    { 'c3-agent': 'ada' },
  );
  await handoffs.addFirstAnswer(c3, 'ada', 'de-team', T(7, 23, 20));
  await handoffs.addFirstAnswer(c3, 'ada', 'de-team', T(7, 23, 30));
  await handoffs.addRating({ conversationId: c3, agentId: 'ada', rating: 2, createdAt: T(7, 23, 40) });
  // C4 telegram/de: two unsure answers, no person.
  const c4 = await conversation(store, 'telegram', 'c4', 'de', T(8, 8, 0));
  await turn(store, c4, 'c4', 'telegram', T(8, 8, 0), T(8, 8, 0, 1) + 500);
  await unsure(c4, 'Do you ship to Mars?', 'Do you ship to Mars?', T(8, 8, 0, 1));
  await turn(store, c4, 'c4', 'telegram', T(8, 8, 1), T(8, 8, 1, 1) + 500);
  await unsure(c4, 'Wo ist mein Paket?', 'Where is my parcel?', T(8, 8, 1, 1));
  // C5 webchat/de: started before the period; one message at 23:59 Berlin on the last day, the reply at midnight (outside).
  const c5 = await conversation(store, 'webchat', 'c5', 'de', T(1, 12, 0));
  await say(store, handoffs, c5, [
    ['shopper', T(1, 12, 0)],
    ['bot', T(1, 12, 0, 1)],
    ['shopper', T(11, 22, 59)],
    ['bot', T(11, 23, 0)],
  ]);
  await unsure(c5, '=HYPERLINK("http://x") jan@example.com, help', '=HYPERLINK("http://x") jan@example.com, help', T(11, 22, 59));
  await handoffs.addRating({ conversationId: c5, rating: 4, createdAt: T(12, 0, 0) });
  await careHistory(driver, store, handoffs, { c1, c2, c4 });
  const memory = new SqlTranslationMemory(driver);
  const use = (provider: string, characters: number, tokens: number, requests: number, at: number) =>
    memory.addUsage({ conversationId: c2, provider, characters, tokens, requests, cacheHits: 0, failures: 0 }, at);
  await use('deepl', 1000, 0, 2, T(6, 10, 0));
  await use('deepl', 500, 0, 1, T(7, 12, 0));
  await use('openai', 0, 2000, 1, T(8, 12, 0));
  await use('deepl', 999, 0, 1, T(12, 0, 30));
  await addModelUsage(driver, 'gpt-4o-mini', 1200, T(8, 13, 0));
}

async function careHistory(driver: SqlDriver, store: SqlStore, handoffs: HandoffStore, c: Record<'c1' | 'c2' | 'c4', string>) {
  const care = new SqlCareStore(driver);
  await say(store, handoffs, c.c2, [['bot', T(9, 9, 0), 'k1']]);
  await store.updateMessageStatus('p-k1', 'delivered');
  await care.insertMessage(careMessage('k1', 'order_shipped', 'telegram', 'sent', T(9, 9, 0), c.c2));
  await say(store, handoffs, c.c1, [['bot', T(9, 10, 0), 'k2']]);
  await store.updateMessageStatus('p-k2', 'delivered');
  await store.updateMessageStatus('p-k2', 'read');
  await care.insertMessage(careMessage('k2', 'order_shipped', 'webchat', 'sent', T(9, 10, 0), c.c1));
  await care.insertMessage(careMessage('k3', 'order_shipped', 'telegram', 'undeliverable', T(9, 11, 0)));
  await say(store, handoffs, c.c4, [['bot', T(10, 9, 0), 'k4']]);
  await store.updateMessageStatus('p-k4', 'failed');
  await care.insertMessage(careMessage('k4', 'order_delivered', 'telegram', 'sent', T(10, 9, 0), c.c4));
  await care.insertMessage(careMessage('k5', 'order_shipped', 'webchat', 'undeliverable', T(1, 0, 0)));
}

const table = (report: { tables: { id: string; rows: unknown[] }[] }, id: string) => report.tables.find((t) => t.id === id)?.rows;
const days = (...values: number[]) => ['05', '06', '07', '08', '09', '10', '11'].map((d, i) => [`2026-01-${d}`, values[i]]);

describe.each(databases)('reports over a hand-computed history on $name', (database) => {
  let db: ReturnType<(typeof databases)[number]['open']>;
  let gateway: Gateway;
  let ada: ConsoleClient;
  const report = async (name: string, query = WEEK) => {
    const res = await ada.call('GET', `/reports/${name}?${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    db = database.open();
    await history(db.driver);
    await db.driver.close();
    const yaml = `
server: { port: 0, host: 127.0.0.1 }
storage: ${db.storage}
shop: { name: Test Shop, languages: [en, de], defaultLanguage: en, workingLanguage: en }
knowledge: { dir: "${projectRoot}/config/knowledge" }
retention: { messageText: 0, attachments: 0, translationMemory: 0, closedConversations: 0, deliveryRecords: 0 }
reports: { currency: EUR, prices: { deepl: { perMillionCharacters: 20 }, openai: { perMillionTokens: 10 }, gpt-4o-mini: { perMillionTokens: 0.6 } } }
log: { level: silent }
`;
    gateway = await startGateway(parseConfigText(yaml, 'reports-test.yaml', {}, channelDefinitions), { log: silentLogger });
    ada = await ConsoleClient.login(gateway.url, ADA.email, ADA.password);
  }, 60_000);
  afterAll(async () => {
    await gateway?.close();
    await db?.cleanup();
  });

  it('volume: per Berlin day and hour, by channel and language', async () => {
    const r = await report('volume');
    expect(r).toMatchObject({ name: 'volume', from: '2026-01-05', to: '2026-01-11', currency: 'EUR' });
    const byDay = table(r, 'by_day') as { date: string; conversations: number; messages: number; inbound: number; outbound: number }[];
    expect(byDay.map((d) => [d.date, d.conversations])).toEqual(days(1, 1, 1, 2, 0, 0, 1));
    expect(byDay.map((d) => [d.date, d.messages])).toEqual(days(4, 5, 2, 6, 2, 1, 1));
    expect(byDay.map((d) => [d.date, d.inbound])).toEqual(days(2, 2, 1, 3, 0, 0, 1));
    expect(table(r, 'by_channel')).toEqual([
      { channel: 'webchat', conversations: 3, messages: 10, inbound: 5, outbound: 5 },
      { channel: 'telegram', conversations: 2, messages: 11, inbound: 4, outbound: 7 },
    ]);
    expect(table(r, 'by_language')).toEqual([
      { language: 'de', conversations: 3, messages: 11, inbound: 5, outbound: 6 },
      { language: 'en', conversations: 2, messages: 10, inbound: 4, outbound: 6 },
    ]);
    const hours = (table(r, 'by_hour') as { hour: number; messages: number; inbound: number }[]).filter((h) => h.messages > 0);
    expect(hours).toEqual([
      { hour: 0, messages: 2, inbound: 1, outbound: 1 },
      { hour: 9, messages: 4, inbound: 2, outbound: 2 },
      { hour: 10, messages: 6, inbound: 2, outbound: 4 },
      { hour: 11, messages: 6, inbound: 2, outbound: 4 },
      { hour: 23, messages: 3, inbound: 2, outbound: 1 },
    ]);
  });

  it('volume: days are the days of the time zone (the same week in UTC moves C3 and C5)', async () => {
    const r = await report('volume', 'from=2026-01-05&to=2026-01-11&tz=UTC');
    const byDay = table(r, 'by_day') as { date: string; messages: number }[];
    expect(byDay.map((d) => [d.date, d.messages])).toEqual(days(4, 5, 4, 4, 2, 1, 2));
  });

  it('volume: filters by channel, language and team', async () => {
    const sum = async (q: string) =>
      ((table(await report('volume', `${WEEK}&${q}`), 'by_day') ?? []) as { messages: number }[]).reduce((s, d) => s + d.messages, 0);
    expect(await sum('channel=telegram')).toBe(11);
    expect(await sum('language=de')).toBe(11);
    expect(await sum('team=en-team')).toBe(10);
    expect(await sum('team=de-team')).toBe(0);
    expect(await sum('channel=')).toBe(21);
  });

  it('containment: 3 of 5 conversations without a person; by day, channel and language', async () => {
    const r = await report('containment');
    expect(table(r, 'summary')).toEqual([{ conversations: 5, contained: 3, handed_off: 2, person_only: 0, containment: 0.6, handoff_rate: 0.4 }]);
    const byDay = table(r, 'by_day') as { date: string; conversations: number; contained: number; handed_off: number; person_only: number }[];
    expect(byDay.map((d) => [d.date, d.conversations, d.contained, d.handed_off, d.person_only])).toEqual([
      ['2026-01-05', 1, 1, 0, 0],
      ['2026-01-06', 1, 0, 1, 0],
      ['2026-01-07', 1, 0, 1, 0],
      ['2026-01-08', 2, 1, 0, 1],
      ['2026-01-09', 0, 0, 0, 0],
      ['2026-01-10', 0, 0, 0, 0],
      ['2026-01-11', 1, 1, 0, 0],
    ]);
    expect(table(r, 'by_channel')).toEqual([
      { channel: 'webchat', conversations: 3, contained: 2, handed_off: 1, person_only: 0, containment: 0.6667, handoff_rate: 0.3333 },
      { channel: 'telegram', conversations: 2, contained: 1, handed_off: 1, person_only: 0, containment: 0.5, handoff_rate: 0.5 },
    ]);
    expect(table(r, 'by_language')).toEqual([
      { language: 'de', conversations: 3, contained: 3, handed_off: 0, person_only: 0, containment: 1, handoff_rate: 0 },
      { language: 'en', conversations: 2, contained: 0, handed_off: 2, person_only: 0, containment: 0, handoff_rate: 1 },
    ]);
    const team = await report('containment', `${WEEK}&team=en-team`);
    expect(table(team, 'summary')).toEqual([{ conversations: 2, contained: 0, handed_off: 2, person_only: 0, containment: 0, handoff_rate: 1 }]);
  });

  it('handoffs: by reason, channel and team', async () => {
    const r = await report('handoffs');
    expect(table(r, 'by_reason')).toEqual([
      { reason: 'low_confidence', handoffs: 1, share: 0.5 },
      { reason: 'shopper_request', handoffs: 1, share: 0.5 },
    ]);
    expect(table(r, 'by_day')).toEqual([
      { date: '2026-01-06', reason: 'low_confidence', handoffs: 1 },
      { date: '2026-01-07', reason: 'shopper_request', handoffs: 1 },
    ]);
    expect(table(r, 'by_channel')).toEqual([
      { channel: 'telegram', handoffs: 1, share: 0.5 },
      { channel: 'webchat', handoffs: 1, share: 0.5 },
    ]);
    expect(table(r, 'by_team')).toEqual([{ team: 'English desk', handoffs: 2, share: 1 }]);
  });

  it('response times: bot and agents, first response and resolution, per agent', async () => {
    const r = await report('response-times');
    // Bot replies waited 2000, 3000 (C1), 1000 (C2), 1500, 1500 (C4) ms: p50 and p90 fall in the ≤2000 and ≤3000 buckets.
    expect(table(r, 'summary')).toEqual([
      { who: 'bot', measure: 'first_response', count: 5, mean: 1800, p50: 2000, p90: 3000 },
      { who: 'agents', measure: 'first_response', count: 2, mean: 1_737_500, p50: 479_000, p90: 2_996_000 },
      { who: 'agents', measure: 'resolution', count: 1, mean: 1_679_000, p50: 1_679_000, p90: 1_679_000 },
    ]);
    expect(table(r, 'by_agent')).toEqual([
      { agent: 'Ada', handoffs: 1, first_response_p50: 2_996_000, first_response_p90: 2_996_000, resolution_p50: null },
      { agent: 'Bob', handoffs: 1, first_response_p50: 479_000, first_response_p90: 479_000, resolution_p50: 1_679_000 },
    ]);
  });

  it('response times: the bot by channel, agents by team', async () => {
    const telegram = await report('response-times', `${WEEK}&channel=telegram`);
    expect((table(telegram, 'summary') as { count: number }[]).map((row) => row.count)).toEqual([3, 1, 1]);
    const team = await report('response-times', `${WEEK}&team=de-team`);
    expect((table(team, 'summary') as { count: number }[]).map((row) => row.count)).toEqual([5, 0, 0]);
  });

  it('csat: by day, channel, language, team and agent', async () => {
    const r = await report('csat');
    expect(table(r, 'summary')).toEqual([{ ratings: 2, average: 3.5, csat: 0.5 }]);
    const byDay = table(r, 'by_day') as { date: string; ratings: number; csat: number | null }[];
    expect(byDay.map((d) => [d.date, d.ratings, d.csat])).toEqual([
      ['2026-01-05', 0, null],
      ['2026-01-06', 1, 1],
      ['2026-01-07', 0, null],
      ['2026-01-08', 1, 0],
      ['2026-01-09', 0, null],
      ['2026-01-10', 0, null],
      ['2026-01-11', 0, null],
    ]);
    expect(table(r, 'by_channel')).toEqual([
      { channel: 'telegram', ratings: 1, average: 5, csat: 1 },
      { channel: 'webchat', ratings: 1, average: 2, csat: 0 },
    ]);
    expect(table(r, 'by_language')).toEqual([{ language: 'en', ratings: 2, average: 3.5, csat: 0.5 }]);
    expect(table(r, 'by_team')).toEqual([
      { team: 'English desk', ratings: 1, average: 5, csat: 1 },
      { team: 'German desk', ratings: 1, average: 2, csat: 0 },
    ]);
    expect(table(r, 'by_agent')).toEqual([
      { agent: 'Ada', ratings: 1, average: 2, csat: 0 },
      { agent: 'Bob', ratings: 1, average: 5, csat: 1 },
    ]);
  });

  it('care: sent, delivered, read, failed and not sent per template and channel', async () => {
    const r = await report('care');
    expect(table(r, 'by_template')).toEqual([
      { template: 'order_delivered', channel: 'telegram', total: 1, sent: 1, delivered: 0, read: 0, failed: 1, not_sent: 0, delivery_rate: 0, read_rate: 0 },
      { template: 'order_shipped', channel: 'telegram', total: 2, sent: 1, delivered: 1, read: 0, failed: 0, not_sent: 1, delivery_rate: 1, read_rate: 0 },
      { template: 'order_shipped', channel: 'webchat', total: 1, sent: 1, delivered: 1, read: 1, failed: 0, not_sent: 0, delivery_rate: 1, read_rate: 1 },
    ]);
  });

  it('usage: characters and tokens per provider, priced per million (UTC days)', async () => {
    const r = await report('usage');
    expect(table(r, 'by_provider')).toEqual([
      { kind: 'model', provider: 'gpt-4o-mini', characters: 0, tokens: 1200, requests: 1, cost: 0.0007 },
      { kind: 'translation', provider: 'deepl', characters: 1500, tokens: 0, requests: 3, cost: 0.03 },
      { kind: 'translation', provider: 'openai', characters: 0, tokens: 2000, requests: 1, cost: 0.02 },
    ]);
    expect(table(r, 'by_day')).toEqual([
      { date: '2026-01-06', characters: 1000, tokens: 0, requests: 2, cost: 0.02 },
      { date: '2026-01-07', characters: 500, tokens: 0, requests: 1, cost: 0.01 },
      { date: '2026-01-08', characters: 0, tokens: 3200, requests: 2, cost: 0.0207 },
    ]);
  });

  it('unanswered: unsure answers grouped by question, most asked first, personal data masked', async () => {
    const r = await report('unanswered');
    expect(table(r, 'questions')).toEqual([
      { question: 'do you ship to mars', asked: 2, conversations: 2, example: 'Do you ship to Mars?', last_asked: '2026-01-08' },
      { question: 'hyperlink http x email help', asked: 1, conversations: 1, example: '=HYPERLINK("http://x") [email], help', last_asked: '2026-01-11' },
      { question: 'where is my parcel', asked: 1, conversations: 1, example: 'Wo ist mein Paket?', last_asked: '2026-01-08' },
    ]);
  });

  it('CSV: a header of column keys, RFC 4180 quoting, formulas defused', async () => {
    const res = await fetch(`${gateway.url}/console/api/reports/unanswered/questions.csv?${WEEK}`, { headers: { cookie: ada.cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(await res.text()).toBe(
      'question,asked,conversations,example,last_asked\r\n' +
        'do you ship to mars,2,2,Do you ship to Mars?,2026-01-08\r\n' +
        `hyperlink http x email help,1,1,"'=HYPERLINK(""http://x"") [email], help",2026-01-11\r\n` +
        'where is my parcel,1,1,Wo ist mein Paket?,2026-01-08\r\n',
    );
    const missing = await fetch(`${gateway.url}/console/api/reports/volume/nope.csv?${WEEK}`, { headers: { cookie: ada.cookie } });
    expect(missing.status).toBe(404);
  });

  it('filter options', async () => {
    const res = await ada.call('GET', '/reports');
    expect(res.body).toMatchObject({
      reports: ['volume', 'containment', 'handoffs', 'response-times', 'csat', 'care', 'usage', 'unanswered'],
      channels: ['telegram', 'webchat'],
      languages: ['de', 'en'],
      teams: [
        { id: 'en-team', name: 'English desk' },
        { id: 'de-team', name: 'German desk' },
      ],
      currency: 'EUR',
    });
  });

  it('agents get 403, signed-out callers 401, bad parameters 400 with the reason', async () => {
    const bob = await ConsoleClient.login(gateway.url, BOB.email, BOB.password);
    expect((await bob.call('GET', `/reports/volume?${WEEK}`)).status).toBe(403);
    expect((await bob.call('GET', '/reports')).status).toBe(403);
    expect((await bob.call('GET', `/reports/volume/by_day.csv?${WEEK}`)).status).toBe(403);
    expect((await new ConsoleClient(gateway.url).call('GET', `/reports/volume?${WEEK}`)).status).toBe(401);
    const bad = async (path: string) => {
      const res = await ada.call('GET', path);
      expect(res.status, path).toBe(400);
      return String(res.body.message);
    };
    expect(await bad('/reports/volume?from=2026-02-30&to=2026-03-01')).toMatch(/from: a date as YYYY-MM-DD/);
    expect(await bad('/reports/volume?from=2026-03-02&to=2026-03-01')).toMatch(/from must be on or before to/);
    expect(await bad('/reports/volume?from=2025-01-01&to=2026-01-02')).toMatch(/at most 366 days/);
    expect(await bad('/reports/volume?from=2026-01-01&to=2026-01-02&tz=Mars/Olympus')).toMatch(/tz: an IANA time zone/);
    expect(await bad(`/reports/sales?${WEEK}`)).toMatch(/unknown report/);
    expect(await bad('/reports/volume?to=2026-01-02')).toMatch(/from/);
  });
});
