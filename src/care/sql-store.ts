import { randomUUID } from 'node:crypto';
import type { Conversation, Shopper } from '../core/store.js';
import type { SqlDriver } from '../store/driver.js';
import { compact, type ConversationRow, type ShopperRow, toConversation, toShopper } from '../store/rows.js';
import {
  type FeedbackRow,
  type JobRow,
  LOG_SELECT,
  type MessageRow,
  messageColumns,
  num,
  type ProfileRow,
  profileColumns,
  setClause,
  toCareMessage,
  toFeedback,
  toProfile,
} from './sql-rows.js';
import type { CareLogEntry, CareMessage, CareProfile, CareStore, FeedbackRecord, FeedbackSummaryRow, IdempotentRequest, ScheduledJob } from './types.js';

/** The {@link CareStore} on SQL, sharing the gateway's database connection. */
export class SqlCareStore implements CareStore {
  constructor(private readonly db: SqlDriver) {}

  async shopperByRef(customerRef: string): Promise<Shopper | undefined> {
    const row = await this.db.get<ShopperRow>('SELECT * FROM shoppers WHERE customer_ref = ?', [customerRef]);
    return row && toShopper(row);
  }

  async getShopper(id: string): Promise<Shopper | undefined> {
    const row = await this.db.get<ShopperRow>('SELECT * FROM shoppers WHERE id = ?', [id]);
    return row && toShopper(row);
  }

  async linkCustomer(customerRef: string, identities: { channelId: string; platformUserId: string }[], now: number) {
    return this.db.transaction(async (tx) => {
      const owners: (ShopperRow | undefined)[] = [];
      for (const i of identities) {
        owners.push(
          await tx.get<ShopperRow>('SELECT s.* FROM shoppers s JOIN identities i ON i.shopper_id = s.id WHERE i.channel_id = ? AND i.platform_user_id = ?', [
            i.channelId,
            i.platformUserId,
          ]),
        );
      }
      const conflicts = identities
        .filter((_, n) => owners[n]?.customer_ref && owners[n]?.customer_ref !== customerRef)
        .map((i) => `${i.channelId}/${i.platformUserId}`);
      let target = await tx.get<ShopperRow>('SELECT * FROM shoppers WHERE customer_ref = ?', [customerRef]);
      if (conflicts.length) return { shopper: target ? toShopper(target) : ({ id: '', createdAt: now } as Shopper), conflicts };
      if (!target) {
        const anonymous = owners.find((o) => o && !o.customer_ref);
        const id = anonymous?.id ?? randomUUID();
        if (anonymous) await tx.run('UPDATE shoppers SET customer_ref = ?, updated_at = ? WHERE id = ?', [customerRef, now, id]);
        else await tx.run('INSERT INTO shoppers (id, customer_ref, created_at, updated_at) VALUES (?, ?, ?, ?)', [id, customerRef, now, now]);
        target = await tx.get<ShopperRow>('SELECT * FROM shoppers WHERE id = ?', [id]);
      }
      const targetId = (target as ShopperRow).id;
      for (const [n, i] of identities.entries()) {
        const owner = owners[n];
        if (owner && owner.id !== targetId) {
          // An anonymous shopper who wrote before is the same person: their conversations move over.
          await tx.run('UPDATE conversations SET shopper_id = ? WHERE shopper_id = ?', [targetId, owner.id]);
          await tx.run('UPDATE identities SET shopper_id = ? WHERE shopper_id = ?', [targetId, owner.id]);
          await tx.run('UPDATE care_feedback SET shopper_id = ? WHERE shopper_id = ?', [targetId, owner.id]);
          await tx.run('DELETE FROM shoppers WHERE id = ?', [owner.id]);
        } else if (!owner) {
          await tx.run(
            `INSERT INTO identities (channel_id, platform_user_id, shopper_id, created_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (channel_id, platform_user_id) DO UPDATE SET shopper_id = excluded.shopper_id`,
            [i.channelId, i.platformUserId, targetId, now],
          );
        }
      }
      return { shopper: toShopper(target as ShopperRow), conflicts: [] as string[] };
    });
  }

