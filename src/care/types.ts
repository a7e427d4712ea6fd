import type { DeliveryReason } from '../core/errors.js';
import type { Conversation, Shopper } from '../core/store.js';

/** Transactional messages (order updates) always go; marketing needs opt-in and is capped. */
export type CareCategory = 'transactional' | 'marketing';

/**
 * Where a proactive message is in its life:
 * `scheduled` (waits for a job), `deferred` (quiet hours), `sent` (handed to the outbox; the
 * delivery status comes from the message), `held` (no channel may carry it now: a closed
 * messaging window without a template), `skipped` (consent, cap), `undeliverable` (no channel).
 */
export type CareStatus = 'scheduled' | 'deferred' | 'sent' | 'held' | 'skipped' | 'undeliverable';

/** What a care message says, rendered in the shopper's language when it is sent. */
export interface CarePayload {
  /** Key under `care.` in the locales, and the WhatsApp template key (`order_shipped`). */
  template: string;
  /** Values interpolated into the template (amounts and dates still raw). */
  vars: Record<string, unknown>;
  /** Free text from the shop backend (`POST /api/v1/messages`), in `textLanguage`. */
  text?: string;
  textLanguage?: string;
  /** Offer the 1–5 rating choices. */
  rating?: boolean;
  /** The language the shop backend says the shopper reads (a hint). */
  languageHint?: string;
  /** Send into this conversation rather than choosing a channel. */
  conversationId?: string;
}

/** One proactive message and what became of it: the care log operators read. */
export interface CareMessage {
  id: string;
  /** Event type (`order.shipped`), `message`, or `feedback.request`. */
  kind: string;
  category: CareCategory;
  shopperId?: string;
  customerRef?: string;
  orderId?: string;
  payload: CarePayload;
  status: CareStatus;
  reason?: string;
  conversationId?: string;
  channelId?: string;
  language?: string;
  /** The stored message of the latest attempt (its delivery status is the message's). */
  messageId?: string;
  /** Times an operator resent it; part of the message id, so each resend sends once. */
  attempts: number;
  scheduledFor?: number;
  createdAt: number;
  updatedAt: number;
}

/** A care log entry with the delivery status of its message. */
export interface CareLogEntry extends CareMessage {
  /** The message's delivery status; a failed one has the outbox's last error and its reason. */
  delivery?: { status: string; error?: string; reason?: DeliveryReason };
}

/** What the shop told Parley about a shopper, and the shopper's consent. */
export interface CareProfile {
  shopperId: string;
  email?: string;
  emailVerified: boolean;
  phone?: string;
  phoneVerified: boolean;
  language?: string;
  timezone?: string;
  preferredChannel?: string;
  marketingOptIn: boolean;
  optedOutAt?: number;
}

/** Fields to change on a profile; `optedOutAt: null` lifts an opt-out. */
type ProfilePatch = Partial<Omit<CareProfile, 'shopperId' | 'optedOutAt'>> & { optedOutAt?: number | null };

/** A durable job: runs once, at or after `runAt`, even across restarts. */
export interface ScheduledJob {
  id: string;
  kind: string;
  runAt: number;
  payload: Record<string, unknown>;
  attempts: number;
}

/** A rating request and the shopper's answer. */
export interface FeedbackRecord {
  id: string;
  orderId: string;
  shopperId?: string;
  conversationId: string;
  channelId: string;
  language?: string;
  rating?: number;
  comment?: string;
  status: 'awaiting_rating' | 'awaiting_comment' | 'done';
  requestedAt: number;
  answeredAt?: number;
  /** The shopper message that gave the latest answer (rating or comment). */
  answeredBy?: string;
}

/** One row of the feedback summary. */
export interface FeedbackSummaryRow {
  channelId: string;
  language: string;
  requests: number;
  answers: number;
  average?: number;
  /** Count of each rating, index 0 = 1 star. */
  distribution: number[];
}

/** An idempotency record of the shop backend API. */
export interface IdempotentRequest {
  bodyHash: string;
  /** 0 while the first request is still running. */
  status: number;
  response?: unknown;
}

