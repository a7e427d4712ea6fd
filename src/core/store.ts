import type { DeliveryReason } from './errors.js';
import type { ConversationRef, DeliveryStatus, InboundEvent, OutboundMessage, Part } from './message.js';

/** Who wrote a message. */
export type Role = 'shopper' | 'bot' | 'agent' | 'system';

/**
 * Where a conversation is in its life: the bot answers, or it waits for / belongs to a person;
 * `feedback` asks the shopper to rate the help they got (the next message goes back to the bot).
 */
export type ConversationState = 'bot' | 'awaiting_agent' | 'assigned' | 'resolved' | 'feedback';

/** A shopper, linked to one or more channel identities. */
export interface Shopper {
  id: string;
  displayName?: string;
  language?: string;
  customerRef?: string;
  createdAt: number;
}

/** A conversation on one channel. */
export interface Conversation {
  id: string;
  shopperId: string;
  channelId: string;
  /** `channelId:chatId[:threadId]`: the unit of ordering. */
  key: string;
  ref: ConversationRef;
  state: ConversationState;
  language?: string;
  /** Choices offered last, so a reply "2" or a label maps back to a payload. */
  offered?: { index: number; label: string; payload: string }[];
  lastInboundAt?: number;
  createdAt: number;
  updatedAt: number;
}

/** A stored message, inbound or outbound. */
export interface StoredMessage {
  id: string;
  conversationId: string;
  /** Increases by one per message in a conversation; clients resume from it. */
  seq: number;
  direction: 'in' | 'out';
  role: Role;
  parts: Part[];
  originalText?: string;
  translatedText?: string;
  language?: string;
  /** The translation provider that made `translatedText` (`deepl`, `openai`, `none`...). */
  provider?: string;
  status: 'received' | 'pending' | DeliveryStatus;
  clientId?: string;
  platformMessageId?: string;
  createdAt: number;
}

/** An accepted inbound event waiting to be (or being) processed. */
export interface InboxItem {
  id: number;
  channelId: string;
  eventId: string;
  convKey: string;
  event: InboundEvent;
  attempts: number;
  receivedAt: number;
}

/** A message to be sent through a channel, with its delivery bookkeeping. */
export interface OutboxItem {
  id: number;
  idempotencyKey: string;
  conversationId: string;
  messageId: string;
  /** The stored message's sequence number and author. */
  seq: number;
  role: 'bot' | 'agent' | 'system';
  channelId: string;
  ref: ConversationRef;
  message: OutboundMessage;
  status: 'pending' | 'sending' | 'sent' | 'dead';
  attempts: number;
  nextAttemptAt: number;
  lastError?: string;
  /** Why the last attempt failed: the console and `GET /api/v1/outbox/dead` show it. */
  lastReason?: DeliveryReason;
  platformIds?: string[];
  createdAt: number;
}

/** A message to store in a turn. `outbound` also queues it for delivery. */
export interface NewMessage {
  /** Stable id: the same turn replayed after a crash produces the same ids. */
  id: string;
  role: Role;
  direction: 'in' | 'out';
  parts: Part[];
  originalText?: string;
  translatedText?: string;
  language?: string;
  /** The translation provider that made `translatedText`. */
  provider?: string;
  clientId?: string;
  platformMessageId?: string;
  /** Platform-ready (degraded) messages to deliver, one outbox row each. */
  outbound?: OutboundMessage[];
  /** Deliver no earlier than this (ms since epoch): leaves room for a passive reply. */
  holdUntil?: number;
}

/** Everything one processed inbound event changes, committed at once. */
export interface TurnCommit {
  inboxId: number;
  conversationId: string;
  messages: NewMessage[];
  conversation?: Partial<Pick<Conversation, 'state' | 'language' | 'offered' | 'lastInboundAt' | 'ref'>>;
  error?: string;
}

/**
 * The persistence port. Every implementation keeps the pipeline's guarantees: accepted events
 * are durable when `acceptInbound` resolves and unique per (channel, event id); a turn commits
 * exactly once; outbox rows are unique per idempotency key.
 *
 * @example
 * ```ts
 * const { accepted } = await store.acceptInbound(events, clock.now());
 * // ...acknowledge the platform only now
 * ```
 */
