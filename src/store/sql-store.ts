import { randomUUID } from 'node:crypto';
import { asDeliveryReason } from '../core/errors.js';
import { advancesStatus, type ConversationRef, conversationKey, type DeliveryStatus, type InboundEvent } from '../core/message.js';
import type { SqlDriver, SqlExecutor } from './driver.js';
import { GroupCommit } from './group-commit.js';
import { migrate } from './migrations.js';
import { botReplied, countActivity, countLatency } from './report-aggregates.js';
import * as queue from './sql-queue.js';
import type { AcceptCall, AcceptResult, DeliveryCall, DeliveryOutcome } from './sql-queue.js';
import { type ConversationRow, type MessageRow, type OutboxRow, type ShopperRow, toConversation, toMessage, toOutboxItem, toShopper } from './rows.js';
import type { Conversation, ConversationState, InboxItem, NewMessage, OutboxItem, Shopper, Store, StoredMessage, TurnCommit } from '../core/store.js';

/** The Store on SQL: one implementation for SQLite and Postgres, through {@link SqlDriver}. */
export class SqlStore implements Store {
  constructor(private readonly db: SqlDriver) {}

  get dialect(): 'sqlite' | 'postgres' {
    return this.db.dialect;
  }

  async migrate(): Promise<void> {
    await migrate(this.db);
  }

  close(): Promise<void> {
    return this.db.close();
  }

  /** Acknowledgements wait for this commit: urgent, ahead of background work. */
  private readonly accepts = new GroupCommit((calls: AcceptCall[]) =>
    this.db.transaction(
      async (tx) => {
        // The locks and every insert go out together (one round trip on Postgres).
        const locked = this.db.lockKeys(
          tx,
          calls.flatMap((call) => call.events.map((e) => conversationKey(e.ref))),
        );
        const [, ...out] = await Promise.all([locked, ...calls.map((call) => queue.insertInbound(tx, call))]);
        return out;
      },
      { urgent: true, atOnce: true },
    ),
  );

  /** Deliveries finishing together record their attempts in one commit. */
  private readonly deliveries = new GroupCommit((calls: DeliveryCall[]) =>
    this.db.transaction(
      // Issued together, and with the commit when every one succeeded (a failure reads its row
      // first): one round trip on Postgres.
      (tx) => Promise.all(calls.map((call) => queue.writeDelivery(tx, call))),
      { atOnce: calls.every((call) => call.outcome.ok) },
    ),
  );

  acceptInbound(events: InboundEvent[], now: number, options: { claim?: { leaseMs: number; limit: number } } = {}): Promise<AcceptResult> {
    return this.accepts.add({ events, now, ...options });
  }

  claimInbox(now: number, leaseMs: number, limit: number): Promise<InboxItem[]> {
    return queue.claimInbox(this.db, now, leaseMs, limit);
  }

  releaseInboxLeases(): Promise<number> {
    return this.db.run(`UPDATE inbox SET status = 'pending', lease_until = NULL WHERE status = 'processing'`);
  }

  renewInboxLeases(ids: readonly number[], now: number, leaseMs: number): Promise<number> {
    return queue.renewLeases(this.db, 'inbox', ids, now, leaseMs);
  }

