import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local platform API that answers every call and wakes whoever waits for a reply to a chat.
 * `chatOf` reads the chat id out of a send call (Bot API sendMessage, Slack chat.postMessage).
 */
export class ReplySink {
  private readonly waiters = new Map<string, () => void>();
  private server: Server | undefined;
  url = '';
  sends = 0;

  constructor(
    private readonly chatOf: (path: string, body: string) => string | undefined,
    private readonly answer: (path: string) => unknown,
  ) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '/';
        const chat = this.chatOf(path, Buffer.concat(chunks).toString('utf8'));
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(this.answer(path)));
        if (chat === undefined) return;
        this.sends++;
        const wake = this.waiters.get(chat);
        this.waiters.delete(chat);
        wake?.();
      });
    });
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Resolves when the next reply to `chat` arrives (or after `ms`, as a failure). */
  replyTo(chat: string, ms = 10_000): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(chat);
        resolve(false);
      }, ms);
      this.waiters.set(chat, () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

// Platform event ids stay unique across runs: a repeated id would be (rightly) deduplicated.
let sequence = 0;

/** Closed-loop turns: `chats` shoppers each send, wait for the answer, send again. */
export async function runTurns(options: {
  chats: number;
  durationMs: number;
  sink: ReplySink;
  send(chat: string, i: number): Promise<number>;
}): Promise<{ turns: number; failures: number; perSecond: number }> {
  let turns = 0;
  let failures = 0;
  const deadline = performance.now() + options.durationMs;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.chats }, async (_, c) => {
      const chat = String(100_000 + c);
      while (performance.now() < deadline) {
        const reply = options.sink.replyTo(chat);
        const status = await options.send(chat, sequence++);
        if (status !== 200 || !(await reply)) failures++;
        else turns++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { turns, failures, perSecond: turns / seconds };
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

/** POSTs a JSON body to the local gateway or baseline over a keep-alive connection; resolves with the status (0 on a network error). */
export function postJson(port: number, path: string, body: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

/** Closes the keep-alive connections of {@link postJson}. */
export function closeConnections(): void {
  agent.destroy();
}