export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  migrate(): Promise<void>;
  close(): Promise<void>;

  /**
   * Persists new events (duplicates ignored) before the platform is acknowledged. With `claim`,
   * up to `limit` of them that are the only open event of their conversation are claimed in the
   * same commit (lease `leaseMs`) and returned in `claimed` as well: the caller runs them at once.
   */
  acceptInbound(
    events: InboundEvent[],
    now: number,
    options?: { claim?: { leaseMs: number; limit: number } },
  ): Promise<{ accepted: InboxItem[]; claimed: InboxItem[]; duplicates: number }>;
  /**
   * Claims up to `limit` events that are the oldest open event of their conversation, so one
   * conversation is never processed twice at once.
   */
  claimInbox(now: number, leaseMs: number, limit: number): Promise<InboxItem[]>;
  /** Makes events claimed by a process that died claimable again (single-owner start-up). */
  releaseInboxLeases(): Promise<number>;
  /**
   * Extends to `now + leaseMs` the leases of claimed events this process still runs (never
   * shortens one, e.g. a retry's wait); returns how many rows were extended. Called on a
   * heartbeat, so leases can be short and a dead process's events are taken over soon.
   *
   * @example
   * ```ts
   * await store.renewInboxLeases(running.map((i) => i.id), clock.now(), 10_000);
   * ```
   */
  renewInboxLeases(ids: readonly number[], now: number, leaseMs: number): Promise<number>;
  /**
   * Stores a turn's messages and outbox rows and closes the inbox item; false if already done.
   * With `claimOutbox`, the conversation's next outbox row, when it is this turn's and due, is
   * claimed in the same transaction (lease `leaseMs`) and returned in `claimed`: the caller
   * delivers it at once instead of waiting for the outbox to claim it. With `claimNext`, the
   * conversation's next pending event (it waited for this turn) is claimed too and returned in
   * `next`, for the caller to run in the slot this turn frees.
   *
   * @example
   * ```ts
   * const { committed, claimed, next } = await store.commitTurn(turn, clock.now(), { claimOutbox: { leaseMs: 60_000 }, claimNext: { leaseMs: 60_000, convKey: item.convKey } });
   * if (committed) outbox.adopt(claimed);
   * ```
   */
  commitTurn(
    turn: TurnCommit,
    now: number,
    options?: { claimOutbox?: { leaseMs: number }; claimNext?: { leaseMs: number; convKey: string } },
  ): Promise<{ committed: boolean; messages: StoredMessage[]; claimed: OutboxItem[]; next: InboxItem[] }>;
  /**
   * Stores messages that no inbound event caused (agent replies, proactive care) with their
   * outbox rows, and patches the conversation, in one transaction.
   */
  appendMessages(conversationId: string, messages: NewMessage[], now: number, patch?: TurnCommit['conversation']): Promise<StoredMessage[]>;
  /** Retries a claimed event at `retryAt`, or marks it failed when `retryAt` is undefined. */
  failInbox(id: number, error: string, retryAt: number | undefined, now: number): Promise<void>;
  inboxStatus(channelId: string, eventId: string): Promise<string | undefined>;

  /** Finds or creates the shopper behind a channel identity. */
  ensureShopper(channelId: string, platformUserId: string, now: number, displayName?: string): Promise<Shopper>;
  /** Links another channel identity to an existing shopper. */
  linkIdentity(shopperId: string, channelId: string, platformUserId: string, now: number): Promise<void>;
  identitiesOf(shopperId: string): Promise<{ channelId: string; platformUserId: string }[]>;
  ensureConversation(ref: ConversationRef, shopperId: string, now: number): Promise<Conversation>;
  /** The conversation at `ref` (same channel and chat), if it exists: one lookup, no writes. */
  findConversation(ref: ConversationRef): Promise<Conversation | undefined>;
  getConversation(id: string): Promise<Conversation | undefined>;
  listConversations(options: { limit: number; before?: number; state?: ConversationState }): Promise<Conversation[]>;
  updateConversation(id: string, patch: Partial<Pick<Conversation, 'state' | 'language' | 'offered'>>, now: number): Promise<void>;
  listMessages(conversationId: string, options: { afterSeq?: number; limit: number }): Promise<StoredMessage[]>;

  /** Claims due outbox rows: the oldest open row of each conversation. */
  claimOutbox(now: number, leaseMs: number, limit: number): Promise<OutboxItem[]>;
  releaseOutboxLeases(): Promise<number>;
  /** Extends the leases of outbox rows this process is still sending (see {@link renewInboxLeases}). */
  renewOutboxLeases(ids: readonly number[], now: number, leaseMs: number): Promise<number>;
  /**
   * Claims the single pending outbox row of a message (for a passive reply in the webhook's
   * response); undefined when the worker took it already or the message has several rows.
   */
  claimOutboxOf(messageId: string, now: number, leaseMs: number): Promise<OutboxItem | undefined>;
  /**
   * Records a delivery attempt and moves the row to sent, back to pending, or dead. With
   * `claimNext`, a final outcome (sent or dead) also claims the conversation's next due row in
   * the same commit and returns it, for the caller to deliver in the slot this one frees.
   */
  recordDelivery(
    id: number,
    outcome: { ok: true; platformIds: string[] } | { ok: false; error: string; reason?: DeliveryReason; retryAt?: number },
    now: number,
    options?: { claimNext?: { leaseMs: number } },
  ): Promise<OutboxItem[]>;
  /** Outbox rows, newest first; `conversationId` narrows them to one conversation. */
  listOutbox(options: { status?: OutboxItem['status']; conversationId?: string; limit: number }): Promise<OutboxItem[]>;
  /**
   * Puts a dead-lettered row back in line for delivery, with fresh retries: `queued` when it was
   * dead, its current status when it was not (so resending twice sends once), undefined when
   * there is no such row.
   */
  resendOutbox(id: number, now: number): Promise<'queued' | OutboxItem['status'] | undefined>;
  deliveryAttempts(outboxId: number): Promise<{ attempt: number; at: number; ok: boolean; error?: string; reason?: DeliveryReason }[]>;
  /** Applies a delivery receipt; statuses never move backwards. */
  updateMessageStatus(platformMessageId: string, status: DeliveryStatus): Promise<boolean>;

  /** Durable state with optional expiry (adapters' tokens and cursors). */
  kvGet(key: string, now: number): Promise<string | undefined>;
  kvSet(key: string, value: string, expiresAt: number | undefined): Promise<void>;
  /** Takes or renews a named lease for `owner`; true when `owner` holds it afterwards. */
  acquireLease(name: string, owner: string, ttlMs: number, now: number): Promise<boolean>;
  releaseLease(name: string, owner: string): Promise<void>;

  getSetting(key: string): Promise<string | undefined>;
  /** Sets a value only if the key has none yet; returns the value that is stored. */
  initSetting(key: string, value: string): Promise<string>;
}
