import type { AdapterContext, KeyValueState, Leases } from '../../src/core/adapter.js';
import type { InboundEvent } from '../../src/core/message.js';
import { silentLogger } from '../../src/core/ports.js';
import { PlatformServer, type Received } from './platform-server.js';

// Test support for the Telegram adapter: a local server speaking the Bot API's HTTP protocol,
// and in-memory AdapterContext services.

/** One request the fake Bot API received. */
export interface RecordedCall {
  method: string;
  token: string;
  path: string;
  contentType: string | undefined;
  body: Record<string, unknown>;
}

/** What a handler answers: HTTP status and JSON body. */
export interface FakeReply {
  status?: number;
  body: unknown;
}

type Handler = (call: RecordedCall) => FakeReply | Promise<FakeReply>;

/** A local Bot API: `POST /bot<token>/<method>` with a JSON body, `{ ok, result }` answers. */
export class FakeBotApi {
  readonly calls: RecordedCall[] = [];
  private readonly handlers = new Map<string, Handler>();
  private readonly server = new PlatformServer(async (req) => {
    const { status, body } = await this.handle(req);
    return { ...(status ? { status } : {}), text: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json' } };
  });
  apiRoot = '';

  /** Answers `method` with `reply` (default: `{ ok: true, result: true }`, sends get a message). */
  on(method: string, handler: Handler): this {
    this.handlers.set(method, handler);
    return this;
  }

  async listen(): Promise<this> {
    await this.server.start();
    this.apiRoot = this.server.url;
    return this;
  }

  close(): Promise<void> {
    return this.server.stop();
  }

  private async handle(req: Received): Promise<FakeReply> {
    const m = /^\/bot([^/]+)\/(\w+)$/.exec(req.url);
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(req.url);
    if (file) return { body: `file:${file[2]}` };
    if (!m || req.method !== 'POST') return { status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } };
    const call: RecordedCall = {
      method: m[2] ?? '',
      token: decodeURIComponent(m[1] ?? ''),
      path: req.url,
      contentType: req.headers['content-type'],
      body: (req.json ?? {}) as Record<string, unknown>,
    };
    this.calls.push(call);
    const handler = this.handlers.get(call.method);
    if (handler) return handler(call);
    if (call.method.startsWith('send') && call.method !== 'sendChatAction') {
      return { body: { ok: true, result: { message_id: 100 + this.calls.length, date: 0, chat: { id: Number(call.body.chat_id) } } } };
    }
    return { body: { ok: true, result: true } };
  }
}

/** In-memory KeyValueState and Leases with call records. */
function memoryServices(): { state: KeyValueState & { data: Map<string, string> }; leases: Leases & { held: Set<string>; acquired: number } } {
  const data = new Map<string, string>();
  const held = new Set<string>();
  const leases = {
    held,
    acquired: 0,
    async acquire(name: string) {
      leases.acquired += 1;
      held.add(name);
      return true;
    },
    async release(name: string) {
      held.delete(name);
    },
  };
  return {
    state: {
      data,
      get: async (key) => data.get(key),
      set: async (key, value) => void data.set(key, value),
    },
    leases,
  };
}

/** An AdapterContext with in-memory services; `ingested` collects what the inbox accepted. */
export function testContext(overrides: Partial<AdapterContext> = {}): AdapterContext & { ingested: InboundEvent[] } {
  const { state, leases } = memoryServices();
  const ingested: InboundEvent[] = [];
  return {
    channelId: 'tg-test',
    log: silentLogger,
    clock: { now: () => 1_700_000_000_000 },
    fetch,
    publicUrl: 'https://parley.example',
    webhookPath: '/webhooks/tg-test',
    inbox: { accept: async (events) => void ingested.push(...events) },
    state,
    leases,
    dataDir: '/tmp/parley-test',
    signingSecret: 'test-signing-secret',
    ingested,
    ...overrides,
  };
}