  async shopperByContact(contact: { email?: string; phoneDigits?: string }, whatsappChannels: string[]) {
    if (contact.email) {
      const row = await this.db.get<ShopperRow>(
        'SELECT s.* FROM shoppers s JOIN care_profiles p ON p.shopper_id = s.id WHERE p.email = ? AND p.email_verified = 1',
        [contact.email.toLowerCase()],
      );
      if (row) return toShopper(row);
    }
    if (contact.phoneDigits) {
      const row = await this.db.get<ShopperRow>(
        'SELECT s.* FROM shoppers s JOIN care_profiles p ON p.shopper_id = s.id WHERE p.phone = ? AND p.phone_verified = 1',
        [contact.phoneDigits],
      );
      if (row) return toShopper(row);
      // A WhatsApp user id is the phone number WhatsApp itself verified.
      for (const channelId of whatsappChannels) {
        const wa = await this.db.get<ShopperRow>(
          'SELECT s.* FROM shoppers s JOIN identities i ON i.shopper_id = s.id WHERE i.channel_id = ? AND i.platform_user_id = ?',
          [channelId, contact.phoneDigits],
        );
        if (wa) return toShopper(wa);
      }
    }
    return undefined;
  }

  async conversationsOf(shopperId: string): Promise<Conversation[]> {
    const rows = await this.db.all<ConversationRow>('SELECT * FROM conversations WHERE shopper_id = ? ORDER BY updated_at DESC', [shopperId]);
    return rows.map(toConversation);
  }

  async identitiesOf(shopperId: string) {
    const rows = await this.db.all<{ channel_id: string; platform_user_id: string }>(
      'SELECT channel_id, platform_user_id FROM identities WHERE shopper_id = ? ORDER BY created_at',
      [shopperId],
    );
    return rows.map((r) => ({ channelId: r.channel_id, platformUserId: r.platform_user_id }));
  }

  async getProfile(shopperId: string): Promise<CareProfile | undefined> {
    const row = await this.db.get<ProfileRow>('SELECT * FROM care_profiles WHERE shopper_id = ?', [shopperId]);
    return row && toProfile(row);
  }

  async patchProfile(shopperId: string, patch: Parameters<CareStore['patchProfile']>[1], now: number): Promise<CareProfile> {
    const normalized = { ...patch, ...(patch.email ? { email: patch.email.toLowerCase() } : {}) };
    await this.db.run('INSERT INTO care_profiles (shopper_id, updated_at) VALUES (?, ?) ON CONFLICT (shopper_id) DO NOTHING', [shopperId, now]);
    const { sets, params } = setClause(normalized, profileColumns);
    if (patch.optedOutAt === null) sets.push('opted_out_at = NULL');
    await this.db.run(`UPDATE care_profiles SET ${[...sets, 'updated_at = ?'].join(', ')} WHERE shopper_id = ?`, [...params, now, shopperId]);
    return (await this.getProfile(shopperId)) as CareProfile;
  }

  async claimRequest(key: string, bodyHash: string, now: number): Promise<IdempotentRequest | undefined> {
    const inserted = await this.db.run('INSERT INTO care_requests (key, body_hash, status, created_at) VALUES (?, ?, 0, ?) ON CONFLICT (key) DO NOTHING', [
      key,
      bodyHash,
      now,
    ]);
    if (inserted > 0) return undefined;
    const row = await this.db.get<{ body_hash: string; status: number; response_json: string | null }>(
      'SELECT body_hash, status, response_json FROM care_requests WHERE key = ?',
      [key],
    );
    if (!row) return this.claimRequest(key, bodyHash, now);
    return { bodyHash: row.body_hash, status: Number(row.status), ...(row.response_json ? { response: JSON.parse(row.response_json) } : {}) };
  }

  async finishRequest(key: string, status: number, response: unknown): Promise<void> {
    await this.db.run('UPDATE care_requests SET status = ?, response_json = ? WHERE key = ?', [status, JSON.stringify(response), key]);
  }

  async dropRequest(key: string): Promise<void> {
    await this.db.run('DELETE FROM care_requests WHERE key = ?', [key]);
  }

