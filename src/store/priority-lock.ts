// A burst: PRESSURE_JOBS urgent transactions within PRESSURE_WINDOW_MS (over ~400 commits/s,
// each commit already holding a batch of acknowledgements).
const PRESSURE_JOBS = 4;
const PRESSURE_WINDOW_MS = 10;
// Once background work has waited its turn of the event loop, it keeps the lock for up to this
// long (jobs back to back) before yielding again: one yield per statement made every turn pay
// a dozen event-loop turns. Under pressure the slice is short, so acknowledgements still wait
// at most a fraction of a millisecond behind background work.
const SLICE_MS = 2;
const PRESSED_SLICE_MS = 0.25;

/**
 * A mutex with two lanes. Urgent work (accepting a webhook before its acknowledgement) runs
 * first; background work (turns, deliveries) waits for a turn of the event loop before it
 * starts, so requests that arrived meanwhile are read and their urgent work jumps ahead. Under
 * a burst, acknowledgements stay fast and the durable inbox absorbs the backlog.
 */
export class PriorityLock {
  private readonly urgent: (() => void)[] = [];
  private readonly background: (() => void)[] = [];
  private busy = false;
  private waiting = false;
  /** When the last few urgent jobs ran (ms, monotonic), oldest first. */
  private readonly urgentTimes: number[] = [];
  /** While background work holds a slice: when the slice ends (ms, monotonic); 0 otherwise. */
  private sliceEnd = 0;

  run<T>(fn: () => Promise<T>, urgent = false): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const job = () => {
        fn()
          .then(resolve, reject)
          .finally(() => {
            this.busy = false;
            this.next();
          });
      };
      (urgent ? this.urgent : this.background).push(job);
      this.next();
    });
  }

  /** Resolves when everything queued so far has run. */
  drain(): Promise<void> {
    return this.run(async () => undefined);
  }

  private noteUrgent(): void {
    this.urgentTimes.push(performance.now());
    if (this.urgentTimes.length > PRESSURE_JOBS) this.urgentTimes.shift();
  }

  /** A burst: the last few urgent jobs all ran within a short window. */
  private underPressure(): boolean {
    const first = this.urgentTimes[0];
    return this.urgentTimes.length === PRESSURE_JOBS && first !== undefined && performance.now() - first < PRESSURE_WINDOW_MS;
  }

  private next(): void {
    if (this.busy || this.waiting) return;
    const urgent = this.urgent.shift();
    if (urgent) {
      this.busy = true;
      this.sliceEnd = 0;
      // Only urgent work that background work is waiting behind counts towards a burst: a
      // steady stream of turns, each acknowledged before it runs, is not one.
      if (this.background.length > 0) this.noteUrgent();
      urgent();
      return;
    }
    if (this.background.length === 0) return;
    if (this.sliceEnd > 0 && performance.now() < this.sliceEnd) {
      this.busy = true;
      (this.background.shift() as () => void)();
      return;
    }
    this.sliceEnd = 0;
    this.waiting = true;
    // While acknowledgements are streaming in, background work takes at most one short slice
    // per millisecond; once the burst is over it runs at full speed again.
    const pressed = this.underPressure();
    const schedule = pressed ? (fn: () => void) => setTimeout(fn, 1) : setImmediate;
    schedule(() => {
      this.waiting = false;
      if (this.busy) return;
      // The background job waited its turn: it runs now, so a steady stream of urgent work
      // slows background work down but never starves it.
      const job = this.background.shift() ?? this.urgent.shift();
      if (!job) return;
      this.busy = true;
      this.sliceEnd = performance.now() + (pressed ? PRESSED_SLICE_MS : SLICE_MS);
      job();
    });
  }
}
