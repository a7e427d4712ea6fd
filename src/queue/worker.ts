import type { Logger } from '../core/ports.js';
import { Heartbeat, type Renewal } from './heartbeat.js';

/** Options of a {@link ClaimLoop}. */
export interface ClaimLoopOptions<T> {
  name: string;
  /** How many items may be in flight at once. */
  concurrency: number;
  /** Look again this often even without a wake-up (other instances add work too). */
  pollMs: number;
  /** Claims up to `limit` items. */
  claim(limit: number): Promise<T[]>;
  /** Handles one claimed item; must not throw (errors are the handler's to record). */
  handle(item: T): Promise<void>;
  /**
   * Extends the leases of the items in flight every `everyMs` (see {@link Heartbeat}): leases
   * can then be short, and a dead process's items are claimed again soon.
   */
  renew?: Renewal<T>;
  log: Logger;
}

/**
 * Claims work from the database and runs it with bounded concurrency. The database decides
 * what may run (one event per conversation at a time); this loop only keeps the slots full.
 * One mechanism for the embedded and the scale-out deployment: `wake()` makes it look now,
 * the poll catches work added by other instances.
 *
 * Work is mostly handed over rather than claimed: an event is claimed in the commit that
 * accepts it (`reserve` a slot first), and a finished item's commit claims its conversation's
 * successor (`adopt`). The loop claims only when told there may be more (`wake`, the poll, a
 * full batch): a claim after every finished item would scan the open rows for nothing.
 */
export class ClaimLoop<T> {
  private inFlight = 0;
  /** Slots promised to items being claimed elsewhere (see {@link reserve}). */
  private reserved = 0;
  /** Whether a claim may find something: false after a claim came back short, until a wake-up. */
  private maybeMore = true;
  /** Counts wake-ups, so a claim that started before one cannot clear `maybeMore`. */
  private wakes = 0;
  private running = false;
  private pending = false;
  private timer: NodeJS.Timeout | undefined;
  private claiming: Promise<void> | undefined;
  private readonly idleWaiters: (() => void)[] = [];
  private readonly heartbeat: Heartbeat<T> | undefined;

  constructor(private readonly options: ClaimLoopOptions<T>) {
    if (options.renew) this.heartbeat = new Heartbeat({ name: options.name, log: options.log, ...options.renew });
  }

  start(): void {
    this.running = true;
    this.wake();
  }

  /** Looks for work now: there may be new work. */
  wake(): void {
    this.maybeMore = true;
    this.wakes++;
    this.look();
  }

  private look(): void {
    if (!this.running) return;
    if (this.claiming) {
      this.pending = true;
      return;
    }
    this.claiming = this.fill().finally(() => {
      this.claiming = undefined;
      if (this.pending) {
        this.pending = false;
        this.look();
      } else this.schedule();
    });
  }

  private schedule(): void {
    clearTimeout(this.timer);
    if (this.running) this.timer = setTimeout(() => this.wake(), this.options.pollMs).unref();
    this.notifyIdle();
  }

  private notifyIdle(): void {
    if (this.inFlight === 0 && !this.claiming) this.idleWaiters.splice(0).forEach((resolve) => resolve());
  }

  private free(): number {
    return this.options.concurrency - this.inFlight - this.reserved;
  }

  private async fill(): Promise<void> {
    const free = this.free();
    if (free <= 0) return;
    const wakes = this.wakes;
    let items: T[];
    try {
      items = await this.options.claim(free);
    } catch (err) {
      this.options.log.error({ err, worker: this.options.name }, 'claim failed');
      return;
    }
    // A short batch took everything claimable (unless work was added meanwhile); a full one
    // means there may be more: look again at once.
    if (items.length < free && wakes === this.wakes) this.maybeMore = false;
    for (const item of items) this.run(item);
    if (items.length === free) this.pending = true;
  }

  /**
   * Promises up to `wanted` free slots to items about to be claimed elsewhere (events claimed
   * in the commit that accepts them); returns how many. Hand them over with `adopt`.
   */
  reserve(wanted: number): number {
    if (!this.running) return 0;
    const granted = Math.max(0, Math.min(wanted, this.free()));
    this.reserved += granted;
    return granted;
  }

  /**
   * Runs items claimed elsewhere in this loop's slots: those `reserve`d (`reserved` of them are
   * given back, used or not), or a finished item's successor, which takes the slot it frees. A
   * turn's reply, claimed in the turn's own commit, may briefly take the loop past
   * `concurrency`; the claims then wait for slots.
   */
  adopt(items: readonly T[], reserved = 0): void {
    this.reserved = Math.max(0, this.reserved - reserved);
    if (!this.running) return; // Their leases run out and the next claim takes them.
    for (const item of items) this.run(item);
    // Unused reservations leave slots for what a claim would find.
    if (reserved > items.length && this.maybeMore) this.look();
  }

  private run(item: T): void {
    this.inFlight++;
    const release = this.heartbeat?.hold(item);
    void this.options.handle(item).finally(() => {
      release?.();
      this.inFlight--;
      // The freed slot goes to waiting work only if a claim could find some.
      if (this.maybeMore) this.look();
      else this.notifyIdle();
    });
  }

  /** Resolves when nothing is in flight (tests, graceful shutdown). */
  idle(): Promise<void> {
    if (this.inFlight === 0 && !this.claiming) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops claiming and waits for the items in flight. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.claiming;
    while (this.inFlight > 0) await new Promise((r) => setTimeout(r, 10));
  }
}
