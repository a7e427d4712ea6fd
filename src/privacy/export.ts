/** Everything Parley holds about one shopper, as one JSON document (`GET /api/v1/shoppers/{ref}/export`). */
import { LOG_SELECT, type FeedbackRow, type MessageRow as CareMessageRow, type ProfileRow, toCareMessage, toFeedback, toProfile } from '../care/sql-rows.js';
import type { SqlExecutor } from '../store/driver.js';
import {
  compact,
  type ConversationRow,
  type MessageRow,
  optionalNumber,
  optionalString,
  type ShopperRow,
  toConversation,
  toMessage,
  toShopper,
} from '../store/rows.js';
import { inboxOfConversations, inboxOfUser, orderGrantPattern, orderStateKeys, placeholders, unreachableKey } from './sql.js';

type Row = Record<string, unknown>;

/** Fields of stored state that are secrets of the code flow, not data about the shopper. */
const SECRET_FIELDS = new Set(['hash']);

/**
 * Reads everything held about `shopper`: identities, care profile, conversations with their
 * messages, notes, handoff, ratings and deliveries, inbound events, care log and feedback,
 * translation-memory entries made from their text, and stored state (order verification,
 * channel membership). The one-time-code hash is left out.
 *
 * @example
 * ```ts
 * const document = await exportShopper(driver, shopperRow, clock.now());
 * reply.send(document);
 * ```
 */
export async function exportShopper(db: SqlExecutor, shopper: ShopperRow, now: number) {
  const convRows = await db.all<ConversationRow>('SELECT * FROM conversations WHERE shopper_id = ? ORDER BY created_at', [shopper.id]);
  const identities = await db.all<Row>('SELECT channel_id, platform_user_id, created_at FROM identities WHERE shopper_id = ? ORDER BY created_at', [
    shopper.id,
  ]);
  const profile = await db.get<ProfileRow>('SELECT * FROM care_profiles WHERE shopper_id = ?', [shopper.id]);
  const conversations = [];
  for (const c of convRows) conversations.push(await conversationRecords(db, c));
  const users = [
    ...identities.map((i) => ({ channelId: String(i.channel_id), userId: String(i.platform_user_id) })),
    ...convRows.map((c) => JSON.parse(c.ref_json) as { channelId: string; userId: string }),
  ];
  return {
    format: 'parley.shopper-export/1',
    exportedAt: new Date(now).toISOString(),
    shopper: toShopper(shopper),
    identities: identities.map((i) => ({ channelId: String(i.channel_id), platformUserId: String(i.platform_user_id), createdAt: Number(i.created_at) })),
    ...(profile ? { profile: toProfile(profile) } : {}),
    conversations,
    inboundEvents: await inboundEvents(db, convRows, users),
    careMessages: await careMessages(db, shopper, convRows),
    feedback: (await db.all<FeedbackRow>('SELECT * FROM care_feedback WHERE shopper_id = ? ORDER BY requested_at', [shopper.id])).map(toFeedback),
    translationMemory: await translationEntries(db, convRows),
    state: await storedState(db, convRows, users),
  };
}

async function conversationRecords(db: SqlExecutor, c: ConversationRow) {
  const messages = await db.all<MessageRow>('SELECT * FROM messages WHERE conversation_id = ? ORDER BY seq', [c.id]);
  const notes = await db.all<Row>('SELECT id, agent_id, text, created_at FROM console_notes WHERE conversation_id = ? ORDER BY created_at', [c.id]);
  const handoff = await db.get<Row>('SELECT reason, team_id, agent_id, queued_at, assigned_at FROM handoffs WHERE conversation_id = ?', [c.id]);
  const ratings = await db.all<Row>('SELECT agent_id, rating, comment, created_at FROM ratings WHERE conversation_id = ? ORDER BY created_at', [c.id]);
  const deliveries = await db.all<Row>(
    'SELECT message_id, channel_id, status, attempts, last_error, last_reason, created_at, updated_at FROM outbox WHERE conversation_id = ? ORDER BY id',
    [c.id],
  );
  const proposals = await db.all<Row>('SELECT id, question, wrong_answer, status, created_at FROM kb_proposals WHERE conversation_id = ?', [c.id]);
  return {
    ...toConversation(c),
    messages: messages.map(toMessage),
    notes: notes.map((n) => ({ id: String(n.id), agentId: String(n.agent_id), text: String(n.text), createdAt: Number(n.created_at) })),
    ...(handoff
      ? {
          handoff: compact({
            reason: optionalString(handoff.reason),
            teamId: optionalString(handoff.team_id),
            agentId: optionalString(handoff.agent_id),
            queuedAt: optionalNumber(handoff.queued_at),
            assignedAt: optionalNumber(handoff.assigned_at),
          }),
        }
      : {}),
    ratings: ratings.map((r) =>
      compact({ agentId: optionalString(r.agent_id), rating: Number(r.rating), comment: optionalString(r.comment), createdAt: Number(r.created_at) }),
    ),
    deliveries: deliveries.map((d) =>
      compact({
        messageId: String(d.message_id),
        channelId: String(d.channel_id),
        status: String(d.status),
        attempts: Number(d.attempts),
        lastError: optionalString(d.last_error),
        lastReason: optionalString(d.last_reason),
        createdAt: Number(d.created_at),
        updatedAt: Number(d.updated_at),
      }),
    ),
    knowledgeProposals: proposals.map((p) =>
      compact({
        id: String(p.id),
        question: String(p.question),
        wrongAnswer: optionalString(p.wrong_answer),
        status: String(p.status),
        createdAt: Number(p.created_at),
      }),
    ),
  };
}

