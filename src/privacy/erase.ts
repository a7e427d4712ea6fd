/**
 * Erasing one shopper everywhere Parley keeps something about them, in one transaction: if a
 * message of theirs is being answered at that moment, nothing is erased and the caller retries.
 */
import { ParleyError } from '../core/errors.js';
import type { SqlDriver, SqlExecutor } from '../store/driver.js';
import type { ConversationRow, ShopperRow } from '../store/rows.js';
import {
  add,
  type Counts,
  deleteCareMessages,
  deleteConversationData,
  deleteInbox,
  inboxOfConversations,
  inboxOfUser,
  placeholders,
  unreachableKey,
} from './sql.js';

/** How an erasure or export names the shopper: the shop's customer ref, or Parley's shopper id. */
export interface Subject {
  by: 'ref' | 'id';
  value: string;
}

/** The shopper a subject names, if Parley holds one. */
export async function findShopper(db: SqlExecutor, subject: Subject): Promise<ShopperRow | undefined> {
  const column = subject.by === 'ref' ? 'customer_ref' : 'id';
  return db.get<ShopperRow>(`SELECT * FROM shoppers WHERE ${column} = ?`, [subject.value]);
}

/** The shopper's channel identities and the users their conversations were with. */
async function channelUsers(tx: SqlExecutor, shopperId: string, convs: readonly ConversationRow[]) {
  const identities = await tx.all<{ channel_id: string; platform_user_id: string }>(
    'SELECT channel_id, platform_user_id FROM identities WHERE shopper_id = ?',
    [shopperId],
  );
  const users = new Map<string, { channelId: string; userId: string }>();
  const note = (channelId: string, userId: string) => users.set(`${channelId}\u0000${userId}`, { channelId, userId });
  for (const i of identities) note(i.channel_id, i.platform_user_id);
  for (const c of convs) {
    const ref = JSON.parse(c.ref_json) as { channelId: string; userId: string };
    note(ref.channelId, ref.userId);
  }
  return { identities: identities.length, users: [...users.values()] };
}

/** The erasure log's record, written in the erasure's transaction: keyed hashes, never the shopper's ids. */
export interface AuditRecord {
  id: string;
  actor: string;
  shopperHash: string;
  refHash?: string;
}

/**
 * Erases a shopper in one transaction: their inbound events (processed or waiting), conversations
 * with everything hanging off them (src/privacy/sql.ts), care profile and care log, channel
 * identities and membership flags, demo mails to their address, and the shopper row; and logs
 * the erasure in `erasures`. `media` collects the stored media ids their messages named (the
 * caller deletes the blobs nothing else names once this has committed). Throws `SHOPPER_BUSY` (nothing erased) while one of their messages
 * is being answered, `UNKNOWN_SHOPPER` when another erasure removed them first.
 *
 * @example
 * ```ts
 * const audit = { id: 'erasure-1', actor: 'api:3f2a9c1d', shopperHash: 'k3…' };
 * const counts = await eraseShopper(driver, shopperRow, clock.now(), audit); // { messages: 12, conversations: 2, ... }
 * ```
 */
export async function eraseShopper(driver: SqlDriver, shopper: ShopperRow, now: number, audit: AuditRecord, media?: string[]): Promise<Counts> {
  return driver.transaction(async (tx) => {
    const convs = await tx.all<ConversationRow>('SELECT * FROM conversations WHERE shopper_id = ?', [shopper.id]);
    // No conversation-key locks (Postgres): a committing turn holds its inbox row and then asks
    // for its conversation's key, so taking the key first and then that row would deadlock. An
    // event accepted while this runs counts as written after the erasure: a new shopper's.
    const counts: Counts = {};
    const { identities, users } = await channelUsers(tx, shopper.id, convs);
    const inbox = new Set(
      await inboxOfConversations(
        tx,
        convs.map((c) => c.conv_key),
      ),
    );
    for (const u of users) for (const id of await inboxOfUser(tx, u.channelId, u.userId)) inbox.add(id);
    // First, so a turn in progress stops the erasure before anything else is touched.
    add(counts, 'inboundEvents', await deleteInbox(tx, [...inbox], now));
    await deleteConversationData(tx, convs, counts, { translations: true, ...(media ? { media } : {}) });
    await deleteShopperRecords(tx, shopper, counts);
    const keys = users.map((u) => unreachableKey(u.channelId, u.userId));
    if (keys.length) add(counts, 'state', await tx.run(`DELETE FROM kv WHERE key IN (${placeholders(keys.length)})`, keys));
    add(counts, 'identities', identities);
    await tx.run('DELETE FROM identities WHERE shopper_id = ?', [shopper.id]);
    // Zero: an erasure running at the same time got there first (this one rolls back).
    if ((await tx.run('DELETE FROM shoppers WHERE id = ?', [shopper.id])) === 0) throw new ParleyError('UNKNOWN_SHOPPER', 'The shopper was erased meanwhile.');
    add(counts, 'shoppers', 1);
    await tx.run('INSERT INTO erasures (id, at, actor, shopper_hash, ref_hash, counts_json) VALUES (?, ?, ?, ?, ?, ?)', [
      audit.id,
      now,
      audit.actor,
      audit.shopperHash,
      audit.refHash ?? null,
      JSON.stringify(counts),
    ]);
    return counts;
  });
}

/** What hangs off the shopper rather than a conversation: care profile, care log, feedback, demo mails. */
async function deleteShopperRecords(tx: SqlExecutor, shopper: ShopperRow, counts: Counts): Promise<void> {
  const profile = await tx.get<{ email: string | null }>('SELECT email FROM care_profiles WHERE shopper_id = ?', [shopper.id]);
  const ref = shopper.customer_ref;
  await deleteCareMessages(tx, ref ? 'shopper_id = ? OR customer_ref = ?' : 'shopper_id = ?', ref ? [shopper.id, ref] : [shopper.id], counts);
  add(counts, 'feedback', await tx.run('DELETE FROM care_feedback WHERE shopper_id = ?', [shopper.id]));
  add(counts, 'careProfiles', await tx.run('DELETE FROM care_profiles WHERE shopper_id = ?', [shopper.id]));
  if (profile?.email) add(counts, 'mails', await tx.run('DELETE FROM demo_mail WHERE LOWER(to_address) = ?', [profile.email.toLowerCase()]));
}
