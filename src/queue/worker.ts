import type { Logger } from '../core/ports.js';

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
  log: Logger;
}

/**
 * Claims work from the database and runs it with bounded concurrency. The database decides
 * what may run (one event per conversation at a time); this loop only keeps the slots full.
 * One mechanism for the embedded and the scale-out deployment: `wake()` makes it look now,
 * the poll catches work added by other instances.
 */
export class ClaimLoop<T> {
  private inFlight = 0;
  private running = false;
  private pending = false;
  private timer: NodeJS.Timeout | undefined;
  private claiming: Promise<void> | undefined;
  private readonly idleWaiters: (() => void)[] = [];

  constructor(private readonly options: ClaimLoopOptions<T>) {}

  start(): void {
    this.running = true;
    this.wake();
  }

  /** Looks for work now. */
  wake(): void {
    if (!this.running) return;
    if (this.claiming) {
      this.pending = true;
      return;
    }
    this.claiming = this.fill().finally(() => {
      this.claiming = undefined;
      if (this.pending) {
        this.pending = false;
        this.wake();
      } else this.schedule();
    });
  }

  private schedule(): void {
    clearTimeout(this.timer);
    if (this.running) this.timer = setTimeout(() => this.wake(), this.options.pollMs).unref();
    if (this.inFlight === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
  }

  private async fill(): Promise<void> {
    const free = this.options.concurrency - this.inFlight;
    if (free <= 0) return;
    let items: T[];
    try {
      items = await this.options.claim(free);
    } catch (err) {
      this.options.log.error({ err, worker: this.options.name }, 'claim failed');
      return;
    }
    for (const item of items) this.run(item);
    // A full batch means there may be more: look again at once.
    if (items.length === free) this.pending = true;
  }

  /**
   * Runs items claimed elsewhere (a turn's reply, claimed in the turn's own commit) in this
   * loop's slots. They may briefly take it past `concurrency`; the claims then wait for slots.
   */
  adopt(items: readonly T[]): void {
    if (!this.running) return; // Their leases run out and the next claim takes them.
    for (const item of items) this.run(item);
  }

  private run(item: T): void {
    this.inFlight++;
    void this.options.handle(item).finally(() => {
      this.inFlight--;
      this.wake();
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
