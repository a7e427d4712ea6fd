/**
 * Builds the human handoff and the agent console from the configuration, so the composition
 * root only has to plug them in: the pipeline port, the service, the routes.
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { GatewayConfig } from '../../config/load.js';
import type { ChannelAdapter } from '../../core/adapter.js';
import type { ConversationBus } from '../../core/events.js';
import type { HandoffPort } from '../../core/pipeline.js';
import type { Clock, Logger, TranslatorPort } from '../../core/ports.js';
import type { Sender } from '../../core/send.js';
import type { Store } from '../../core/store.js';
import { hashPassword } from '../../handoff/passwords.js';
import { createHandoffPort } from '../../handoff/port.js';
import { AgentPresence } from '../../handoff/presence.js';
import type { RecentOrders } from '../../handoff/orders.js';
import { createHandoffService, type HandoffService } from '../../handoff/service.js';
import { HandoffStore } from '../../handoff/store.js';
import type { Localizer } from '../../language/i18n.js';
import type { Privacy } from '../../privacy/index.js';
import type { MediaStore } from '../../media/port.js';
import type { MediaLinks } from '../media-links.js';
import type { SqlDriver } from '../../store/driver.js';
import { mountConsole } from './index.js';
import { Reports } from '../../reports/index.js';

export interface HandoffWiringDeps {
  driver: SqlDriver;
  store: Store;
  bus: ConversationBus;
  send: Sender;
  translator: TranslatorPort;
  channel(id: string): ChannelAdapter | undefined;
  localizer: Localizer;
  clock: Clock;
  log: Logger;
  /** Reloads the knowledge base; resolves to its number of sections. */
  reloadKnowledge(): Promise<number>;
  /** Where `web/console` lives. */
  webDir: string;
  /** An order's total for the order-value rule, when an orders connector exists. */
  orderTotal?(orderId: string): Promise<number | undefined>;
  /** The shopper's recent orders in the conversation view, when an orders connector exists. */
  recentOrders?: RecentOrders;
  /** Export and erasure for the console's admins. */
  privacy: Privacy;
  /** This gateway instance (its rows of agents' presence, the auto-assignment lease). */
  instanceId: string;
  /** Stored media agents open from the console (`GET /console/api/media/:id`). */
  media?: MediaStore;
  /** Signs the public links platforms fetch agents' attachments from (`GET /media/:id`). */
  mediaLinks?: MediaLinks;
}

export interface HandoffWiring {
  port: HandoffPort;
  service: HandoffService;
  handoffs: HandoffStore;
  mount(app: FastifyInstance): void;
  /** Console sockets open on this instance. */
  openSockets(): number;
  start(): void;
  stop(): Promise<void>;
}

/** Creates the first admin from `console.admin` when there are no agents yet. */
async function bootstrapAdmin(config: GatewayConfig, handoffs: HandoffStore, now: number, log: Logger): Promise<void> {
  if ((await handoffs.countAgents()) > 0) return;
  const admin = config.console.admin;
  if (!admin?.password) {
    log.warn({}, 'no console agents yet: set console.admin.email and console.admin.password (PARLEY_ADMIN_PASSWORD) to create the first admin');
    return;
  }
  await handoffs.createAgent(
    {
      id: randomUUID(),
      email: admin.email,
      name: admin.name,
      role: 'admin',
      language: admin.language,
      languages: [admin.language],
      skills: [],
      capacity: config.handoff.defaultCapacity,
      passwordHash: await hashPassword(admin.password),
    },
    now,
  );
  log.info({ email: admin.email }, 'first console admin created');
}

/** Builds the handoff port, service and console routes. */
export async function createHandoffWiring(config: GatewayConfig, deps: HandoffWiringDeps): Promise<HandoffWiring> {
  const handoffs = new HandoffStore(deps.driver);
  const now = () => deps.clock.now();
  const log = deps.log.child({ stage: 'handoff' });
  await bootstrapAdmin(config, handoffs, now(), log);
  // Teams in the config are the source of truth for their ids; teams made in the console stay.
  for (const team of config.handoff.teams) await handoffs.saveTeam({ ...team, hours: team.hours ?? {}, holidays: [...team.holidays] } as never, now());
  const localize = (lng: string | undefined) => deps.localizer.forLanguage(lng);
  const presence = new AgentPresence({ driver: deps.driver, instanceId: deps.instanceId, now, log });
  // The embedded database has one owner: the consoles a dead process counted are gone with it.
  if (deps.driver.dialect === 'sqlite') await presence.forgetAll();
  const service = createHandoffService({
    store: deps.store,
    handoffs,
    bus: deps.bus,
    send: deps.send,
    translator: deps.translator,
    channel: deps.channel,
    localize,
    shop: config.shop,
    settings: config.handoff,
    now,
    log,
    presence,
    instanceId: deps.instanceId,
  });
  await service.loadTeams();
  const port = createHandoffPort({
    store: deps.store,
    handoffs,
    settings: config.handoff,
    minConfidence: config.knowledge.minConfidence,
    teams: () => service.teams(),
    localize,
    now,
    ...(deps.orderTotal ? { orderTotal: deps.orderTotal } : {}),
  });
  return {
    port,
    service,
    handoffs,
    openSockets: () => presence.openSockets,
    mount(app) {
      mountConsole(app, {
        service,
        handoffs,
        store: deps.store,
        translator: deps.translator,
        localizer: deps.localizer,
        shop: config.shop,
        settings: config.console,
        defaultCapacity: config.handoff.defaultCapacity,
        knowledgeDir: resolve(config.knowledge.dir),
        reloadKnowledge: deps.reloadKnowledge,
        secureCookies: config.server.publicUrl.startsWith('https:'),
        loginLimit: config.rateLimits.consoleLogin,
        webDir: deps.webDir,
        now,
        log,
        ...(deps.recentOrders ? { recentOrders: deps.recentOrders } : {}),
        ...(deps.media ? { media: deps.media } : {}),
        ...(deps.media && deps.mediaLinks ? { attachments: { store: deps.media, settings: config.media, links: deps.mediaLinks } } : {}),
        privacy: deps.privacy,
        reports: new Reports(deps.driver.reader(), config.reports),
      });
    },
    start: () => service.start(),
    stop: () => service.stop(),
  };
}
