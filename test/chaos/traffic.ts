/**
 * The shoppers of a chaos run. Platform chats: numbered messages posted as the platform posts
 * webhooks — to any live instance, the next one only after a 2xx, a share of them delivered
 * again later with the same event id. Web chat: a socket on a random instance; when the
 * instance dies, the widget reconnects elsewhere and syncs what it missed.
 */
import { createHmac } from 'node:crypto';
import WebSocket from 'ws';
import { whatsappText } from '../support/local-channels.js';
import { openSession } from '../support/webchat-client.js';
import { type Instance, LINE, TG } from './cluster.js';
import type { Platform } from './peers.js';

const QUESTIONS = [
  'How long does shipping to Germany take?',
  'Do you accept PayPal?',
  'When do I get my money back after a return?',
  'Is shipping free to the Netherlands?',
  'How do I clean the aquarium filter?',
];

/** The shopper's n-th message: a question the shop's knowledge answers, numbered. */
const question = (n: number): string => `Question ${n}: ${QUESTIONS[n % QUESTIONS.length]}`;
/** A number in letters (0 -> "a", 12 -> "bc"): a tag the guardrails do not read as a figure. */
export const refTag = (n: number): string => [...String(n)].map((d) => String.fromCharCode(97 + Number(d))).join('');
/** The number an answer carries (the local model tags it), if any. */
export const answerNumber = (text: string): number | undefined => {
  const m = /Ref ([a-j]+)\b/.exec(text);
  return m ? Number([...(m[1] ?? '')].map((c) => c.charCodeAt(0) - 97).join('')) : undefined;
};

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const between = (min: number, max: number) => min + Math.random() * (max - min);

/** The live instances now (a load balancer's view). */
export type Pool = () => Instance[];

function pick(pool: Pool): Instance | undefined {
  const live = pool();
  return live[Math.floor(Math.random() * live.length)];
}

/** What webhook senders counted. */
export interface WebhookCounts {
  posts: number;
  redeliveries: number;
  /** Posts refused or cut (instance dead or dying) and sent again elsewhere. */
  refused: number;
}

interface Webhook {
  path: string;
  body: string;
  headers: Record<string, string>;
}

let updateId = 500_000;

/** The platform's webhook for message `n` of `chat`; `again` marks LINE's redelivery flag. */
function webhook(platform: Platform, chat: string, n: number, at: number, again: boolean): Webhook {
  const text = question(n);
  if (platform === 'telegram') {
    const body = JSON.stringify({
      update_id: updateId++,
      message: {
        message_id: n,
        date: Math.floor(at / 1000),
        chat: { id: Number(chat), type: 'private' },
        from: { id: Number(chat), is_bot: false, first_name: 'S', language_code: 'en' },
        text,
      },
    });
    return { path: '/webhooks/tg', body, headers: { 'x-telegram-bot-api-secret-token': TG.secret } };
  }
  if (platform === 'whatsapp') {
    const { body, signature } = whatsappText({ from: chat, name: 'S', id: `wamid.chaos.${chat}.${n}`, text, at });
    return { path: '/webhooks/wa', body, headers: { 'x-hub-signature-256': signature } };
  }
  const body = JSON.stringify({
    destination: 'U0bot',
    events: [
      {
        type: 'message',
        mode: 'active',
        timestamp: at,
        webhookEventId: `01CHAOS${chat}N${n}`,
        deliveryContext: { isRedelivery: again },
        source: { type: 'user', userId: chat },
        replyToken: `rt.${chat}.${n}`,
        message: { id: `${chat.replace(/\D/g, '')}00000${n}`, type: 'text', quoteToken: 'q', text },
      },
    ],
  });
  return { path: '/webhooks/line', body, headers: { 'x-line-signature': createHmac('sha256', LINE.secret).update(body).digest('base64') } };
}

