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
  /** Called with the chat of every reply, after any waiter is woken. */
  onReply: ((chat: string) => void) | undefined;

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
        this.onReply?.(chat);
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

/** What an open-loop run saw: latency from POST to the reply at the sink, and replies per update. */
export interface OpenLoopResult {
  sent: number;
  /** POSTs not answered 200. */
  rejected: number;
  replied: number;
  /** Replies beyond one per update. */
  duplicates: number;
  /** Updates without a reply after the drain. */
  missing: number;
  p50: number;
  p99: number;
  max: number;
}

/**
 * Open loop: sends `rate` updates a second for `durationMs` whatever the replies do, each to one of
 * `rate * 4` chats in turn (so a chat's previous update is normally answered before its next one),
 * then waits up to `drainMs` for the rest. Each chat's replies answer its updates in order.
 */
export async function runOpenLoop(options: {
  rate: number;
  durationMs: number;
  drainMs?: number;
  sink: ReplySink;
  firstChat: number;
  send(chat: string, i: number): Promise<number>;
}): Promise<OpenLoopResult> {
  const chats = options.rate * 4;
  const pending = new Map<string, number[]>();
  const latencies: number[] = [];
  let duplicates = 0;
  let rejected = 0;
  let outstanding = 0;
  let allSent = false;
  let drained: () => void = () => undefined;
  options.sink.onReply = (chat) => {
    const sentAt = pending.get(chat)?.shift();
    if (sentAt === undefined) return void duplicates++;
    latencies.push(performance.now() - sentAt);
    if (--outstanding === 0 && allSent) drained();
  };
  const total = Math.round((options.rate * options.durationMs) / 1000);
  const started = performance.now();
  for (let n = 0; n < total;) {
    const due = Math.min(total, Math.floor(((performance.now() - started) * options.rate) / 1000) + 1);
    for (; n < due; n++) {
      const chat = String(options.firstChat + (n % chats));
      const queue = pending.get(chat) ?? [];
      pending.set(chat, queue);
      queue.push(performance.now());
      outstanding++;
      void options.send(chat, sequence++).then((status) => status !== 200 && rejected++);
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  allSent = true;
  if (outstanding > 0) {
    await new Promise<void>((resolve) => {
      drained = resolve;
      setTimeout(resolve, options.drainMs ?? 30_000);
    });
  }
  // Late duplicates: a second reply shortly after the first would count here.
  await new Promise((r) => setTimeout(r, 300));
  options.sink.onReply = undefined;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { sent: total, rejected, replied: latencies.length, duplicates, missing: total - latencies.length, p50: at(0.5), p99: at(0.99), max: at(1) };
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
