import { asDeliveryReason } from '../core/errors.js';
import { compact } from '../store/rows.js';
import type { SqlValue } from '../store/driver.js';
import type { CareLogEntry, CareProfile, FeedbackRecord } from './types.js';

// Row shapes of the care tables as the databases return them, and their mapping.

export interface ProfileRow {
  shopper_id: string;
  email: string | null;
  email_verified: number;
  phone: string | null;
  phone_verified: number;
  language: string | null;
  timezone: string | null;
  preferred_channel: string | null;
  marketing_opt_in: number;
  opted_out_at: number | null;
}

export interface MessageRow {
  id: string;
  kind: string;
  category: string;
  shopper_id: string | null;
  customer_ref: string | null;
  order_id: string | null;
  payload_json: string;
  status: string;
  reason: string | null;
  conversation_id: string | null;
  channel_id: string | null;
  language: string | null;
  message_id: string | null;
  attempts: number;
  scheduled_for: number | null;
  created_at: number;
  updated_at: number;
  delivery_status?: string | null;
  delivery_error?: string | null;
  delivery_reason?: string | null;
}

export interface JobRow {
  id: string;
  kind: string;
  run_at: number;
  payload_json: string;
  attempts: number;
  status: string;
  last_error: string | null;
}

export interface FeedbackRow {
  id: string;
  order_id: string;
  shopper_id: string | null;
  conversation_id: string;
  channel_id: string;
  language: string | null;
  rating: number | null;
  comment: string | null;
  status: string;
  requested_at: number;
  answered_at: number | null;
  answered_by: string | null;
}

export const num = (v: number | string | null | undefined) => (v === null || v === undefined ? undefined : Number(v));

export function toProfile(r: ProfileRow): CareProfile {
  return compact({
    shopperId: r.shopper_id,
    email: r.email,
    emailVerified: Number(r.email_verified) === 1,
    phone: r.phone,
    phoneVerified: Number(r.phone_verified) === 1,
    language: r.language,
    timezone: r.timezone,
    preferredChannel: r.preferred_channel,
    marketingOptIn: Number(r.marketing_opt_in) === 1,
    optedOutAt: num(r.opted_out_at),
  }) as CareProfile;
}

export function toCareMessage(r: MessageRow): CareLogEntry {
  const m = compact({
    id: r.id,
    kind: r.kind,
    category: r.category,
    shopperId: r.shopper_id,
    customerRef: r.customer_ref,
    orderId: r.order_id,
    payload: JSON.parse(r.payload_json),
    status: r.status,
    reason: r.reason,
    conversationId: r.conversation_id,
    channelId: r.channel_id,
    language: r.language,
    messageId: r.message_id,
    attempts: Number(r.attempts),
    scheduledFor: num(r.scheduled_for),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  }) as CareLogEntry;
  if (r.delivery_status)
    m.delivery = compact({
      status: r.delivery_status,
      error: r.delivery_error ?? undefined,
      reason: asDeliveryReason(r.delivery_reason),
    }) as CareLogEntry['delivery'];
  return m;
}

export function toFeedback(r: FeedbackRow): FeedbackRecord {
  return compact({
    id: r.id,
    orderId: r.order_id,
    shopperId: r.shopper_id,
    conversationId: r.conversation_id,
    channelId: r.channel_id,
    language: r.language,
    rating: num(r.rating),
    comment: r.comment,
    status: r.status,
    requestedAt: Number(r.requested_at),
    answeredAt: num(r.answered_at),
    answeredBy: r.answered_by,
  }) as FeedbackRecord;
}

export const messageColumns: Record<string, string> = {
  kind: 'kind',
  category: 'category',
  shopperId: 'shopper_id',
  customerRef: 'customer_ref',
  orderId: 'order_id',
  status: 'status',
  reason: 'reason',
  conversationId: 'conversation_id',
  channelId: 'channel_id',
  language: 'language',
  messageId: 'message_id',
  attempts: 'attempts',
  scheduledFor: 'scheduled_for',
  updatedAt: 'updated_at',
};
export const profileColumns: Record<string, string> = {
  email: 'email',
  emailVerified: 'email_verified',
  phone: 'phone',
  phoneVerified: 'phone_verified',
  language: 'language',
  timezone: 'timezone',
  preferredChannel: 'preferred_channel',
  marketingOptIn: 'marketing_opt_in',
  optedOutAt: 'opted_out_at',
};

/** `SET a = ?, b = ?` from a patch, through a property → column map. */
export function setClause(patch: Record<string, unknown>, columns: Record<string, string>): { sets: string[]; params: SqlValue[] } {
  const sets: string[] = [];
  const params: SqlValue[] = [];
  for (const [key, value] of Object.entries(patch)) {
    const column = columns[key];
    if (!column || value === undefined) continue;
    sets.push(`${column} = ?`);
    params.push(typeof value === 'boolean' ? (value ? 1 : 0) : (value as SqlValue));
  }
  return { sets, params };
}

export const LOG_SELECT = `SELECT c.*, m.status AS delivery_status,
  (SELECT o.last_error FROM outbox o WHERE o.message_id = c.message_id AND o.last_error IS NOT NULL ORDER BY o.id DESC LIMIT 1) AS delivery_error,
  (SELECT o.last_reason FROM outbox o WHERE o.message_id = c.message_id AND o.last_error IS NOT NULL ORDER BY o.id DESC LIMIT 1) AS delivery_reason
  FROM care_messages c LEFT JOIN messages m ON m.id = c.message_id`;
