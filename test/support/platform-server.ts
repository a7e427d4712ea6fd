import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a local platform server received. */
export interface Received {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
  json?: unknown;
}

/** What a route answers: `json`, or `text`, or `bytes` sent as they are. */
export interface Answer {
  status?: number;
  json?: unknown;
  text?: string;
  bytes?: Buffer;
  headers?: Record<string, string>;
  /** Answer this much later (a slow platform). */
  delayMs?: number;
}

/**
 * A local HTTP server standing in for a platform's API (Bot API, Graph, WeChat, LINE...):
 * records every request and answers from the routes the test gives, so the real client code
 * runs against it.
 */
export class PlatformServer {
  readonly received: Received[] = [];
  private server: Server | undefined;
  url = '';

  constructor(private readonly route: (req: Received) => Answer) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://local');
        const body = Buffer.concat(chunks).toString('utf8');
        const rec: Received = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body };
        try {
          rec.json = body ? JSON.parse(body) : undefined;
        } catch {
          // not JSON: form or XML bodies stay in `body`
        }
        this.received.push(rec);
        const answer = this.route(rec);
        const json = answer.json !== undefined || answer.bytes !== undefined;
        const send = () => {
          res.writeHead(answer.status ?? 200, { 'content-type': json ? 'application/json' : 'text/plain', ...answer.headers });
          res.end(answer.bytes ?? (answer.json !== undefined ? JSON.stringify(answer.json) : (answer.text ?? '')));
        };
        if (answer.delayMs) setTimeout(send, answer.delayMs);
        else send();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Requests to paths matching `pattern`. */
  calls(pattern: RegExp): Received[] {
    return this.received.filter((r) => pattern.test(r.path));
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server) return resolve();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
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
