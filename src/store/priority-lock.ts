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

  private next(): void {
    if (this.busy || this.waiting) return;
    const urgent = this.urgent.shift();
    if (urgent) {
      this.busy = true;
      urgent();
      return;
    }
    if (this.background.length === 0) return;
    this.waiting = true;
    setImmediate(() => {
      this.waiting = false;
      if (this.busy) return;
      const job = this.urgent.shift() ?? this.background.shift();
      if (!job) return;
      this.busy = true;
      job();
    });
  }
}
