import { PlatformServer, type Received } from './platform-server.js';

/** A request the local provider server received. */
export interface Seen extends Received {
  /** The parsed body, loosely typed: tests assert on it field by field. */
  json: any;
}

/** What the server answers; `delayMs` holds the answer back (timeouts). */
export interface Reply {
  status?: number;
  json?: unknown;
  delayMs?: number;
}

/**
 * A local HTTP server speaking a translation provider's protocol, recording every request so
 * tests can assert on what the real client code sent.
 */
export class ProviderServer {
  private readonly server: PlatformServer;
  readonly seen: Seen[];

  constructor(public reply: (req: Seen) => Reply) {
    this.server = new PlatformServer((req) => {
      const { status, json, delayMs } = this.reply(req as Seen);
      return { ...(status ? { status } : {}), json: json ?? {}, ...(delayMs ? { delayMs } : {}) };
    });
    this.seen = this.server.received as Seen[];
  }

  get url(): string {
    return this.server.url;
  }

  async start(): Promise<this> {
    await this.server.start();
    return this;
  }

  close(): Promise<void> {
    return this.server.stop();
  }
}
