import type { Logger } from '../core/ports.js';

/** How held items are renewed (see {@link renewEvery}). */
export interface Renewal<T> {
  /** How often: a fraction of the lease, so a late tick or two is survived. */
  everyMs: number;
  /** Extends the leases of every item held now (one statement for all of them). */
  items(items: T[]): Promise<unknown>;
}

/** Options of a {@link Heartbeat}. */
export interface HeartbeatOptions<T> extends Renewal<T> {
  name: string;
  log: Logger;
}

/**
 * Keeps the leases of the rows this process works on alive, so leases can be short: a turn
 * that takes longer than the lease (a slow model) is never claimed by another instance while
 * this one lives, and a dead instance's rows are free one lease after its last tick. One timer
 * per heartbeat, running only while something is held.
 *
 * @example
 * ```ts
 * const heartbeat = new Heartbeat({ name: 'inbox', log, ...renewEvery(leaseMs, (ids) => store.renewInboxLeases(ids, clock.now(), leaseMs)) });
 * async function held(item: InboxItem, turn: (item: InboxItem) => Promise<void>) {
 *   const release = heartbeat.hold(item);
 *   try { await turn(item); } finally { release(); }
 * }
 * ```
 */
export class Heartbeat<T> {
  private readonly held = new Set<T>();
  private timer: NodeJS.Timeout | undefined;
  private beating = false;

  constructor(private readonly options: HeartbeatOptions<T>) {}

  /** Renews `item`'s lease until the returned function is called. */
  hold(item: T): () => void {
    this.held.add(item);
    this.timer ??= setInterval(() => void this.beat(), this.options.everyMs).unref();
    return () => {
      this.held.delete(item);
      if (this.held.size === 0) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    };
  }

  private async beat(): Promise<void> {
    // A renewal still running (a slow database) is not stacked on.
    if (this.beating || this.held.size === 0) return;
    this.beating = true;
    try {
      await this.options.items([...this.held]);
    } catch (err) {
      this.options.log.warn({ err, worker: this.options.name, held: this.held.size }, 'lease renewal failed; retrying next tick');
    } finally {
      this.beating = false;
    }
  }
}

/**
 * A queue's renewal: three times per lease, so a late tick or two does not lose a row, and a dead process's rows are free at most one lease after its last tick.
 */
export function renewEvery<T extends { id: number | string }>(leaseMs: number, renew: (ids: T['id'][]) => Promise<unknown>): Renewal<T> {
  return { everyMs: Math.max(1, Math.floor(leaseMs / 3)), items: (items: T[]) => renew(items.map((i) => i.id)) };
}