/** Posts until some live instance answers 2xx (a dead one refuses, a dying one cuts the request). */
async function postUntilAccepted(pool: Pool, hook: Webhook, counts: WebhookCounts): Promise<void> {
  for (;;) {
    const instance = pick(pool);
    if (instance) {
      counts.posts += 1;
      const res = await fetch(`${instance.url}${hook.path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...hook.headers },
        body: hook.body,
        signal: AbortSignal.timeout(10_000),
      }).catch(() => undefined);
      await res?.body?.cancel();
      if (res?.ok) return;
      if (res && res.status < 500) throw new Error(`webhook ${hook.path} refused with ${res.status}`);
      counts.refused += 1;
    }
    await sleep(100);
  }
}

/**
 * Sends messages 1, 2, ... of one chat in order until `end`; each is posted again later with
 * probability `redeliver` (same event id). Resolves with how many it sent, once every post,
 * redeliveries included, got a 2xx.
 */
export async function platformChat(pool: Pool, platform: Platform, chat: string, end: number, redeliver: number, counts: WebhookCounts): Promise<number> {
  const later: Promise<void>[] = [];
  let n = 0;
  while (Date.now() < end) {
    n += 1;
    const at = Date.now();
    const hook = webhook(platform, chat, n, at, false);
    await postUntilAccepted(pool, hook, counts);
    if (Math.random() < redeliver) {
      counts.redeliveries += 1;
      // The same update again; LINE flags its redeliveries.
      const again = platform === 'line' ? webhook(platform, chat, n, at, true) : hook;
      later.push(sleep(between(0, 3000)).then(() => postUntilAccepted(pool, again, counts)));
    }
    // Telegram and WhatsApp take at most one message a second per chat, and here a fifth of the
    // calls fail (a fifteenth hang for the 10 s timeout): a reply costs ~1.9 s of a chat's ordered
    // queue on average, so a chat writing faster than that only queues up behind itself.
    await sleep(between(1500, 3500));
  }
  await Promise.all(later);
  return n;
}

/** A bot message the web chat shopper saw, and how. */
export interface Seen {
  at: number;
  how: 'live' | 'sync';
  text: string;
  seq: number;
}

/** One web chat shopper: numbered messages over a socket that follows the live instances. */
export class WebchatShopper {
  readonly seen = new Map<string, Seen>();
  /** When each (re)connected socket was ready and asked for what it missed. */
  readonly syncs: number[] = [];
  /** The stored id of message n (`m<inbox id>-in`), from the acks. */
  readonly inboundIds = new Map<number, string>();
  private ws: WebSocket | undefined;
  private lastSeq = 0;
  private acks = new Map<string, (id: string | undefined) => void>();
  private closed = false;
  private connecting: Promise<void> | undefined;
  token = '';
  conversationId = '';

  constructor(private readonly pool: Pool) {}

  async open(): Promise<void> {
    for (;;) {
      const instance = pick(this.pool);
      const session = instance ? await openSession(instance.url).catch(() => undefined) : undefined;
      if (session) {
        this.token = session.token;
        this.conversationId = session.conversationId;
        break;
      }
      await sleep(100);
    }
    await this.connect();
  }

  /** Connects to a live instance (retrying), then syncs everything after the last seq seen. */
  private connect(): Promise<void> {
    this.connecting ??= (async () => {
      while (!this.closed) {
        const instance = pick(this.pool);
        if (instance && (await this.tryConnect(instance))) break;
        await sleep(100);
      }
    })().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private tryConnect(instance: Instance): Promise<boolean> {
    return new Promise((resolve) => {
      const ws = new WebSocket(`${instance.url.replace('http', 'ws')}/webchat/socket?token=${encodeURIComponent(this.token)}`);
      ws.on('message', (data) => {
        const frame = JSON.parse(String(data)) as Record<string, unknown>;
        if (frame.type === 'ready') {
          this.ws = ws;
          this.syncs.push(Date.now());
          ws.send(JSON.stringify({ type: 'sync', after: this.lastSeq }));
          resolve(true);
        } else this.onFrame(frame);
      });
      ws.on('error', () => resolve(false));
      ws.on('close', () => {
        resolve(false);
        if (this.ws !== ws) return;
        this.ws = undefined;
        for (const settle of this.acks.values()) settle(undefined);
        if (!this.closed) void this.connect();
      });
    });
  }

  private onFrame(frame: Record<string, unknown>): void {
    if (frame.type === 'ack') this.acks.get(String(frame.clientId))?.((frame.id as string | undefined) ?? 'duplicate');
    if (frame.type === 'message') this.saw(frame.message as WireMessage, 'live');
    if (frame.type === 'history') for (const m of frame.messages as WireMessage[]) this.saw(m, 'sync');
  }

  private saw(m: WireMessage, how: Seen['how']): void {
    this.lastSeq = Math.max(this.lastSeq, m.seq);
    if (m.role !== 'bot' || this.seen.has(m.id)) return;
    this.seen.set(m.id, { at: Date.now(), how, text: m.parts.map((p) => p.text ?? '').join(' '), seq: m.seq });
  }

  /** Sends message n until the gateway acknowledges it (same clientId: a resend is deduplicated). */
  async send(n: number): Promise<void> {
    const clientId = `c${n}`;
    for (;;) {
      await this.connect();
      const ws = this.ws;
      if (!ws) continue;
      const acked = new Promise<string | undefined>((resolve) => {
        this.acks.set(clientId, resolve);
        setTimeout(() => resolve(undefined), 5000);
      });
      ws.send(JSON.stringify({ type: 'message', clientId, text: question(n) }));
      const id = await acked;
      this.acks.delete(clientId);
      if (id) {
        if (id !== 'duplicate') this.inboundIds.set(n, id);
        return;
      }
    }
  }

  /** Messages 1, 2, ... until `end`, a pause between them; resolves with how many. */
  async run(end: number): Promise<number> {
    let n = 0;
    while (Date.now() < end) {
      n += 1;
      await this.send(n);
      await sleep(between(200, 1200));
    }
    return n;
  }

  close(): void {
    this.closed = true;
    this.ws?.close();
  }
}

interface WireMessage {
  id: string;
  seq: number;
  role: string;
  parts: { text?: string }[];
}
