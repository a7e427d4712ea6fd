import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a local platform server received. */
export interface Received {
  method: string;
  /** The request target as sent, query included. */
  url: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
  /** The body's bytes as received (a multipart upload, a binary file). */
  bytes: Buffer;
  json?: unknown;
}

/** What a route answers: `json`, or `text`, or `bytes` sent as they are, or a `stream` it writes itself. */
export interface Answer {
  status?: number;
  json?: unknown;
  text?: string;
  bytes?: Buffer;
  headers?: Record<string, string>;
  /** Answer this much later (a slow platform). */
  delayMs?: number;
  /**
   * Writes the whole response (status, headers, chunks) instead of the fields above: server-sent
   * events, or a connection dropped mid-answer with `res.destroy()`.
   */
  stream?: (res: ServerResponse) => void | Promise<void>;
}

/** How a {@link PlatformServer} runs. */
export interface PlatformServerOptions {
  /** `false` keeps nothing in `received` (benchmarks). Default true. */
  record?: boolean;
  /** How long an idle kept-alive connection stays open (Node's default is 5 s). */
  keepAliveMs?: number;
}

/**
 * A local HTTP server standing in for a platform's API (Bot API, Graph, WeChat, LINE, a model
 * provider...): records every request and answers from the routes the test gives, so the real
 * client code runs against it. A route may be async; one that throws drops the connection.
 *
 * @example
 * const api = await new PlatformServer((req) => ({ json: { ok: true, path: req.path } })).start();
 * await fetch(`${api.url}/send`, { method: 'POST', body: '{}' });
 * api.calls(/\/send$/); // [{ method: 'POST', path: '/send', ... }]
 * await api.stop();
 */
export class PlatformServer {
  readonly received: Received[] = [];
  private server: Server | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  url = '';

  constructor(
    private readonly route: (req: Received) => Answer | Promise<Answer>,
    private readonly options: PlatformServerOptions = {},
  ) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const rec = received(req, Buffer.concat(chunks));
        if (this.options.record !== false) this.received.push(rec);
        Promise.resolve()
          .then(() => this.route(rec))
          .then((answer) => this.answer(res, answer))
          .catch(() => res.destroy());
      });
    });
    if (this.options.keepAliveMs) this.server.keepAliveTimeout = this.options.keepAliveMs;
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Requests to paths matching `pattern`. */
  calls(pattern: RegExp): Received[] {
    return this.received.filter((r) => pattern.test(r.path));
  }

  /** Closes every connection; answers still held back by `delayMs` are dropped. */
  stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    return new Promise((resolve) => {
      if (!this.server) return resolve();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async answer(res: ServerResponse, answer: Answer): Promise<void> {
    if (answer.delayMs) await this.wait(answer.delayMs);
    // The client gave up meanwhile (its timeout): nothing to answer.
    if (res.destroyed || res.socket?.destroyed) return;
    if (answer.stream) return answer.stream(res);
    const json = answer.json !== undefined || answer.bytes !== undefined;
    res.writeHead(answer.status ?? 200, { 'content-type': json ? 'application/json' : 'text/plain', ...answer.headers });
    res.end(answer.bytes ?? (answer.json !== undefined ? JSON.stringify(answer.json) : (answer.text ?? '')));
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }
}

function received(req: IncomingMessage, bytes: Buffer): Received {
  const url = new URL(req.url ?? '/', 'http://local');
  const body = bytes.toString('utf8');
  const rec: Received = { method: req.method ?? 'GET', url: req.url ?? '/', path: url.pathname, query: url.searchParams, headers: req.headers, body, bytes };
  try {
    rec.json = body ? JSON.parse(body) : undefined;
  } catch {
    // not JSON: form or XML bodies stay in `body`
  }
  return rec;
}

/** A canned answer a test queues up; `body` as a Buffer is sent as is, anything else as JSON. */
export interface Canned {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * A {@link PlatformServer} that answers from `answers` in order while there are any, then with
 * `otherwise` (the platform's usual success), so a test can script failures before success.
 */
export async function scriptedServer(otherwise: (req: Received, count: number) => Answer): Promise<{ server: PlatformServer; answers: Canned[] }> {
  const answers: Canned[] = [];
  const server: PlatformServer = await new PlatformServer((req): Answer => {
    const next = answers.shift();
    if (!next) return otherwise(req, server.received.length);
    const body = next.body;
    return {
      status: next.status,
      ...(Buffer.isBuffer(body) ? { bytes: body } : body === undefined ? {} : { json: body }),
      ...(next.headers ? { headers: next.headers } : {}),
    };
  }).start();
  return { server, answers };
}
