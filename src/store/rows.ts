import { asDeliveryReason } from '../core/errors.js';
import type { Conversation, InboxItem, OutboxItem, Shopper, StoredMessage } from '../core/store.js';

// Row shapes as the databases return them (snake_case, JSON as text, BIGINT as number).

export interface ShopperRow {
  id: string;
  display_name: string | null;
  language: string | null;
  customer_ref: string | null;
  created_at: number;
}

export interface ConversationRow {
  id: string;
  shopper_id: string;
  channel_id: string;
  conv_key: string;
  ref_json: string;
  state: string;
  language: string | null;
  offered_json: string | null;
  last_inbound_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface MessageRow {
  id: string;
  conversation_id: string;
  seq: number;
  direction: string;
  role: string;
  parts_json: string;
  original_text: string | null;
  translated_text: string | null;
  language: string | null;
  /** Added in migration 3. */
  provider?: string | null;
  status: string;
  client_id: string | null;
  platform_message_id: string | null;
  created_at: number;
}

export interface InboxRow {
  id: number;
  channel_id: string;
  event_id: string;
  conv_key: string;
  event_json: string;
  attempts: number;
  received_at: number;
}

export interface OutboxRow {
  id: number;
  idempotency_key: string;
  conversation_id: string;
  message_id: string;
  seq: number;
  role: string;
  channel_id: string;
  ref_json: string;
  message_json: string;
  status: string;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  last_reason: string | null;
  platform_ids_json: string | null;
  created_at: number;
}

/**
 * The fields of `o` that have a value: a nullable column maps to an absent field, never to
 * `null` or `undefined`. The one way every store maps rows (core, handoff and care tables).
 *
 * @example
 * ```ts
 * const shopper: Shopper = { id: r.id, createdAt: Number(r.created_at), ...compact({ language: r.language }) };
 * ```
 */
export function compact<T extends object>(o: T): { [K in keyof T]?: Exclude<T[K], null | undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as { [K in keyof T]?: Exclude<T[K], null | undefined> };
}

/** A nullable number column as a number, or undefined. */
export const optionalNumber = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : Number(v));

/** A nullable text column as a string, or undefined. */
export const optionalString = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));

export function toShopper(r: ShopperRow): Shopper {
  return { id: r.id, createdAt: Number(r.created_at), ...compact({ displayName: r.display_name, language: r.language, customerRef: r.customer_ref }) };
}

export function toConversation(r: ConversationRow): Conversation {
  return {
    id: r.id,
    shopperId: r.shopper_id,
    channelId: r.channel_id,
    key: r.conv_key,
    ref: JSON.parse(r.ref_json),
    state: r.state as Conversation['state'],
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    ...compact({
      language: r.language,
      offered: r.offered_json ? (JSON.parse(r.offered_json) as Conversation['offered']) : undefined,
      lastInboundAt: optionalNumber(r.last_inbound_at),
    }),
  };
}

export function toMessage(r: MessageRow): StoredMessage {
  return {
    id: r.id,
    conversationId: r.conversation_id,
    seq: Number(r.seq),
    direction: r.direction as StoredMessage['direction'],
    role: r.role as StoredMessage['role'],
    parts: JSON.parse(r.parts_json),
    status: r.status as StoredMessage['status'],
    createdAt: Number(r.created_at),
    ...compact({
      originalText: r.original_text,
      translatedText: r.translated_text,
      language: r.language,
      provider: r.provider,
      clientId: r.client_id,
      platformMessageId: r.platform_message_id,
    }),
  };
}

export function toInboxItem(r: InboxRow): InboxItem {
  return {
    id: Number(r.id),
    channelId: r.channel_id,
    eventId: r.event_id,
    convKey: r.conv_key,
    event: JSON.parse(r.event_json),
    attempts: Number(r.attempts),
    receivedAt: Number(r.received_at),
  };
}

export function toOutboxItem(r: OutboxRow): OutboxItem {
  return {
    id: Number(r.id),
    idempotencyKey: r.idempotency_key,
    conversationId: r.conversation_id,
    messageId: r.message_id,
    seq: Number(r.seq),
    role: r.role as OutboxItem['role'],
    channelId: r.channel_id,
    ref: JSON.parse(r.ref_json),
    message: JSON.parse(r.message_json),
    status: r.status as OutboxItem['status'],
    attempts: Number(r.attempts),
    nextAttemptAt: Number(r.next_attempt_at),
    createdAt: Number(r.created_at),
    ...compact({
      lastError: r.last_error,
      lastReason: asDeliveryReason(r.last_reason),
      platformIds: r.platform_ids_json ? (JSON.parse(r.platform_ids_json) as string[]) : undefined,
    }),
  };
}
