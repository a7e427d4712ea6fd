import type { Capabilities } from './capabilities.js';
import type { ConversationRef, InboundEvent, OutboundMessage } from './message.js';
import type { Clock, Localize, Logger } from './ports.js';

/**
 * An HTTP request as an adapter sees it: the raw body bytes (signatures are computed over
 * them), lower-cased headers and the query string. Nothing has been parsed yet.
 */
export interface RawRequest {
  method: string;
  /** Path and query, e.g. `/webhooks/telegram?x=1`. */
  url: string;
  headers: Readonly<Record<string, string | undefined>>;
  query: Readonly<Record<string, string | undefined>>;
  body: Buffer;
}

declare const verifiedBrand: unique symbol;

/**
 * A request whose signature (or token) has been checked. Only `verify` can make one, so
 * `normalize` cannot be called on an unchecked body: the order is a compile-time fact.
 */
export type VerifiedRequest<T = unknown> = RawRequest & {
  readonly [verifiedBrand]: true;
  /** What verification established (decrypted body, session, ...). */
  readonly verified: T;
};

/**
 * Brands a request as verified. Call it only at the end of a successful `verify`.
 *
 * @example
 * ```ts
 * if (!safeEqual(req.headers['x-token'], secret)) return reject(401, 'bad token');
 * return accept(markVerified(req, {}));
 * ```
 */
export function markVerified<T>(req: RawRequest, verified: T): VerifiedRequest<T> {
  return { ...req, verified } as VerifiedRequest<T>;
}

/** The HTTP response an adapter wants sent back to the platform. */
export interface HttpAck {
  status: number;
  body?: string | Record<string, unknown>;
  headers?: Record<string, string>;
}

/** Outcome of `verify`: either a verified request or the response to send (401 with no detail). */
export type VerifyResult<T = unknown> = { ok: true; request: VerifiedRequest<T> } | { ok: false; status: number; reason: string };

/** What {@link ChannelAdapter.fetchMedia} returns: the bytes and what the platform says they are. */
export interface FetchedMedia {
  data: Buffer;
  /** The platform's (or the HTTP response's) content type; intake checks it against the bytes. */
  mimeType: string;
  name?: string;
}

/** Limits media intake passes to {@link ChannelAdapter.fetchMedia}. */
export interface FetchMediaOptions {
  /** Stop reading (and throw `DeliveryError('invalid')`) past this many bytes. */
  maxBytes?: number;
  /** Aborted when the download timeout runs out. */
  signal?: AbortSignal;
  /** The inbound event's `raw` payload: channels whose bytes arrive inside it (e-mail) read them from there. */
  raw?: unknown;
}

/** Outcome of `normalize`: the acknowledgement and 0..n events. */
export interface Normalized {
  ack: HttpAck;
  events: InboundEvent[];
}

/** What `deliver` reports: the platform ids of the messages it created. */
export interface DeliveryReceipt {
  platformMessageIds: string[];
}

/** What the outbox knows about the message being delivered. */
export interface DeliveryEnvelope {
  /** Stable per outbound platform message; the same on every retry. */
  idempotencyKey: string;
  /** Parley's stored message id. */
  messageId: string;
  /** The message's sequence number in its conversation. */
  seq: number;
  role: 'bot' | 'agent' | 'system';
  /** 1 on the first try. */
  attempt: number;
  /** When the message was stored (ms since epoch). */
  createdAt: number;
}

/** Services the gateway gives an adapter when it is created. */
export interface AdapterContext {
  /** The channel instance id from the config (`channels.<id>`). */
  channelId: string;
  log: Logger;
  clock: Clock;
  fetch: typeof fetch;
  /** Public base URL of the gateway, for webhook registration. */
  publicUrl?: string;
  /** The webhook path of this instance: `/webhooks/<channelId>`. */
  webhookPath: string;
  /**
   * The durable inbox, for events that do not come through the webhook (long polling,
   * WhatsApp Web): `accept` resolves once they are persisted.
   */
  inbox: EventSink;
  /** Durable key-value state shared by every gateway instance (tokens, cursors). */
  state: KeyValueState;
  /** Single-owner leases for connections only one instance may hold (polling, sessions). */
  leases: Leases;
  /** Where adapters keep files (WhatsApp Web session); under the gateway's data folder. */
  dataDir: string;
  /** The gateway's signing secret, for channels that issue their own tokens (web chat). */
  signingSecret: string;
  /**
   * Fixed strings from `locales/` in a language (best match, then the shop's default), for
   * channels that frame messages with words of their own (an e-mail's greeting and closing).
   */
  localize?: (language: string | undefined) => Localize;
  /** The gateway's outgoing mail settings (`mail.from`, `mail.smtp`), for channels that send e-mail. */
  mail?: OutgoingMail;
}

/** The `mail` block as channels see it: the sender and the SMTP server, when one is configured. */
export interface OutgoingMail {
  from: string;
  smtp?: { host: string; port: number; secure: boolean; user?: string; pass?: string };
}

/**
 * Where channels hand what they receive: the inbox, the one way in for every event.
 *
 * @example
 * ```ts
 * await ctx.inbox.accept(updates.flatMap((u) => normalizeUpdate(u, normalizeContext))); // durable: now the offset may advance
 * ```
 */