/**
 * The persistence port of proactive care. One implementation on SQL (SQLite and Postgres);
 * tables come from migration 5.
 *
 * @example
 * ```ts
 * const shopper = await careStore.shopperByRef('C-1001');
 * await careStore.putMessage({ id: 'evt-1', kind: 'order.shipped', ... }, now);
 * ```
 */
export interface CareStore {
  shopperByRef(customerRef: string): Promise<Shopper | undefined>;
  getShopper(id: string): Promise<Shopper | undefined>;
  /**
   * Links channel identities to the shopper with `customerRef` (created when new). An identity
   * that belongs to an anonymous shopper merges that shopper in; one that belongs to another
   * customer is a conflict and is returned, nothing changed.
   */
  linkCustomer(
    customerRef: string,
    identities: { channelId: string; platformUserId: string }[],
    now: number,
  ): Promise<{ shopper: Shopper; conflicts: string[] }>;
  /** Finds the shopper behind verified contact data: a verified email or phone, or a WhatsApp number. */
  shopperByContact(contact: { email?: string; phoneDigits?: string }, whatsappChannels: string[]): Promise<Shopper | undefined>;
  conversationsOf(shopperId: string): Promise<Conversation[]>;
  identitiesOf(shopperId: string): Promise<{ channelId: string; platformUserId: string }[]>;

  getProfile(shopperId: string): Promise<CareProfile | undefined>;
  /** Sets the given fields; others keep their value. */
  patchProfile(shopperId: string, patch: ProfilePatch, now: number): Promise<CareProfile>;

  /** Claims an idempotency key: undefined when it is new (the caller runs the request), else the record. */
  claimRequest(key: string, bodyHash: string, now: number): Promise<IdempotentRequest | undefined>;
  finishRequest(key: string, status: number, response: unknown): Promise<void>;
  /** Forgets a key whose request failed, so the backend may retry it. */
  dropRequest(key: string): Promise<void>;

  /** Inserts a care message; false when one with the id exists. */
  insertMessage(message: CareMessage): Promise<boolean>;
  getMessage(id: string): Promise<CareMessage | undefined>;
  updateMessage(id: string, patch: Partial<Omit<CareMessage, 'id' | 'payload' | 'createdAt'>>, now: number): Promise<void>;
  listLog(options: { status?: string; limit: number; before?: number }): Promise<CareLogEntry[]>;
  /** Marketing messages handed to a channel for the shopper since `since`. */
  countMarketingSince(shopperId: string, since: number): Promise<number>;
  /** Messages held for a shopper (to retry when a window opens). */
  heldFor(shopperId: string): Promise<CareMessage[]>;

  /** Adds a job; false when one with the id exists. */
  addJob(job: Omit<ScheduledJob, 'attempts'>, now: number): Promise<boolean>;
  claimJobs(now: number, leaseMs: number, limit: number): Promise<ScheduledJob[]>;
  completeJob(id: string, now: number): Promise<void>;
  /** Retries at `retryAt`, or marks the job failed when undefined. */
  failJob(id: string, error: string, retryAt: number | undefined, now: number): Promise<void>;
  /** Makes jobs claimed by a process that died claimable again. */
  /** Extends the leases of jobs this process still runs (never shortens one; finished or failed jobs are left alone). */
  renewJobLeases(ids: readonly string[], now: number, leaseMs: number): Promise<number>;
  releaseJobLeases(): Promise<number>;
  listJobs(options: { status?: string; limit: number }): Promise<(ScheduledJob & { status: string; lastError?: string })[]>;

  insertFeedback(record: FeedbackRecord): Promise<void>;
  /**
   * The rating request message `messageId` already answered, else the newest open one in the
   * conversation asked after `since`.
   */
  openFeedback(conversationId: string, since: number, messageId?: string): Promise<FeedbackRecord | undefined>;
  updateFeedback(id: string, patch: Partial<Pick<FeedbackRecord, 'rating' | 'comment' | 'status' | 'answeredAt' | 'answeredBy'>>): Promise<void>;
  feedbackSummary(options: { since?: number }): Promise<FeedbackSummaryRow[]>;
  listFeedback(options: { orderId?: string; limit: number }): Promise<FeedbackRecord[]>;
}
