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

/** Copies `value` into `target[key]` unless it is null, so optional fields stay absent. */
function opt<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | null | undefined): T {
  if (value !== null && value !== undefined) target[key] = value;
  return target;
}

export function toShopper(r: ShopperRow): Shopper {
  const s: Shopper = { id: r.id, createdAt: Number(r.created_at) };
  opt(s, 'displayName', r.display_name);
  opt(s, 'language', r.language);
  return opt(s, 'customerRef', r.customer_ref);
}

export function toConversation(r: ConversationRow): Conversation {
  const c: Conversation = {
    id: r.id,
    shopperId: r.shopper_id,
    channelId: r.channel_id,
    key: r.conv_key,
    ref: JSON.parse(r.ref_json),
    state: r.state as Conversation['state'],
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
  opt(c, 'language', r.language);
  opt(c, 'offered', r.offered_json ? JSON.parse(r.offered_json) : undefined);
  return opt(c, 'lastInboundAt', r.last_inbound_at === null ? null : Number(r.last_inbound_at));
}

export function toMessage(r: MessageRow): StoredMessage {
  const m: StoredMessage = {
    id: r.id,
    conversationId: r.conversation_id,
    seq: Number(r.seq),
    direction: r.direction as StoredMessage['direction'],
    role: r.role as StoredMessage['role'],
    parts: JSON.parse(r.parts_json),
    status: r.status as StoredMessage['status'],
    createdAt: Number(r.created_at),
  };
  opt(m, 'originalText', r.original_text);
  opt(m, 'translatedText', r.translated_text);
  opt(m, 'language', r.language);
  opt(m, 'provider', r.provider);
  opt(m, 'clientId', r.client_id);
  return opt(m, 'platformMessageId', r.platform_message_id);
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
  const o: OutboxItem = {
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
  };
  opt(o, 'lastError', r.last_error);
  opt(o, 'lastReason', asDeliveryReason(r.last_reason));
  return opt(o, 'platformIds', r.platform_ids_json ? JSON.parse(r.platform_ids_json) : undefined);
}