interface EventSink {
  accept(events: InboundEvent[]): Promise<unknown>;
}

/**
 * Durable key-value state, e.g. a cached WeChat access_token.
 *
 * @example
 * ```ts
 * await ctx.state.set('wechat:token', token, expiresAt);
 * const cached = await ctx.state.get('wechat:token');
 * ```
 */
export interface KeyValueState {
  get(key: string): Promise<string | undefined>;
  /** `expiresAt` in ms since the epoch; expired values read as undefined. */
  set(key: string, value: string, expiresAt?: number): Promise<void>;
}

/**
 * Leases make one gateway instance the owner of a connection at a time. The owner renews
 * before `ttlMs` runs out; another instance takes over when it does not.
 *
 * @example
 * ```ts
 * if (await ctx.leases.acquire('telegram:polling:brand-a', 30_000)) startPolling();
 * ```
 */
export interface Leases {
  /** Takes or renews the lease; true when this instance holds it now. */
  acquire(name: string, ttlMs: number): Promise<boolean>;
  release(name: string): Promise<void>;
}

/** What {@link ChannelAdapter.outsideWindow} knows about the message and the conversation. */
interface OutsideWindowContext {
  /** The shopper's language. */
  language?: string;
  /** Who wrote the message: a person (`agent`), the bot, or Parley itself (care, notices). */
  role: 'bot' | 'agent' | 'system';
  /** When the shopper last wrote (ms), if ever. */
  lastInboundAt?: number;
  now: number;
}

/**
 * One channel instance. Pure parts (`verify`, `normalize`, `render`) are separated from the
 * parts that talk to the platform (`deliver`, `start`, `stop`), so fixtures can exercise the
 * pure parts and a local server can stand in for the platform.
 *
 * Optional members are absent when the platform does not support them: the core checks
 * presence, never catches "not supported".
 *
 * @example
 * ```ts
 * const v = await adapter.verify(raw);
 * if (!v.ok) return reply(v.status);
 * const { ack, events } = adapter.normalize(v.request);
 * await inbox.accept(events); // durable before the ack
 * return reply(ack.status, ack.body);
 * ```
 */
export interface ChannelAdapter<Payload = unknown> {
  /** Channel type, e.g. `webchat`, `telegram`. */
  readonly type: string;
  /** Channel instance id. */
  readonly id: string;
  readonly capabilities: Capabilities;
  /** Checks the request over its raw bytes in constant time. */
  verify(req: RawRequest): Promise<VerifyResult> | VerifyResult;
  /** Turns a verified request into events and the acknowledgement. Pure. */
  normalize(req: VerifiedRequest): Normalized;
  /** Turns an already-degraded message into platform payloads. Pure. */
  render(message: OutboundMessage, ref: ConversationRef): Payload[];
  /**
   * Sends payloads; on failure throws a `DeliveryError` (./errors.ts) whose `reason` tells the
   * outbox whether to retry (`transient`, `rate_limited` with `retryAfterMs`) or dead-letter
   * (`auth`, `blocked`, `invalid`). Called at least once per outbox row; pass
   * `envelope.idempotencyKey` to platforms that accept one.
   */
  deliver(ref: ConversationRef, payloads: Payload[], envelope: DeliveryEnvelope): Promise<DeliveryReceipt>;
  /** Answers a platform's `GET` handshake (WhatsApp hub.challenge, WeChat echostr). */
  handshake?(req: RawRequest): HttpAck | Promise<HttpAck>;
  /** Shows a typing indicator. */
  sendTyping?(ref: ConversationRef): Promise<void>;
  /**
   * Fetches the bytes of an inbound media part's `url` (`platform:<id>` or a platform-private
   * URL) with the platform's auth. Absent: the url is public and fetched as is (or, for
   * `platform:` urls, the channel cannot download). Throws a `DeliveryError` (`transient`
   * is retried by intake, a bounded number of times; anything else is final).
   *
   * @example
   * ```ts
   * const { data, mimeType } = await adapter.fetchMedia!('platform:AgAD', { maxBytes: 10_000_000, signal });
   * ```
   */
  fetchMedia?(url: string, options?: FetchMediaOptions): Promise<FetchedMedia>;
  /**
   * Channels that can answer inside the webhook's HTTP response (WeChat's passive reply): the
   * response for one degraded message, or undefined when it cannot travel that way. The
   * gateway waits at most {@link ChannelAdapter.replyBudgetMs} for the answer, then falls back
   * to the outbox; a message goes one way, never both.
   */
  passiveReply?(message: OutboundMessage, ref: ConversationRef): HttpAck | undefined;
  /** How long the webhook may wait for a passive reply (ms). */
  readonly replyBudgetMs?: number;
  /**
   * For channels with `capabilities.messagingWindowMs`: the payloads that may still be sent
   * once the window has closed (an approved template in the shopper's language; a person's
   * reply under a platform's human-agent rule), or undefined when nothing may go and the message
   * must be recorded undeliverable.
   */
  outsideWindow?(message: OutboundMessage, ref: ConversationRef, context: OutsideWindowContext): Payload[] | undefined;
  /** Registers webhooks, opens long-lived connections. */
  start?(): Promise<void>;
  /** Drains and closes connections. */
  stop?(): Promise<void>;
}