  /**
   * Every statement of the turn is issued at once (one round trip on Postgres, see
   * {@link SqlDriver.transaction}): none needs another's result in JavaScript. Whether the event
   * was still open is checked before the commit; if another worker closed it meanwhile, all of
   * it is rolled back.
   */
  async commitTurn(turn: TurnCommit, now: number, options: Parameters<Store['commitTurn']>[2] = {}) {
    const closedAlready = Symbol('closed');
    const done = await this.db
      .transaction(async (tx) => {
        const closing = tx.run(`UPDATE inbox SET status = 'done', processed_at = ?, error = ? WHERE id = ? AND status <> 'done'`, [
          now,
          turn.error ?? null,
          turn.inboxId,
        ]);
        // The patch goes first: replies are addressed with the latest ref (fresh reply tokens).
        const patched = turn.conversation && this.patchConversation(tx, turn.conversationId, turn.conversation, now);
        // Counted once for the turn below: its messages share one conversation and one bucket.
        const inserted = turn.messages.map((m) => this.insertMessage(tx, turn.conversationId, m, now, { count: false, claim: options.claimOutbox }));
        const next = options.claimNext ? queue.claimNextInbox(this.db, tx, options.claimNext.convKey, now, options.claimNext.leaseMs) : [];
        const timed = botReplied(turn) ? countLatency(tx, turn, now) : undefined;
        const counted = turn.messages.length ? countActivity(tx, turn.conversationId, turn.messages, now) : undefined;
        const rest = Promise.all([patched, Promise.all(inserted), next, timed, counted]);
        // A closed event's messages are stored already and fail as duplicates: closed decides.
        rest.catch(() => undefined);
        if ((await closing) === 0) throw closedAlready;
        const [conv, stored, nextItems] = await rest;
        if (turn.conversation && !conv) throw new Error(`Conversation ${turn.conversationId} does not exist.`);
        return { committed: true, messages: stored.map((s) => s.message), claimed: stored.flatMap((s) => s.claimed), next: nextItems };
      })
      .catch((err: unknown) => {
        if (err === closedAlready) return undefined;
        throw err;
      });
    return done ?? { committed: false, messages: [] as StoredMessage[], claimed: [] as OutboxItem[], next: [] as InboxItem[] };
  }

  async appendMessages(conversationId: string, messages: NewMessage[], now: number, patch?: TurnCommit['conversation']) {
    return this.db.transaction(async (tx) => {
      if (patch && !(await this.patchConversation(tx, conversationId, patch, now))) throw new Error(`Conversation ${conversationId} does not exist.`);
      const stored: StoredMessage[] = [];
      for (const m of messages) {
        // The id is the idempotency key: appending the same message twice stores it once.
        const existing = await tx.get<MessageRow>('SELECT * FROM messages WHERE id = ?', [m.id]);
        stored.push(existing ? toMessage(existing) : (await this.insertMessage(tx, conversationId, m, now)).message);
      }
      return stored;
    });
  }

