import { randomBytes, randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { VerifiedIdentity } from '../../adapters/webchat/identity.js';
import type { WebchatAdapter } from '../../adapters/webchat/index.js';
import type { FastifyInstance } from 'fastify';
import { createBot } from '../bot/bot.js';
import { type Care, createCare, SqlCareStore } from '../care/index.js';
import { coverageProblem, KnowledgeBase, languageCoverage } from '../bot/knowledge/index.js';
import { hasTranslator } from '../cli/check.js';
import { createAnswerer } from '../bot/llm/create.js';
import { addModelUsage } from '../reports/usage.js';
import { createOrderConnector } from '../bot/orders/index.js';
import { createMail, mountDemoMailbox } from './mail.js';
import { linkWebchatIdentity, verifiedShopper } from './shoppers.js';
import type { GatewayConfig } from '../config/load.js';
import type { AdapterContext, ChannelAdapter } from '../core/adapter.js';
import { createPipeline } from '../core/pipeline.js';
import { type Clock, type Logger, systemClock } from '../core/ports.js';
import { ParleyError } from '../core/errors.js';
import { ConversationBus } from '../core/events.js';
import { type LiveRelay, localRelay } from '../core/live.js';
import { createSender, type Sender } from '../core/send.js';
import type { Conversation, Store, StoredMessage, TurnCommit } from '../core/store.js';
import { createRecentOrders } from '../handoff/orders.js';
import { createLanguageDetector } from '../language/detector.js';
import { type Localizer, loadLocales } from '../language/i18n.js';
import { createTranslator } from '../language/translate/index.js';
import { createMediaUnderstanding } from '../media/understand/create.js';
import { createInbox, type Inbox } from '../queue/inbox.js';
import { createOutbox } from '../queue/outbox.js';
import { createPrivacy, createRetention } from '../privacy/index.js';
import { PostgresDriver, type SqlDriver, SqliteDriver, SqlStore } from '../store/index.js';
import { openPostgresRelay } from '../store/pg-live.js';
import { SqlTranslationMemory } from '../store/translation-memory.js';
import { limitApi, mountApi } from './api.js';
import { createHandoffWiring } from './console/wire.js';
import { mountCareApi } from './care-api.js';
import { mountHealth } from './health.js';
import { relayConsole, relayWebchat } from './live.js';
import { createHttpServer } from './http.js';
import { createLogger } from './log.js';
import { openMetrics, type OperatorMetrics } from './metrics/setup.js';
import { createPassiveReplies } from './passive.js';
import { mountPrivacyApi } from './privacy-api.js';
import { mountStatic } from './static.js';
import { mountWebchat, toWire, webchatLimits } from './webchat.js';
import { mountWebhooks } from './webhooks.js';
import { createMediaWiring, mountWebchatUpload } from './media.js';
import { createMediaLinks, mountPublicMedia } from './media-links.js';

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
  /** Where `/metrics` is served when `metrics.port` gives it a listener of its own. */
  metricsUrl?: string;
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

/** What the gateway's parts share: built first, passed down. */
interface Basics {
  config: GatewayConfig;
  log: Logger;
  clock: Clock;
  fetch: typeof fetch;
  driver: SqlDriver;
  store: Store;
  /** Web-chat frames and console events to and from the other instances (none on SQLite). */
  live: LiveRelay;
  /** This process among the instances sharing the database: channel leases, agents' presence. */
  instanceId: string;
  /** Operator metrics (`metrics.enabled`): the hooks every part is built with, and `/metrics`. */
  metrics: OperatorMetrics | undefined;
}

/** The database, migrated; on the embedded one, whatever the last process left half-done is ours. */
async function openStorage(config: GatewayConfig, options: GatewayOptions): Promise<Basics> {
  const driver = openDriver(config);
  const store: Store = new SqlStore(driver);
  await store.migrate();
  if (store.dialect === 'sqlite') await Promise.all([store.releaseInboxLeases(), store.releaseOutboxLeases()]);
  const log = options.log ?? createLogger(config.log.level);
  const pg = config.storage.driver === 'postgres' ? config.storage.postgres : undefined;
  const live = pg
    ? await openPostgresRelay({ url: pg.url, ...(pg.schema ? { schema: pg.schema } : {}), driver, log: log.child({ stage: 'live' }) })
    : localRelay;
  const clock = options.clock ?? systemClock;
  const metrics = config.metrics.enabled ? openMetrics(config.metrics, { driver, clock, log: log.child({ stage: 'metrics' }) }) : undefined;
  return { config, log, clock, fetch: options.fetch ?? fetch, driver, store, live, instanceId: randomUUID(), metrics };
}

/** Strings, language detection and translation. */
async function createLanguage({ config, clock, log, fetch, driver, metrics }: Basics) {
  const localizer = await loadLocales(join(projectRoot, 'locales'), config.shop.defaultLanguage);
  const detector = createLanguageDetector({ languages: [...config.shop.languages], defaultLanguage: config.shop.defaultLanguage });
  detector.detect('Warm up the statistical model before the first shopper waits for it.');
  const translator = createTranslator(config.translation, {
    workingLanguage: config.shop.workingLanguage,
    fetch,
    memory: new SqlTranslationMemory(driver),
    clock,
    log,
    observe: metrics?.translation,
  });
  return { localizer, detector, translator };
}

/**
 * The knowledge base, behind a getter: agents correct it from the console and a reload swaps
 * the index. Languages it cannot serve are reported at start-up.
 */
async function loadKnowledge({ config, log }: Basics) {
  const dir = resolve(config.knowledge.dir);
  const load = () =>
    KnowledgeBase.load(dir, { workingLanguage: config.shop.workingLanguage }).then(
      // The shop's languages are searched from the first message; the others, if ever, build on first use.
      (kb) => kb.prepare([...config.shop.languages, config.shop.workingLanguage]),
      (cause: NodeJS.ErrnoException) => {
        throw new ParleyError('CONFIG_INVALID', `Cannot read the knowledge base at ${dir} (${cause.code ?? cause.message}). Check knowledge.dir.`, { cause });
      },
    );
  let kb = await load();
  log.info({ sections: kb.size, articles: kb.articles.length, languages: kb.languages }, 'knowledge base loaded');
  for (const c of languageCoverage(kb, config.shop.languages, { translator: hasTranslator(config), model: config.llm.enabled })) {
    const problem = coverageProblem(c, config.knowledge.dir, config.shop.workingLanguage);
    if (problem) log.warn({ language: c.language, articles: c.articles, of: c.of }, problem);
  }
  return {
    current: () => kb,
    async reload() {
      kb = await load();
      log.info({ sections: kb.size }, 'knowledge base reloaded');
      return kb.size;
    },
  };
}

/** One adapter per `channels` block; every event they receive goes to the inbox. */
async function createChannels(
  { config, log, clock, fetch, store, instanceId }: Basics,
  inbox: Inbox,
  signingSecret: string,
  localizer: Localizer,
): Promise<Map<string, ChannelAdapter>> {
  const channels = new Map<string, ChannelAdapter>();
  for (const c of config.channels) {
    const ctx: AdapterContext = {
      channelId: c.id,
      log: log.child({ channel: c.id }),
      clock,
      fetch,
      publicUrl: config.server.publicUrl,
      webhookPath: `/webhooks/${c.id}`,
      inbox,
      state: { get: (k) => store.kvGet(`${c.id}:${k}`, clock.now()), set: (k, v, exp) => store.kvSet(`${c.id}:${k}`, v, exp) },
      leases: {
        acquire: (name, ttl) => store.acquireLease(name, instanceId, ttl, clock.now()),
        release: (name) => store.releaseLease(name, instanceId),
      },
      dataDir: resolve(config.storage.dataDir, c.id),
      signingSecret,
      localize: (lng) => localizer.forLanguage(lng ?? config.shop.defaultLanguage),
      mail: { from: config.mail.from, ...(config.mail.smtp ? { smtp: config.mail.smtp } : {}) },
    };
    // Awaited: a channel with a heavy SDK imports its adapter only now (see ChannelDefinition.create).
    channels.set(c.id, await c.definition.create(c.config, ctx));
  }
  return channels;
}

/**
 * The responder: the knowledge base with the order help in front, or the model grounded in
 * both (`llm.enabled`). Orders are read (never copied) through one connector; codes go out
 * through the mailer; codes, grants and the order flow's state live in the store.
 */
async function createResponder({ config, log, clock, fetch, store, metrics, driver }: Basics, kb: () => KnowledgeBase, mail: ReturnType<typeof createMail>) {
  const orders = await createOrderConnector(config.orders, { fetch });
  const answerer = createBot(
    await createAnswerer(config, {
      kb,
      log: log.child({ stage: 'llm' }),
      clock,
      fetch,
      ...(orders ? { orders } : {}),
      otpSender: mail.otpSender,
      observeModel: metrics?.forModel(config.llm.baseURL),
      countTokens: (tokens) => void addModelUsage(driver, config.llm.model, tokens, clock.now()).catch((err) => log.warn({ err }, 'model usage not counted')),
      state: { get: (key) => store.kvGet(key, clock.now()), set: (key, value, expiresAt) => store.kvSet(key, value, expiresAt) },
    }),
  );
  return { orders, answerer };
}

/** Language, knowledge, the inbox and the channels that feed it. */
async function assembleIntake(basics: Basics) {
  const { config, store, clock, log } = basics;
  const signingSecret = config.security.sessionSecret ?? (await store.initSetting('signing_secret', randomBytes(32).toString('base64url')));
  const language = await createLanguage(basics);
  const knowledge = await loadKnowledge(basics);
  const inbox = createInbox({ store, clock, log: log.child({ stage: 'inbox' }), ...config.queue, limits: config.limits });
  const channels = await createChannels(basics, inbox, signingSecret, language.localizer);
  const webchat = [...channels.values()].find((a): a is WebchatAdapter => a.type === 'webchat');
  return { ...language, knowledge, inbox, channels, channel: (id: string) => channels.get(id), webchat, signingSecret };
}

type Intake = Awaited<ReturnType<typeof assembleIntake>>;

/** The way out (outbox, passive replies, sender), the live bus, and care. */
function assembleDelivery(basics: Basics, intake: Intake) {
  const { config, store, clock, log, driver } = basics;
  const { channels, channel, translator, localizer } = intake;
  const q = config.queue;
  const rateLimits = new Map(config.channels.flatMap((c) => (c.rateLimit ? [[c.id, c.rateLimit] as const] : [])));
  const outbox = createOutbox({ store, channel, rateLimits, clock, log: log.child({ stage: 'outbox' }), ...q, delivered: basics.metrics?.delivered });
  const passive = createPassiveReplies({ store, clock, log, leaseMs: q.leaseMs, wakeOutbox: () => outbox.wake() });
  const bus = new ConversationBus();
  const localize = (lng: string) => localizer.forLanguage(lng);
  const send = createSender({ store, channel, translator, localize, shop: config.shop, clock, bus, wakeOutbox: () => outbox.wake() });
  const care = createCare({
    store,
    care: new SqlCareStore(driver),
    send,
    channel,
    channelIds: () => [...channels.keys()],
    localizer,
    settings: config.care,
    shop: config.shop,
    clock,
    log: log.child({ stage: 'care' }),
    bus,
    observe: basics.metrics?.care,
  });
  return { outbox, passive, bus, localize, send, care };
}

type Delivery = ReturnType<typeof assembleDelivery>;

/** The responder, the human handoff and the pipeline that runs each turn. */
async function assembleTurns(basics: Basics, intake: Intake, delivery: Delivery) {
  const { config, store, clock, log, driver, instanceId } = basics;
  const { channel, channels, webchat, translator, detector, localizer, knowledge } = intake;
  const { bus, send, care, outbox, passive, localize } = delivery;
  const mail = createMail(config, { driver, clock, localizer, log });
  // Shoppers' photos, voice notes and files: fetched, checked and stored in the turn (docs/media.md).
  const media = createMediaWiring(config.media, { dataDir: config.storage.dataDir, channel, fetch: basics.fetch, log, signingSecret: intake.signingSecret });
  // Agents' attachments go out as signed links platforms fetch (docs/media.md, "Agents sending media").
  const mediaLinks = createMediaLinks(intake.signingSecret, config.server.publicUrl, () => clock.now());
  const privacy = createPrivacy({ driver, clock, log: log.child({ stage: 'privacy' }), media: media.store });
  const retention = createRetention({ driver, clock, log: log.child({ stage: 'retention' }), settings: config.retention, leases: store, media: media.store });
  const { orders, answerer } = await createResponder(basics, knowledge.current, mail);
  // Read-only: the console lists the orders a conversation mentions and the verified buyer's own.
  const recentOrders = orders && createRecentOrders({ orders, contactOf: (id) => care.verifiedContact(id), log: log.child({ stage: 'orders' }) });
  const webDir = join(projectRoot, 'web');
  const handoff = await createHandoffWiring(config, {
    ...{
      driver,
      store,
      bus,
      send,
      translator,
      channel,
      localizer,
      clock,
      log,
      reloadKnowledge: knowledge.reload,
      webDir,
      privacy,
      instanceId,
      media: media.store,
      mediaLinks,
    },
    ...(recentOrders ? { recentOrders } : {}),
  });
  const q = config.queue;
  const pipeline = createPipeline({
    ...{
      store,
      channel,
      answerer,
      handoff: basics.metrics ? basics.metrics.handoffs(handoff.port) : handoff.port,
      detector,
      translator,
      localize,
      shop: config.shop,
      limits: config.limits,
      clock,
      log: log.child({ stage: 'turn' }),
    },
    // Opt-outs and answers to rating requests get care's reply instead of the bot's.
    intercept: (turn) => care.intercept(turn),
    // What the shop and the channel vouch for: order details need no code for their buyer.
    verified: (conv) => verifiedShopper(conv, care, channels.get(conv.channelId)),
    // A shopper who unfollows or blocks the channel gets no proactive messages there.
    membership: (event) => care.membershipChanged(event),
    intake: media.intake,
    // Voice notes transcribed (transcription:), every medium described for the answerer; what it cannot take in goes to a person.
    understand: createMediaUnderstanding(config.transcription, {
      media: media.store,
      log,
      fetch: basics.fetch,
      observe: basics.metrics?.forTranscription(config.transcription.baseURL),
    }),
    committed: conversationEvents({ bus, passive, webchat }),
    deliver: { leaseMs: q.leaseMs, adopt: (items) => outbox.adopt(items), wake: () => outbox.wake() },
    inboxLeaseMs: q.leaseMs,
    // The widget grows the reply as it is written; the committed message replaces it.
    stream: (conv, id, text, at) => (webchat?.id === conv.channelId ? webchat.hub.publish(conv.ref.chatId, { type: 'delta', id, text, at }) : undefined),
  });
  return { mail, handoff, pipeline, privacy, retention, media, mediaLinks };
}

type Turns = Awaited<ReturnType<typeof assembleTurns>>;

/** Every HTTP route: webhooks, the REST APIs, the widget and demo files, the console, the web chat. */
async function serveHttp(basics: Basics, intake: Intake, delivery: Delivery, turns: Turns): Promise<FastifyInstance> {
  const { config, store, clock, log } = basics;
  const { channels, channel, inbox, webchat, localizer } = intake;
  const { care, passive, bus } = delivery;
  const app = await createHttpServer({
    bodyLimit: config.server.bodyLimitBytes,
    trustProxy: config.server.trustProxy,
    log,
    // The widget runs on the shop's pages (another origin): its endpoints answer CORS.
    ...(webchat ? { cors: { paths: ['/webchat/', `/webhooks/${webchat.id}`], origins: webchat.config.allowedOrigins } } : {}),
  });
  limitApi(app, config.rateLimits.api);
  const chatLimits = webchat && webchatLimits(app, webchat, config.rateLimits);
  mountHealth(app, { store, channels });
  await basics.metrics?.serve(app);
  const shoppers = chatLimits ? { throttle: chatLimits.webhook } : {};
  mountWebhooks(app, { channel, inbox, passiveReply: passive.passiveReply, now: () => clock.now(), log, ...shoppers });
  mountApi(app, { store, keys: config.api.keys });
  mountCareApi(app, { care, keys: config.api.keys, now: () => clock.now() });
  mountPrivacyApi(app, { privacy: turns.privacy, keys: config.api.keys });
  mountStatic(app, join(projectRoot, 'web'));
  turns.handoff.mount(app);
  mountPublicMedia(app, { store: turns.media.store, links: turns.mediaLinks });
  if (webchat && chatLimits) {
    const widgetStrings = (lng: string) => localizer.bundle(lng, 'widget');
    const identify = (sid: string, identity: VerifiedIdentity) => linkWebchatIdentity(care, webchat.id, sid, identity);
    mountWebchat(app, { adapter: webchat, store, inbox, widgetStrings, clock, log, bus, identify, limits: chatLimits });
    mountWebchatUpload(app, { adapter: webchat, media: turns.media, clock, limits: chatLimits, store });
  }
  if (turns.mail.mailbox) mountDemoMailbox(app, turns.mail.mailbox);
  await app.listen({ port: config.server.port, host: config.server.host }).catch((cause: NodeJS.ErrnoException) => {
    const why = cause.code === 'EADDRINUSE' ? 'is already in use' : `cannot be opened (${cause.code ?? cause.message})`;
    throw new ParleyError('CONFIG_INVALID', `Port ${config.server.port} on ${config.server.host} ${why}. Stop the other process or set server.port (PORT).`, {
      cause,
    });
  });
  return app;
}

/**
 * The composition root: builds every real implementation once, in dependency order (no part
 * is used before it exists), and wires them together. One message's walk: webhook route →
 * adapter verify/normalize → `inbox.accept` → pipeline turn (bot or handoff) → outbox →
 * adapter deliver (docs/architecture.md).
 *
 * @example
 * ```ts
 * const gateway = await startGateway(loadConfig('config/gateway.yaml', process.env, channelDefinitions));
 * console.log(`listening on ${gateway.url}`);
 * ```
 */
export async function startGateway(config: GatewayConfig, options: GatewayOptions = {}): Promise<Gateway> {
  const basics = await openStorage(config, options);
  const intake = await assembleIntake(basics);
  const delivery = assembleDelivery(basics, intake);
  const turns = await assembleTurns(basics, intake, delivery);
  const app = await serveHttp(basics, intake, delivery, turns);

  const { inbox, channels } = intake;
  const { outbox, care, bus, send } = delivery;
  const unrelay = [
    relayConsole(basics.live, turns.handoff.service),
    ...(intake.webchat ? [relayWebchat(basics.live, intake.webchat.id, intake.webchat.hub)] : []),
  ];
  const { metrics } = basics;
  metrics?.watch(config.channels, { webchatSockets: () => intake.webchat?.hub.connections ?? 0, consoleSockets: turns.handoff.openSockets });
  inbox.start(metrics ? metrics.timeTurns(turns.pipeline.runTurn) : turns.pipeline.runTurn);
  outbox.start();
  turns.handoff.start();
  await care.start();
  turns.retention.start();
  for (const adapter of channels.values()) await adapter.start?.();
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  const host = config.server.host === '0.0.0.0' || config.server.host === '::' ? '127.0.0.1' : config.server.host;
  basics.log.info({ port, channels: [...channels.keys()] }, 'gateway listening');

  return {
    url: `http://${host}:${port}`,
    store: basics.store,
    channels,
    bus,
    send,
    care,
    ...(metrics?.url ? { metricsUrl: metrics.url } : {}),
    async idle() {
      await inbox.idle();
      await care.idle();
      await outbox.idle();
    },
    async close() {
      await app.close();
      await metrics?.close();
      turns.mail.close();
      for (const adapter of channels.values()) await adapter.stop?.();
      await turns.handoff.stop();
      await inbox.stop();
      await care.stop();
      await turns.retention.stop();
      await outbox.stop();
      for (const off of unrelay) off();
      await basics.live.close();
      await basics.store.close();
    },
  };
}

/**
 * What a committed turn announces: the live bus (console, care), the passive-reply waiter,
 * and the shopper's other web-chat tabs, which see the shopper's own message at once.
 */
function conversationEvents(deps: {
  bus: ConversationBus;
  passive: { turnCommitted(inboxId: number, messages: StoredMessage[]): void };
  webchat: WebchatAdapter | undefined;
}) {
  return (conv: Conversation, messages: StoredMessage[], inboxId: number, patch?: TurnCommit['conversation']) => {
    deps.passive.turnCommitted(inboxId, messages);
    const updated = patch ? { ...conv, ...patch } : conv;
    if (messages.length) deps.bus.emit({ type: 'messages', conversation: updated, messages });
    if (patch?.state && patch.state !== conv.state) deps.bus.emit({ type: 'state', conversation: updated, previous: conv.state });
    if (deps.webchat?.id !== conv.channelId) return;
    for (const m of messages) if (m.role === 'shopper') deps.webchat.hub.publish(conv.ref.chatId, { type: 'message', message: toWire(m) });
  };
}