  async insertMessage(m: CareMessage): Promise<boolean> {
    const changed = await this.db.run(
      `INSERT INTO care_messages (id, kind, category, shopper_id, customer_ref, order_id, payload_json, status, reason,
         conversation_id, channel_id, language, message_id, attempts, scheduled_for, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
      [
        m.id,
        m.kind,
        m.category,
        m.shopperId ?? null,
        m.customerRef ?? null,
        m.orderId ?? null,
        JSON.stringify(m.payload),
        m.status,
        m.reason ?? null,
        m.conversationId ?? null,
        m.channelId ?? null,
        m.language ?? null,
        m.messageId ?? null,
        m.attempts,
        m.scheduledFor ?? null,
        m.createdAt,
        m.updatedAt,
      ],
    );
    return changed > 0;
  }

  async getMessage(id: string): Promise<CareMessage | undefined> {
    const row = await this.db.get<MessageRow>(`${LOG_SELECT} WHERE c.id = ?`, [id]);
    return row && toCareMessage(row);
  }

  async updateMessage(id: string, patch: Parameters<CareStore['updateMessage']>[1], now: number): Promise<void> {
    const { sets, params } = setClause({ ...patch, updatedAt: now }, messageColumns);
    // `reason` is cleared when a later attempt succeeds.
    if ('reason' in patch && patch.reason === undefined) sets.push('reason = NULL');
    await this.db.run(`UPDATE care_messages SET ${sets.join(', ')} WHERE id = ?`, [...params, id]);
  }

  async listLog(options: { status?: string; limit: number; before?: number }): Promise<CareLogEntry[]> {
    const rows = await this.db.all<MessageRow>(
      `${LOG_SELECT} WHERE c.created_at < ? AND (CAST(? AS TEXT) IS NULL OR c.status = ?) ORDER BY c.created_at DESC, c.id LIMIT ?`,
      [options.before ?? Number.MAX_SAFE_INTEGER, options.status ?? null, options.status ?? null, options.limit],
    );
    return rows.map(toCareMessage);
  }

  async countMarketingSince(shopperId: string, since: number): Promise<number> {
    const row = await this.db.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM care_messages WHERE shopper_id = ? AND category = 'marketing' AND status = 'sent' AND updated_at >= ?`,
      [shopperId, since],
    );
    return Number(row?.n ?? 0);
  }

  async heldFor(shopperId: string): Promise<CareMessage[]> {
    const rows = await this.db.all<MessageRow>(`${LOG_SELECT} WHERE c.shopper_id = ? AND c.status = 'held' ORDER BY c.created_at`, [shopperId]);
    return rows.map(toCareMessage);
  }

  async addJob(job: Omit<ScheduledJob, 'attempts'>, now: number): Promise<boolean> {
    const changed = await this.db.run(
      `INSERT INTO scheduled_jobs (id, kind, run_at, payload_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO NOTHING`,
      [job.id, job.kind, job.runAt, JSON.stringify(job.payload), now, now],
    );
    return changed > 0;
  }

  async claimJobs(now: number, leaseMs: number, limit: number): Promise<ScheduledJob[]> {
    const open = `((status = 'pending' AND run_at <= ?) OR (status = 'running' AND lease_until < ?))`;
    const rows = await this.db.all<JobRow>(
      `UPDATE scheduled_jobs SET status = 'running', lease_until = ?, attempts = attempts + 1, updated_at = ?
       WHERE id IN (SELECT id FROM scheduled_jobs WHERE ${open} ORDER BY run_at LIMIT ?) AND ${open}
       RETURNING *`,
      [now + leaseMs, now, now, now, limit, now, now],
    );
    return rows.map((r) => ({ id: r.id, kind: r.kind, runAt: Number(r.run_at), payload: JSON.parse(r.payload_json), attempts: Number(r.attempts) }));
  }

  async completeJob(id: string, now: number): Promise<void> {
    await this.db.run(`UPDATE scheduled_jobs SET status = 'done', lease_until = NULL, updated_at = ? WHERE id = ?`, [now, id]);
  }

  async failJob(id: string, error: string, retryAt: number | undefined, now: number): Promise<void> {
    await this.db.run(`UPDATE scheduled_jobs SET status = ?, last_error = ?, run_at = COALESCE(?, run_at), lease_until = NULL, updated_at = ? WHERE id = ?`, [
      retryAt === undefined ? 'failed' : 'pending',
      error,
      retryAt ?? null,
      now,
      id,
    ]);
  }

