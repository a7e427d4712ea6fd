import { randomBytes, randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WebchatAdapter } from '../../adapters/webchat/index.js';
import { createBot } from '../bot/bot.js';
import { type Care, createCare, SqlCareStore } from '../care/index.js';
import { coverageProblem, KnowledgeBase, languageCoverage } from '../bot/knowledge/index.js';
import { hasTranslator } from '../cli/check.js';
import { createAnswerer } from '../bot/llm/create.js';
import { createOrderConnector } from '../bot/orders/index.js';
import { createMail, mountDemoMailbox } from './mail.js';
import { linkWebchatIdentity, verifiedShopper } from './shoppers.js';
import type { GatewayConfig } from '../config/load.js';
import type { AdapterContext, ChannelAdapter } from '../core/adapter.js';
import type { InboundEvent } from '../core/message.js';
import { createPipeline } from '../core/pipeline.js';
import { type Clock, type Logger, systemClock } from '../core/ports.js';
import { ConversationBus } from '../core/events.js';
import { createSender, type Sender } from '../core/send.js';
import type { Conversation, Store, StoredMessage, TurnCommit } from '../core/store.js';
import { createRecentOrders } from '../handoff/orders.js';
import { createLanguageDetector } from '../language/detector.js';
import { loadLocales } from '../language/i18n.js';
import { createTranslator } from '../language/translate/index.js';
import { createInbox } from '../queue/inbox.js';
import { createOutbox } from '../queue/outbox.js';
import { PostgresDriver, type SqlDriver, SqliteDriver, SqlStore } from '../store/index.js';
import { SqlTranslationMemory } from '../store/translation-memory.js';
import { mountApi } from './api.js';
import { createHandoffWiring } from './console/wire.js';
import { mountCareApi } from './care-api.js';
import { mountHealth } from './health.js';
import { createHttpServer } from './http.js';
import { createLogger } from './log.js';
import { createPassiveReplies } from './passive.js';
import { mountStatic } from './static.js';
import { mountWebchat, toWire } from './webchat.js';
import { mountWebhooks } from './webhooks.js';

/** The project root (where `locales/` and `web/` live). */
export const projectRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** Overrides for tests and tools. */
export interface GatewayOptions {
  log?: Logger;
  clock?: Clock;
  fetch?: typeof fetch;
}

