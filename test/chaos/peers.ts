/**
 * The platforms' APIs during a chaos run: one local server per platform that records every
 * message it accepted and fails a share of all calls, as a busy platform does — 429 (with the
 * platform's own retry hint), 500, or no answer at all (held past the adapters' 10 s timeout).
 * A failed call never delivers anything, so every duplicate a chat shows is the gateway's.
 */
import { type Answer, PlatformServer, type Received } from '../support/platform-server.js';

export type Platform = 'telegram' | 'whatsapp' | 'line';

/** One message a platform accepted for a chat. */
export interface Sent {
  platform: Platform;
  chat: string;
  text: string;
  at: number;
}

/** What the platforms counted besides the messages themselves. */
export interface PeerCounts {
  calls: number;
  failed: { 429: number; 500: number; timeout: number };
  /** LINE pushes refused with 409 because their `X-Line-Retry-Key` was already accepted. */
  retryKeyConflicts: number;
  /** LINE replies refused because their reply token was already used. */
  spentReplyTokens: number;
}

/** Held this long, a call outlives every adapter's timeout (10 s), so the client gives up. */
const HANG_MS = 12_000;
// Setup calls (webhook registration at start) always pass: a gateway that cannot start is a different test.
const SETUP = /\/(setWebhook|deleteWebhook|getMe|getWebhookInfo)$|\/webhook\/endpoint$/;

/** The three platform servers and what they saw. */
export class PlatformPeers {
  readonly sent: Sent[] = [];
  readonly counts: PeerCounts = { calls: 0, failed: { 429: 0, 500: 0, timeout: 0 }, retryKeyConflicts: 0, spentReplyTokens: 0 };
  private readonly servers: Record<Platform, PlatformServer>;
  private readonly retryKeys = new Set<string>();
  private readonly replyTokens = new Set<string>();
  private nextId = 1;

  constructor(private readonly failRate: number) {
    const make = (platform: Platform) => new PlatformServer((req) => this.route(platform, req), { record: false, keepAliveMs: 30_000 });
    this.servers = { telegram: make('telegram'), whatsapp: make('whatsapp'), line: make('line') };
  }

  async start(): Promise<this> {
    await Promise.all(Object.values(this.servers).map((s) => s.start()));
    return this;
  }

  url(platform: Platform): string {
    return this.servers[platform].url;
  }

  async stop(): Promise<void> {
    await Promise.all(Object.values(this.servers).map((s) => s.stop()));
  }

  private route(platform: Platform, req: Received): Answer {
    if (SETUP.test(req.path)) return platform === 'telegram' ? { json: { ok: true, result: true } } : { json: {} };
    this.counts.calls += 1;
    const roll = Math.random();
    if (roll < this.failRate) return this.failure(platform, roll / this.failRate);
    if (platform === 'telegram') return this.telegram(req);
    if (platform === 'whatsapp') return this.whatsapp(req);
    return this.line(req);
  }

  /** `share` in [0, 1) picks the kind: a third each. */
  private failure(platform: Platform, share: number): Answer {
    if (share < 1 / 3) {
      this.counts.failed[429] += 1;
      if (platform === 'telegram') {
        // https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this
        return { status: 429, json: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } } };
      }
      if (platform === 'whatsapp') {
        // https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes (130429: throughput reached)
        return { status: 429, json: { error: { message: 'Rate limit hit', type: 'OAuthException', code: 130429 } } };
      }
      // https://developers.line.biz/en/reference/messaging-api/#status-codes (no Retry-After documented)
      return { status: 429, json: { message: 'The API rate limit has been exceeded. Try again later.' } };
    }
    if (share < 2 / 3) {
      this.counts.failed[500] += 1;
      return {
        status: 500,
        json: platform === 'telegram' ? { ok: false, error_code: 500, description: 'Internal Server Error' } : { message: 'Internal error' },
      };
    }
    this.counts.failed.timeout += 1;
    return { delayMs: HANG_MS, status: 500, json: {} };
  }

  private record(platform: Platform, chat: string, text: string): void {
    this.sent.push({ platform, chat, text, at: Date.now() });
    if (process.env.CHAOS_DEBUG && !/Ref [a-j]+/.test(text)) console.log('OTHER', platform, chat, text.slice(0, 300));
  }

  private telegram(req: Received): Answer {
    const body = (req.json ?? {}) as { chat_id?: unknown; text?: unknown };
    const method = req.path.split('/').pop();
    if (method !== 'sendMessage') return { json: { ok: true, result: true } };
    this.record('telegram', String(body.chat_id), String(body.text ?? ''));
    return {
      json: { ok: true, result: { message_id: this.nextId++, date: Math.floor(Date.now() / 1000), chat: { id: Number(body.chat_id), type: 'private' } } },
    };
  }

  private whatsapp(req: Received): Answer {
    const body = (req.json ?? {}) as { to?: unknown; type?: unknown; text?: { body?: unknown } };
    // Read receipts and typing indicators go to the same endpoint without a `to`.
    if (typeof body.to !== 'string') return { json: { success: true } };
    this.record('whatsapp', body.to, String(body.text?.body ?? JSON.stringify(body)));
    return { json: { messaging_product: 'whatsapp', contacts: [{ input: body.to, wa_id: body.to }], messages: [{ id: `wamid.out${this.nextId++}` }] } };
  }

  /**
   * LINE's rules: a reply token works once (then 400 "Invalid reply token"); a push whose
   * `X-Line-Retry-Key` was already accepted answers 409 and sends nothing.
   * https://developers.line.biz/en/docs/messaging-api/retrying-api-request/
   */
  private line(req: Received): Answer {
    const body = (req.json ?? {}) as { to?: unknown; replyToken?: unknown; messages?: { text?: unknown }[] };
    const sentMessages = (body.messages ?? []).map(() => ({ id: String(this.nextId++), quoteToken: 'q' }));
    const texts = (body.messages ?? []).map((m) => String(m.text ?? ''));
    if (req.path === '/v2/bot/message/reply') {
      const token = String(body.replyToken);
      if (this.replyTokens.has(token)) {
        this.counts.spentReplyTokens += 1;
        return { status: 400, json: { message: 'Invalid reply token' } };
      }
      this.replyTokens.add(token);
      // The tests' reply tokens are `rt.<chat>.<n>`.
      for (const text of texts) this.record('line', token.split('.')[1] ?? '?', text);
      return { json: { sentMessages } };
    }
    if (req.path === '/v2/bot/message/push') {
      const key = String(req.headers['x-line-retry-key'] ?? '');
      if (key && this.retryKeys.has(key)) {
        this.counts.retryKeyConflicts += 1;
        return { status: 409, json: { message: 'The retry key is already accepted', sentMessages } };
      }
      if (key) this.retryKeys.add(key);
      for (const text of texts) this.record('line', String(body.to), text);
      return { json: { sentMessages } };
    }
    return { json: {} };
  }
}