  renewJobLeases(ids: readonly string[], now: number, leaseMs: number): Promise<number> {
    if (ids.length === 0) return Promise.resolve(0);
    return this.db.run(`UPDATE scheduled_jobs SET lease_until = ? WHERE id IN (${ids.map(() => '?').join(', ')}) AND status = 'running' AND lease_until < ?`, [
      now + leaseMs,
      ...ids,
      now + leaseMs,
    ]);
  }

  releaseJobLeases(): Promise<number> {
    return this.db.run(`UPDATE scheduled_jobs SET status = 'pending', lease_until = NULL WHERE status = 'running'`);
  }

  async listJobs(options: { status?: string; limit: number }) {
    const rows = await this.db.all<JobRow>('SELECT * FROM scheduled_jobs WHERE (CAST(? AS TEXT) IS NULL OR status = ?) ORDER BY run_at LIMIT ?', [
      options.status ?? null,
      options.status ?? null,
      options.limit,
    ]);
    return rows.map(
      (r) =>
        compact({
          id: r.id,
          kind: r.kind,
          runAt: Number(r.run_at),
          payload: JSON.parse(r.payload_json),
          attempts: Number(r.attempts),
          status: r.status,
          lastError: r.last_error,
        }) as ScheduledJob & { status: string; lastError?: string },
    );
  }

  async insertFeedback(f: FeedbackRecord): Promise<void> {
    await this.db.run(
      `INSERT INTO care_feedback (id, order_id, shopper_id, conversation_id, channel_id, language, status, requested_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
      [f.id, f.orderId, f.shopperId ?? null, f.conversationId, f.channelId, f.language ?? null, f.status, f.requestedAt],
    );
  }

  async openFeedback(conversationId: string, since: number, messageId?: string): Promise<FeedbackRecord | undefined> {
    const row = await this.db.get<FeedbackRow>(
      `SELECT * FROM care_feedback WHERE conversation_id = ?
         AND ((status <> 'done' AND requested_at >= ?) OR answered_by = ?)
       ORDER BY CASE WHEN answered_by = ? THEN 0 ELSE 1 END, requested_at DESC LIMIT 1`,
      [conversationId, since, messageId ?? null, messageId ?? null],
    );
    return row && toFeedback(row);
  }

  async updateFeedback(id: string, patch: Parameters<CareStore['updateFeedback']>[1]): Promise<void> {
    const { sets, params } = setClause(patch, { rating: 'rating', comment: 'comment', status: 'status', answeredAt: 'answered_at', answeredBy: 'answered_by' });
    if (sets.length) await this.db.run(`UPDATE care_feedback SET ${sets.join(', ')} WHERE id = ?`, [...params, id]);
  }

  async feedbackSummary(options: { since?: number }): Promise<FeedbackSummaryRow[]> {
    const rows = await this.db.all<{ channel_id: string; language: string | null; rating: number | null; n: number }>(
      `SELECT channel_id, language, rating, COUNT(*) AS n FROM care_feedback WHERE requested_at >= ?
       GROUP BY channel_id, language, rating ORDER BY channel_id, language`,
      [options.since ?? 0],
    );
    const groups = new Map<string, FeedbackSummaryRow & { sum: number }>();
    for (const r of rows) {
      const language = r.language ?? 'und';
      const key = `${r.channel_id}\u0000${language}`;
      const g = groups.get(key) ?? { channelId: r.channel_id, language, requests: 0, answers: 0, distribution: [0, 0, 0, 0, 0], sum: 0 };
      const n = Number(r.n);
      const rating = num(r.rating);
      g.requests += n;
      if (rating !== undefined && rating >= 1 && rating <= 5) {
        g.answers += n;
        g.sum += rating * n;
        g.distribution[rating - 1] = (g.distribution[rating - 1] ?? 0) + n;
      }
      groups.set(key, g);
    }
    return [...groups.values()].map(({ sum, ...g }) => (g.answers ? { ...g, average: Math.round((sum / g.answers) * 100) / 100 } : g));
  }

  async listFeedback(options: { orderId?: string; limit: number }): Promise<FeedbackRecord[]> {
    const rows = await this.db.all<FeedbackRow>(
      'SELECT * FROM care_feedback WHERE (CAST(? AS TEXT) IS NULL OR order_id = ?) ORDER BY requested_at DESC LIMIT ?',
      [options.orderId ?? null, options.orderId ?? null, options.limit],
    );
    return rows.map(toFeedback);
  }
}
