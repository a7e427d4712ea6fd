import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import type { AdapterContext, Leases } from '../../src/core/adapter.js';
import type { InboundEvent } from '../../src/core/message.js';
import { silentLogger } from '../../src/core/ports.js';
import type {
  DownloadedMedia,
  WhatsAppWebClient,
  WhatsAppWebClientOptions,
  WhatsAppWebContent,
  WhatsAppWebSendOptions,
} from '../../adapters/whatsapp-web/client.js';
import type { WebMessageInput } from '../../adapters/whatsapp-web/wire.js';

/** Test support for the WhatsApp Web adapter: fixtures, a fake whatsapp-web.js client, shared leases. */

/** A fixture: a plain object shaped like whatsapp-web.js's `Message` (see fixtures/PROVENANCE.md). */
export function fixture(name: string): WebMessageInput & Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../adapters/whatsapp-web/fixtures/${name}.json`, import.meta.url), 'utf8'));
}

/** One `sendMessage` call the fake client received. */
export interface SentCall {
  chatId: string;
  content: WhatsAppWebContent;
  options: WhatsAppWebSendOptions | undefined;
}

/**
 * A stand-in for whatsapp-web.js's `Client`: an EventEmitter emitting the library's events,
 * recording calls. `sendMessage` answers like the library (a `Message` with `id._serialized`)
 * unless `failNext` holds an error.
 */
export class FakeClient extends EventEmitter implements WhatsAppWebClient {
  initialized = 0;
  destroyed = 0;
  sent: SentCall[] = [];
  failNext: Error | undefined;
  media = new Map<string, DownloadedMedia>();
  typing: string[] = [];

  constructor(readonly options: WhatsAppWebClientOptions) {
    super();
  }

  async initialize(): Promise<void> {
    this.initialized += 1;
  }

  async destroy(): Promise<void> {
    this.destroyed += 1;
  }

  async sendMessage(chatId: string, content: WhatsAppWebContent, options?: WhatsAppWebSendOptions) {
    const error = this.failNext;
    this.failNext = undefined;
    if (error) throw error;
    this.sent.push({ chatId, content, options });
    return { id: { _serialized: `true_${chatId}_3EB0${String(this.sent.length).padStart(16, '0')}` } };
  }

  async downloadMedia(messageId: string): Promise<DownloadedMedia | undefined> {
    return this.media.get(messageId);
  }

  async sendStateTyping(chatId: string): Promise<void> {
    this.typing.push(chatId);
  }
}

/** Leases kept in one map, so two adapters given the same object compete like two instances. */
export class FakeLeases implements Leases {
  readonly holders = new Map<string, { owner: string; until: number }>();
  acquired = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** The leases as seen by one instance. */
  for(owner: string): Leases {
    return {
      acquire: async (name, ttlMs) => {
        this.acquired += 1;
        const held = this.holders.get(name);
        if (held && held.owner !== owner && held.until > this.now()) return false;
        this.holders.set(name, { owner, until: this.now() + ttlMs });
        return true;
      },
      release: async (name) => {
        if (this.holders.get(name)?.owner === owner) this.holders.delete(name);
      },
    };
  }

  async acquire(name: string, ttlMs: number): Promise<boolean> {
    return this.for('default').acquire(name, ttlMs);
  }

  async release(name: string): Promise<void> {
    return this.for('default').release(name);
  }
}

/** An in-memory {@link AdapterContext} recording what was ingested. */
export function testContext(overrides: Partial<AdapterContext> = {}): AdapterContext & { ingested: InboundEvent[]; stateMap: Map<string, string> } {
  const ingested: InboundEvent[] = [];
  const stateMap = new Map<string, string>();
  return {
    channelId: 'wa-web',
    log: silentLogger,
    clock: { now: () => 1_717_200_000_000 },
    fetch: globalThis.fetch,
    webhookPath: '/webhooks/wa-web',
    inbox: {
      accept: async (events) => {
        ingested.push(...events);
      },
    },
    state: {
      get: async (key) => stateMap.get(key),
      set: async (key, value) => {
        stateMap.set(key, value);
      },
    },
    leases: new FakeLeases().for('instance-a'),
    dataDir: '/tmp/parley-wa-web-test',
    signingSecret: 'gateway-signing-secret',
    ingested,
    stateMap,
    ...overrides,
  };
}

/** Waits until `check` holds (the session works in the background). */
export async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}