/** A running gateway. */
export interface Gateway {
  /** Base URL it listens on, e.g. `http://127.0.0.1:3000`. */
  url: string;
  store: Store;
  channels: ReadonlyMap<string, ChannelAdapter>;
  /** Live conversation events (messages, state changes, typing). */
  bus: ConversationBus;
  /** Sends agent replies and proactive messages into a conversation. */
  send: Sender;
  /** Proactive customer care (events, scheduler, care log). */
  care: Care;
  /** Resolves when no turn and no delivery is in flight. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

function openDriver(config: GatewayConfig): SqlDriver {
  const s = config.storage;
  if (s.driver === 'postgres' && s.postgres) {
    return new PostgresDriver({ url: s.postgres.url, ...(s.postgres.schema ? { schema: s.postgres.schema } : {}) });
  }
  return new SqliteDriver({ path: resolve(s.sqlite.path), synchronous: s.sqlite.synchronous });
}

/**
 * The composition root: builds every real implementation once and wires them together.
 *
 * @example
 * ```ts
 * const gateway = await startGateway(loadConfig('config/gateway.yaml', process.env, channelDefinitions));
 * console.log(`listening on ${gateway.url}`);
 * ```
 */
export async function startGateway(config: GatewayConfig, options: GatewayOptions = {}): Promise<Gateway> {
  const log = options.log ?? createLogger(config.log.level);
  const clock = options.clock ?? systemClock;
  const driver = openDriver(config);
  const store: Store = new SqlStore(driver);
  await store.migrate();
  // The embedded database has one owner: whatever the last process left half-done is ours.
  if (store.dialect === 'sqlite') await Promise.all([store.releaseInboxLeases(), store.releaseOutboxLeases()]);
  const signingSecret = config.security.sessionSecret ?? (await store.initSetting('signing_secret', randomBytes(32).toString('base64url')));
  const localizer = await loadLocales(join(projectRoot, 'locales'), config.shop.defaultLanguage);
  let kb = await KnowledgeBase.load(resolve(config.knowledge.dir), { workingLanguage: config.shop.workingLanguage });
  log.info({ sections: kb.size, articles: kb.articles.length, languages: kb.languages }, 'knowledge base loaded');
  for (const c of languageCoverage(kb, config.shop.languages, { translator: hasTranslator(config), model: config.llm.enabled })) {
    const problem = coverageProblem(c, config.knowledge.dir, config.shop.workingLanguage);
    if (problem) log.warn({ language: c.language, articles: c.articles, of: c.of }, problem);
  }

  const detector = createLanguageDetector({ languages: [...config.shop.languages], defaultLanguage: config.shop.defaultLanguage });
  detector.detect('Warm up the statistical model before the first shopper waits for it.');

  const translator = createTranslator(config.translation, {
    workingLanguage: config.shop.workingLanguage,
    fetch: options.fetch ?? fetch,
    memory: new SqlTranslationMemory(driver),
    clock,
    log,
  });

  const instanceId = randomUUID();
  const channels = new Map<string, ChannelAdapter>();
  const q = config.queue;
  // Built once the pipeline exists; until then accepted events wait for its first claim.
  // eslint-disable-next-line prefer-const
  let inbox: ReturnType<typeof createInbox> | undefined;
  // Events are claimed in the commit that accepts them when the inbox has free slots, so a turn
  // starts without waiting for a claim; the rest wait for the inbox's claims.
  const ingest = async (events: InboundEvent[]) => {
    if (events.length === 0) return [];
    const slots = inbox?.reserve(events.length) ?? 0;
    let result: Awaited<ReturnType<Store['acceptInbound']>>;
    try {
      result = await store.acceptInbound(events, clock.now(), slots ? { claim: { leaseMs: q.leaseMs, limit: slots } } : {});
    } catch (err) {
      inbox?.adopt([], slots);
      throw err;
    }
    inbox?.adopt(result.claimed, slots);
    if (result.accepted.length > result.claimed.length) inbox?.wake();
    return result.accepted;
  };
  for (const c of config.channels) {
    const ctx: AdapterContext = {
      channelId: c.id,
      log: log.child({ channel: c.id }),
      clock,
      fetch: options.fetch ?? fetch,
      publicUrl: config.server.publicUrl,
      webhookPath: `/webhooks/${c.id}`,
      ingest,
      state: { get: (k) => store.kvGet(`${c.id}:${k}`, clock.now()), set: (k, v, exp) => store.kvSet(`${c.id}:${k}`, v, exp) },
      leases: {
        acquire: (name, ttl) => store.acquireLease(name, instanceId, ttl, clock.now()),
        release: (name) => store.releaseLease(name, instanceId),
      },
      dataDir: resolve(config.storage.dataDir, c.id),
      signingSecret,
    };
    channels.set(c.id, c.definition.create(c.config, ctx));
  }
  const webchats = [...channels.values()].filter((a): a is WebchatAdapter => a.type === 'webchat');

  const rateLimits = new Map(config.channels.flatMap((c) => (c.rateLimit ? [[c.id, c.rateLimit] as const] : [])));
  const outbox = createOutbox({ store, channel: (id) => channels.get(id), rateLimits, clock, log: log.child({ stage: 'outbox' }), ...q });
  const passive = createPassiveReplies({ store, clock, log, leaseMs: q.leaseMs, wakeOutbox: () => outbox.wake() });
  const bus = new ConversationBus();
  const committed = (conv: Conversation, messages: StoredMessage[], inboxId: number, patch?: TurnCommit['conversation']) => {
    passive.turnCommitted(inboxId, messages);
    const updated = patch ? { ...conv, ...patch } : conv;
    if (messages.length) bus.emit({ type: 'messages', conversation: updated, messages });
    if (patch?.state && patch.state !== conv.state) bus.emit({ type: 'state', conversation: updated, previous: conv.state });
    // Other tabs of the same shopper see the shopper's own message at once.
    const webchat = webchats.find((w) => w.id === conv.channelId);
    for (const m of messages) if (webchat && m.role === 'shopper') webchat.hub.publish(conv.ref.chatId, { type: 'message', message: toWire(m) });
  };
  // Orders are read (never copied) through one connector; codes go out through the mailer.
  const orders = await createOrderConnector(config.orders, { fetch: options.fetch ?? fetch });
  const mail = createMail(config, { driver, clock, localizer, log });
  // The knowledge base with the order help in front, or the model grounded in both (`llm.enabled`).
  // It reads `kb` through a getter: agents correct the knowledge base from the console, and a
  // reload swaps the index. Codes, grants and the order flow's state live in the store.
  const answerer = createBot(
    await createAnswerer(config, {
      kb: () => kb,
      log: log.child({ stage: 'llm' }),
      clock,
      fetch: options.fetch ?? fetch,
      ...(orders ? { orders } : {}),
      otpSender: mail.otpSender,
      state: { get: (key) => store.kvGet(key, clock.now()), set: (key, value, expiresAt) => store.kvSet(key, value, expiresAt) },
    }),
  );
  const reloadKnowledge = async () => {
    kb = await KnowledgeBase.load(resolve(config.knowledge.dir), { workingLanguage: config.shop.workingLanguage });
    log.info({ sections: kb.size }, 'knowledge base reloaded');
    return kb.size;
  };
  // Read-only: the console lists the orders a conversation mentions and the verified buyer's own.
  const recentOrders = orders && createRecentOrders({ orders, contactOf: (id) => care.verifiedContact(id), log: log.child({ stage: 'orders' }) });
  const handoff = await createHandoffWiring(config, {
    driver,
    store,
    bus,
    send: (id, out) => send(id, out),
    translator,
    channel: (id) => channels.get(id),
    localizer,
    clock,
    log,
    reloadKnowledge,
    webDir: join(projectRoot, 'web'),
    ...(recentOrders ? { recentOrders } : {}),
  });
  const pipeline = createPipeline({
    store,
    channel: (id) => channels.get(id),
    answerer,
    handoff: handoff.port,
    // Opt-outs and answers to rating requests get care's reply instead of the bot's.
    intercept: (turn) => care.intercept(turn),
    // What the shop and the channel vouch for: order details need no code for their buyer.
    verified: (conv) => verifiedShopper(conv, care, channels.get(conv.channelId)),
    detector,
    translator,
    localize: (lng) => localizer.forLanguage(lng),
    shop: config.shop,
    clock,
    log: log.child({ stage: 'turn' }),
    committed,
    deliver: { leaseMs: q.leaseMs, adopt: (items) => outbox.adopt(items), wake: () => outbox.wake() },
    inboxLeaseMs: q.leaseMs,
    // The widget grows the reply as it is written; the committed message replaces it.
    stream: (conv, id, text, at) => webchats.find((w) => w.id === conv.channelId)?.hub.publish(conv.ref.chatId, { type: 'delta', id, text, at }),
  });
  const send = createSender({
    store,
    channel: (id) => channels.get(id),
    translator,
    localize: (lng) => localizer.forLanguage(lng),
    shop: config.shop,
    clock,
    bus,
    wakeOutbox: () => outbox.wake(),
  });
  const care = createCare({
    store,
    care: new SqlCareStore(driver),
    send,
    channel: (id) => channels.get(id),
    channelIds: () => [...channels.keys()],
    localizer,
    settings: config.care,
    shop: config.shop,
    clock,
    log: log.child({ stage: 'care' }),
    bus,
  });
  inbox = createInbox({ store, runTurn: pipeline.runTurn, clock, log: log.child({ stage: 'inbox' }), ...q });

  // The widget runs on the shop's pages (another origin): its endpoints answer CORS.
  const widgetCors = webchats.slice(0, 1).map((w) => ({ paths: ['/webchat/', `/webhooks/${w.id}`], origins: w.config.allowedOrigins }))[0];
  const app = await createHttpServer({
    bodyLimit: config.server.bodyLimitBytes,
    trustProxy: config.server.trustProxy,
    log,
    ...(widgetCors ? { cors: widgetCors } : {}),
  });
  mountHealth(app, { store, channels });
  mountWebhooks(app, { channel: (id) => channels.get(id), ingest, passiveReply: passive.passiveReply, now: () => clock.now(), log });
  mountApi(app, { store, keys: config.api.keys });
  mountCareApi(app, { care, keys: config.api.keys, now: () => clock.now() });
  mountStatic(app, join(projectRoot, 'web'));
  handoff.mount(app);
  for (const adapter of webchats.slice(0, 1)) {
    mountWebchat(app, {
      adapter,
      store,
      ingest,
      widgetStrings: (lng) => localizer.bundle(lng, 'widget'),
      clock,
      log,
      bus,
      identify: (sid, identity) => linkWebchatIdentity(care, adapter.id, sid, identity),
    });
  }
  if (mail.mailbox) mountDemoMailbox(app, mail.mailbox);
  await app.listen({ port: config.server.port, host: config.server.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  const host = config.server.host === '0.0.0.0' || config.server.host === '::' ? '127.0.0.1' : config.server.host;

  inbox.start();
  outbox.start();
  handoff.start();
  await care.start();
  for (const adapter of channels.values()) await adapter.start?.();
  log.info({ port, channels: [...channels.keys()] }, 'gateway listening');

  return {
    url: `http://${host}:${port}`,
    store,
    channels,
    bus,
    send,
    care,
    async idle() {
      await inbox.idle();
      await care.idle();
      await outbox.idle();
    },
    async close() {
      await app.close();
      mail.close();
      for (const adapter of channels.values()) await adapter.stop?.();
      await handoff.stop();
      await inbox.stop();
      await care.stop();
      await outbox.stop();
      await store.close();
    },
  };
}