/** The shopper's inbound events as received (the platform's payload included), processed or waiting. */
async function inboundEvents(db: SqlExecutor, convs: readonly ConversationRow[], users: readonly { channelId: string; userId: string }[]) {
  const ids = new Set(
    await inboxOfConversations(
      db,
      convs.map((c) => c.conv_key),
    ),
  );
  for (const u of users) for (const id of await inboxOfUser(db, u.channelId, u.userId)) ids.add(id);
  if (ids.size === 0) return [];
  const rows = await db.all<Row>(`SELECT * FROM inbox WHERE id IN (${placeholders(ids.size)}) ORDER BY id`, [...ids]);
  return rows.map((r) =>
    compact({
      channelId: String(r.channel_id),
      eventId: String(r.event_id),
      status: String(r.status),
      receivedAt: Number(r.received_at),
      processedAt: optionalNumber(r.processed_at),
      event: JSON.parse(String(r.event_json)) as unknown,
    }),
  );
}

async function careMessages(db: SqlExecutor, shopper: ShopperRow, convs: readonly ConversationRow[]) {
  const ids = convs.map((c) => c.id);
  const inConvs = ids.length ? ` OR c.conversation_id IN (${placeholders(ids.length)})` : '';
  const rows = await db.all<CareMessageRow>(`${LOG_SELECT} WHERE c.shopper_id = ? OR c.customer_ref = ?${inConvs} ORDER BY c.created_at`, [
    shopper.id,
    shopper.customer_ref ?? '',
    ...ids,
  ]);
  return rows.map(toCareMessage);
}

/** Translation-memory entries made from (or reused by) the shopper's conversations. */
async function translationEntries(db: SqlExecutor, convs: readonly ConversationRow[]) {
  if (convs.length === 0) return [];
  const rows = await db.all<Row>(
    `SELECT provider, source_lang, target_lang, translated_text, created_at FROM translation_memory
     WHERE key IN (SELECT key FROM translation_sources WHERE conversation_id IN (${placeholders(convs.length)})) ORDER BY created_at`,
    convs.map((c) => c.id),
  );
  return rows.map((r) => ({
    provider: String(r.provider),
    from: String(r.source_lang),
    to: String(r.target_lang),
    translated: String(r.translated_text),
    createdAt: Number(r.created_at),
  }));
}

/** Order-help and verification state of the conversations, and channel membership flags. */
async function storedState(db: SqlExecutor, convs: readonly ConversationRow[], users: readonly { channelId: string; userId: string }[]) {
  const rows: Row[] = [];
  for (const c of convs) {
    const keys = orderStateKeys(c.id);
    rows.push(
      ...(await db.all<Row>(`SELECT * FROM kv WHERE key IN (${placeholders(keys.length)}) OR key LIKE ? ESCAPE '\\'`, [...keys, orderGrantPattern(c.id)])),
    );
  }
  const flags = [...new Set(users.map((u) => unreachableKey(u.channelId, u.userId)))];
  if (flags.length) rows.push(...(await db.all<Row>(`SELECT * FROM kv WHERE key IN (${placeholders(flags.length)})`, flags)));
  return rows.map((r) => compact({ key: String(r.key), value: readable(String(r.value)), expiresAt: optionalNumber(r.expires_at) }));
}

/** A stored value as JSON when it is JSON, without secret fields. */
function readable(value: string): unknown {
  try {
    const parsed = JSON.parse(value) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return parsed;
    return Object.fromEntries(Object.entries(parsed).filter(([k]) => !SECRET_FIELDS.has(k)));
  } catch {
    return value;
  }
}
