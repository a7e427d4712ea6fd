/**
 * Shoppers' data rights: erase one shopper everywhere (with an audit record that holds no
 * personal data) or export everything held about them. Used by `DELETE /api/v1/shoppers/{ref}`,
 * `GET /api/v1/shoppers/{ref}/export` and the console's admin privacy tab (docs/privacy.md).
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { isParleyError, ParleyError } from '../core/errors.js';
import type { Clock, Logger } from '../core/ports.js';
import type { MediaStore } from '../media/port.js';
import type { SqlDriver } from '../store/driver.js';
import type { ShopperRow } from '../store/rows.js';
import { eraseShopper, findShopper, type Subject } from './erase.js';
import { exportShopper } from './export.js';
import { releaseMedia } from './media.js';
import { add, type Counts } from './sql.js';

/** What the privacy service runs on. */
export interface PrivacyDeps {
  driver: SqlDriver;
  clock: Clock;
  log: Logger;
  /** Waits between tries while a turn of the shopper runs (tests pass one that does not wait). */
  sleep?(ms: number): Promise<void>;
  /** How long an erasure waits for a running turn before answering `shopper_busy` (default 5 s). */
  busyWaitMs?: number;
  /** The media store: an erasure deletes the shopper's stored photos, voice notes and files no other message names. */
  media?: MediaStore;
}

/** The audit record of one erasure: no personal data, only keyed hashes of who was erased. */
export interface Erasure {
  id: string;
  at: number;
  /** Who asked: `api:<key fingerprint>` or `agent:<agent id>`. */
  actor: string;
  /** Rows removed per kind of record. */
  counts: Counts;
}

const RETRY_MS = 250;

/**
 * The privacy service.
 *
 * @example
 * ```ts
 * const privacy = createPrivacy({ driver, clock, log });
 * const erasure = await privacy.erase({ by: 'ref', value: 'C-1001' }, 'api:3f2a9c1d'); // { id, at, actor, counts }
 * ```
 */
export function createPrivacy(deps: PrivacyDeps) {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let key: Promise<string> | undefined;
  // The hash key lives in the database, so every instance hashes alike; without it the hashes
  // cannot be linked back to a shopper id or customer ref.
  const hashKey = () =>
    (key ??= (async () => {
      await deps.driver.run('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING', [
        'erasure_key',
        randomBytes(32).toString('base64url'),
      ]);
      return (await deps.driver.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', ['erasure_key']))?.value ?? '';
    })());
  const hash = async (kind: string, value: string) =>
    createHmac('sha256', await hashKey())
      .update(`${kind}:${value}`)
      .digest('base64url');

  async function shopperOf(subject: Subject): Promise<ShopperRow> {
    const shopper = await findShopper(deps.driver, subject);
    if (shopper) return shopper;
    const column = subject.by === 'ref' ? 'ref_hash' : 'shopper_hash';
    const earlier = await deps.driver.get<{ id: string; at: number }>(`SELECT id, at FROM erasures WHERE ${column} = ? ORDER BY at DESC LIMIT 1`, [
      await hash(subject.by === 'ref' ? 'ref' : 'shopper', subject.value),
    ]);
    const who = subject.by === 'ref' ? `customer ref "${subject.value}"` : `shopper id "${subject.value}"`;
    const message = earlier
      ? `Nothing is held about ${who}: it was erased at ${new Date(Number(earlier.at)).toISOString()} (erasure ${earlier.id}).`
      : `No shopper has ${who}. Use ?by=id for a shopper id (the console shows it).`;
    throw new ParleyError('UNKNOWN_SHOPPER', message);
  }

  async function eraseOnce(subject: Subject, actor: string): Promise<Erasure> {
    const shopper = await shopperOf(subject);
    const at = deps.clock.now();
    const audit = {
      id: `erasure-${randomUUID()}`,
      actor,
      shopperHash: await hash('shopper', shopper.id),
      ...(shopper.customer_ref ? { refHash: await hash('ref', shopper.customer_ref) } : {}),
    };
    const media: string[] = [];
    const counts = await eraseShopper(deps.driver, shopper, at, audit, media);
    add(counts, 'media', await releaseMedia(deps.driver, deps.media, media, deps.log));
    deps.log.info({ erasure: audit.id, actor, counts }, 'shopper erased');
    return { id: audit.id, at, actor, counts };
  }

  return {
    /**
     * Erases the shopper in one transaction. Throws `UNKNOWN_SHOPPER` when nothing is held (the
     * message says when an earlier erasure removed them) and `SHOPPER_BUSY` when one of their
     * messages was still being answered after `busyWaitMs`.
     */
    async erase(subject: Subject, actor: string): Promise<Erasure> {
      const tries = Math.max(1, Math.ceil((deps.busyWaitMs ?? 5000) / RETRY_MS));
      for (let attempt = 1; ; attempt++) {
        try {
          return await eraseOnce(subject, actor);
        } catch (err) {
          if (!isParleyError(err, 'SHOPPER_BUSY') || attempt >= tries) throw err;
          await sleep(RETRY_MS);
        }
      }
    },

    /** Everything held about the shopper (see `exportShopper`); `UNKNOWN_SHOPPER` when nothing is. */
    async export(subject: Subject) {
      return exportShopper(deps.driver, await shopperOf(subject), deps.clock.now());
    },
  };
}

/** The privacy service's operations. */
export type Privacy = ReturnType<typeof createPrivacy>;