  /**
   * Inserts a message after the conversation's last one with its outbox rows, addressed with
   * the conversation's ref as it is now. The statements number and address the rows themselves
   * (no read first, nothing awaited between them). The caller's transaction holds the
   * conversation, so the number is free.
   *
   * With `claim`, an outbox row that is due and has no open row of its conversation before it
   * (the outbox's rule: one in flight per conversation, in order) is inserted claimed, leased for
   * `claim.leaseMs`, and returned in `claimed`: the turn hands its reply on without a claim
   * statement of its own. Rows behind an open one wait for the outbox as before.
   */
  private insertMessage(
    tx: SqlExecutor,
    conversationId: string,
    m: TurnCommit['messages'][number],
    now: number,
    options: { count?: boolean; claim?: { leaseMs: number } } = {},
  ): Promise<{ message: StoredMessage; claimed: OutboxItem[] }> {
    const status = m.direction === 'in' ? 'received' : m.outbound?.length ? 'pending' : 'sent';
    const row = tx.get<MessageRow>(
      `INSERT INTO messages (id, conversation_id, seq, direction, role, parts_json, original_text, translated_text,
         language, status, client_id, platform_message_id, created_at, provider)
       VALUES (?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM messages WHERE conversation_id = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      [
        m.id,
        conversationId,
        conversationId,
        m.direction,
        m.role,
        JSON.stringify(m.parts),
        m.originalText ?? null,
        m.translatedText ?? null,
        m.language ?? null,
        status,
        m.clientId ?? null,
        m.platformMessageId ?? null,
        now,
        m.provider ?? null,
      ],
    );
    const due = (m.holdUntil ?? now) <= now;
    const outbox = (m.outbound ?? []).map((outbound, i) => {
      const params = [`${m.id}:${i}`, m.role, JSON.stringify(outbound), m.holdUntil ?? now, now, now];
      if (!options.claim || !due) {
        return tx
          .run(
            `INSERT INTO outbox (idempotency_key, conversation_id, message_id, seq, role, channel_id, ref_json, message_json,
               next_attempt_at, created_at, updated_at)
             SELECT ?, c.id, m.id, m.seq, ?, c.channel_id, c.ref_json, ?, CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT)
             FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE m.id = ?
             ON CONFLICT (idempotency_key) DO NOTHING`,
            [...params, m.id],
          )
          .then(() => undefined);
      }
      return tx.get<OutboxRow>(
        `INSERT INTO outbox (idempotency_key, conversation_id, message_id, seq, role, channel_id, ref_json, message_json,
           next_attempt_at, created_at, updated_at, status, lease_until, attempts)
         SELECT ?, c.id, m.id, m.seq, ?, c.channel_id, c.ref_json, ?, CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT),
           CASE WHEN o.open THEN 'pending' ELSE 'sending' END,
           CASE WHEN o.open THEN NULL ELSE CAST(? AS BIGINT) END,
           CASE WHEN o.open THEN 0 ELSE 1 END
         FROM messages m JOIN conversations c ON c.id = m.conversation_id
           CROSS JOIN (SELECT EXISTS (SELECT 1 FROM outbox WHERE conversation_id = ? AND status IN ('pending', 'sending')) AS open) o
         WHERE m.id = ?
         ON CONFLICT (idempotency_key) DO NOTHING RETURNING *`,
        [...params, now + options.claim.leaseMs, conversationId, m.id],
      );
    });
    const counted = options.count !== false && countActivity(tx, conversationId, [m], now);
    return Promise.all([row, Promise.all(outbox), counted]).then(([r, rows]) => ({
      message: toMessage(r as MessageRow),
      claimed: rows.filter((o): o is OutboxRow => o?.status === 'sending').map(toOutboxItem),
    }));
  }

  /** Applies the patch; returns the conversation as it is now (undefined if it does not exist). */
  private async patchConversation(tx: SqlExecutor, id: string, patch: TurnCommit['conversation'] & object, now: number): Promise<ConversationRow | undefined> {
    const columns: [string, string | number | undefined][] = [
      ['state', patch.state],
      ['language', patch.language],
      ['offered_json', patch.offered && JSON.stringify(patch.offered)],
      ['last_inbound_at', patch.lastInboundAt],
      ['ref_json', patch.ref && JSON.stringify(patch.ref)],
    ];
    const changed = columns.filter(([, value]) => value !== undefined);
    const sets = ['updated_at = ?', ...changed.map(([column]) => `${column} = ?`)];
    const params = [now, ...changed.map(([, value]) => value as string | number), id];
    return tx.get<ConversationRow>(`UPDATE conversations SET ${sets.join(', ')} WHERE id = ? RETURNING *`, params);
  }

  async failInbox(id: number, error: string, retryAt: number | undefined, now: number): Promise<void> {
    // A retry keeps the row 'processing' with a lease that runs out at `retryAt`: the claim
    // query picks it up again then, and later events of the conversation keep waiting.
    await this.db.run(`UPDATE inbox SET status = ?, error = ?, lease_until = ?, processed_at = ? WHERE id = ? AND status = 'processing'`, [
      retryAt === undefined ? 'failed' : 'processing',
      error,
      retryAt ?? null,
      retryAt === undefined ? now : null,
      id,
    ]);
  }

  async inboxStatus(channelId: string, eventId: string): Promise<string | undefined> {
    const row = await this.db.get<{ status: string }>('SELECT status FROM inbox WHERE channel_id = ? AND event_id = ?', [channelId, eventId]);
    return row?.status;
  }

  async ensureShopper(channelId: string, platformUserId: string, now: number, displayName?: string): Promise<Shopper> {
    const find = (db: SqlExecutor) =>
      db.get<ShopperRow>(
        `SELECT s.* FROM shoppers s JOIN identities i ON i.shopper_id = s.id
         WHERE i.channel_id = ? AND i.platform_user_id = ?`,
        [channelId, platformUserId],
      );
    const existing = await find(this.db);
    if (existing) return toShopper(existing);
    const id = randomUUID();
    // Issued together (one round trip on Postgres). Another instance may link the identity
    // first: the identity row decides, and the shopper row no identity names is removed again.
    const row = await this.db.transaction(async (tx) => {
      const [, , , found] = await Promise.all([
        tx.run('INSERT INTO shoppers (id, display_name, created_at, updated_at) VALUES (?, ?, ?, ?)', [id, displayName ?? null, now, now]),
        tx.run(
          `INSERT INTO identities (channel_id, platform_user_id, shopper_id, created_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (channel_id, platform_user_id) DO NOTHING`,
          [channelId, platformUserId, id, now],
        ),
        tx.run('DELETE FROM shoppers WHERE id = ? AND NOT EXISTS (SELECT 1 FROM identities WHERE shopper_id = ?)', [id, id]),
        find(tx),
      ]);
      return found;
    });
    if (!row) throw new Error(`Shopper for ${channelId}/${platformUserId} vanished.`);
    return toShopper(row);
  }

  async linkIdentity(shopperId: string, channelId: string, platformUserId: string, now: number): Promise<void> {
    await this.db.run(
      `INSERT INTO identities (channel_id, platform_user_id, shopper_id, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (channel_id, platform_user_id) DO UPDATE SET shopper_id = excluded.shopper_id`,
      [channelId, platformUserId, shopperId, now],
    );
  }

  async identitiesOf(shopperId: string) {
    const rows = await this.db.all<{ channel_id: string; platform_user_id: string }>(
      'SELECT channel_id, platform_user_id FROM identities WHERE shopper_id = ? ORDER BY created_at',
      [shopperId],
    );
    return rows.map((r) => ({ channelId: r.channel_id, platformUserId: r.platform_user_id }));
  }

  async ensureConversation(ref: ConversationRef, shopperId: string, now: number): Promise<Conversation> {
    const found = await this.findConversation(ref);
    if (found) return found;
    const key = conversationKey(ref);
    // Issued together (one round trip on Postgres): whoever created it first, the row is read back.
    const row = await this.db.transaction(async (tx) => {
      const [, created] = await Promise.all([
        tx.run(
          `INSERT INTO conversations (id, shopper_id, channel_id, conv_key, ref_json, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (conv_key) DO NOTHING`,
          [randomUUID(), shopperId, ref.channelId, key, JSON.stringify(ref), now, now],
        ),
        tx.get<ConversationRow>('SELECT * FROM conversations WHERE conv_key = ?', [key]),
      ]);
      return created;
    });
    if (!row) throw new Error(`Conversation ${key} vanished.`);
    return toConversation(row);
  }

  async findConversation(ref: ConversationRef): Promise<Conversation | undefined> {
    const row = await this.db.get<ConversationRow>('SELECT * FROM conversations WHERE conv_key = ?', [conversationKey(ref)]);
    return row && toConversation(row);
  }

  async getConversation(id: string): Promise<Conversation | undefined> {
    const row = await this.db.get<ConversationRow>('SELECT * FROM conversations WHERE id = ?', [id]);
    return row && toConversation(row);
  }

  async listConversations(options: { limit: number; before?: number; state?: ConversationState }) {
    const rows = await this.db.all<ConversationRow>(
      `SELECT * FROM conversations WHERE updated_at < ? AND (CAST(? AS TEXT) IS NULL OR state = ?)
       ORDER BY updated_at DESC LIMIT ?`,
      [options.before ?? Number.MAX_SAFE_INTEGER, options.state ?? null, options.state ?? null, options.limit],
    );
    return rows.map(toConversation);
  }

  async updateConversation(id: string, patch: Parameters<Store['updateConversation']>[1], now: number) {
    await this.patchConversation(this.db, id, patch, now);
  }

  async listMessages(conversationId: string, options: { afterSeq?: number; limit: number }) {
    const rows = await this.db.all<MessageRow>('SELECT * FROM messages WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?', [
      conversationId,
      options.afterSeq ?? 0,
      options.limit,
    ]);
    return rows.map(toMessage);
  }

  claimOutbox(now: number, leaseMs: number, limit: number): Promise<OutboxItem[]> {
    return queue.claimOutbox(this.db, now, leaseMs, limit);
  }

  claimOutboxOf(messageId: string, now: number, leaseMs: number): Promise<OutboxItem | undefined> {
    return queue.claimOutboxOf(this.db, messageId, now, leaseMs);
  }

  releaseOutboxLeases(): Promise<number> {
    return this.db.run(`UPDATE outbox SET status = 'pending', lease_until = NULL WHERE status = 'sending'`);
  }

  renewOutboxLeases(ids: readonly number[], now: number, leaseMs: number): Promise<number> {
    return queue.renewLeases(this.db, 'outbox', ids, now, leaseMs);
  }

  /**
   * Records a delivery attempt. With `claimNext`, a final outcome (sent or dead) also claims
   * the conversation's next due row in the same commit and returns it, for the caller to
   * deliver in the slot this one frees.
   */
  recordDelivery(id: number, outcome: DeliveryOutcome, now: number, options: { claimNext?: { leaseMs: number } } = {}): Promise<OutboxItem[]> {
    return this.deliveries.add({ id, outcome, now, ...options });
  }

  async listOutbox(options: { status?: OutboxItem['status']; conversationId?: string; limit: number }) {
    const status = options.status ?? null;
    const conversation = options.conversationId ?? null;
    const rows = await this.db.all<OutboxRow>(
      `SELECT * FROM outbox WHERE (CAST(? AS TEXT) IS NULL OR status = ?) AND (CAST(? AS TEXT) IS NULL OR conversation_id = ?) ORDER BY id DESC LIMIT ?`,
      [status, status, conversation, conversation, options.limit],
    );
    return rows.map(toOutboxItem);
  }

  resendOutbox(id: number, now: number) {
    return this.db.transaction((tx) => queue.resendDead(tx, id, now));
  }

  async deliveryAttempts(outboxId: number) {
    const rows = await this.db.all<{ attempt: number; at: number; ok: number; error: string | null; reason: string | null }>(
      'SELECT attempt, at, ok, error, reason FROM delivery_attempts WHERE outbox_id = ? ORDER BY id',
      [outboxId],
    );
    return rows.map((r) => {
      const reason = asDeliveryReason(r.reason);
      return { attempt: Number(r.attempt), at: Number(r.at), ok: Number(r.ok) === 1, ...(r.error ? { error: r.error } : {}), ...(reason ? { reason } : {}) };
    });
  }

  async updateMessageStatus(platformMessageId: string, status: DeliveryStatus): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const row = await tx.get<{ id: string; status: string }>("SELECT id, status FROM messages WHERE platform_message_id = ? AND direction = 'out'", [
        platformMessageId,
      ]);
      if (!row) return false;
      const current = row.status === 'pending' || row.status === 'received' ? undefined : (row.status as DeliveryStatus);
      if (!advancesStatus(current, status)) return false;
      await tx.run('UPDATE messages SET status = ? WHERE id = ?', [status, row.id]);
      return true;
    });
  }

  async kvGet(key: string, now: number): Promise<string | undefined> {
    const row = await this.db.get<{ value: string; expires_at: number | null }>('SELECT value, expires_at FROM kv WHERE key = ?', [key]);
    return row && (row.expires_at === null || Number(row.expires_at) > now) ? row.value : undefined;
  }

  async kvSet(key: string, value: string, expiresAt: number | undefined): Promise<void> {
    await this.db.run(
      'INSERT INTO kv (key, value, expires_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at',
      [key, value, expiresAt ?? null],
    );
  }

  async acquireLease(name: string, owner: string, ttlMs: number, now: number): Promise<boolean> {
    await this.db.run(
      `INSERT INTO leases (name, owner, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
       WHERE leases.owner = excluded.owner OR leases.expires_at < ?`,
      [name, owner, now + ttlMs, now],
    );
    const row = await this.db.get<{ owner: string }>('SELECT owner FROM leases WHERE name = ?', [name]);
    return row?.owner === owner;
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    await this.db.run('DELETE FROM leases WHERE name = ? AND owner = ?', [name, owner]);
  }

  async getSetting(key: string): Promise<string | undefined> {
    return (await this.db.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', [key]))?.value;
  }

  async initSetting(key: string, value: string): Promise<string> {
    await this.db.run('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING', [key, value]);
    return (await this.getSetting(key)) as string;
  }
}
