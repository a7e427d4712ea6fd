/**
 * Group commit: calls that arrive within one turn of the event loop share one transaction, so
 * a burst pays for one commit (SQLite writes and syncs the WAL once; Postgres does one round
 * trip per statement but one COMMIT). Each caller still resolves only after the commit that
 * holds its work. If the shared transaction fails, each call is retried in a transaction of
 * its own, so one bad call cannot fail the others.
 *
 * @example
 * ```ts
 * const deliveries = new GroupCommit((calls: Delivery[]) => db.transaction(async (tx) => Promise.all(calls.map((c) => write(tx, c)))));
 * await deliveries.add({ id: 7, ok: true });
 * ```
 */
export class GroupCommit<A, R> {
  private batch: { arg: A; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];

  /** `commit` runs the calls, in order, in one transaction and returns one result per call. */
  constructor(private readonly commit: (args: A[]) => Promise<R[]>) {}

  add(arg: A): Promise<R> {
    return new Promise((resolve, reject) => {
      this.batch.push({ arg, resolve, reject });
      if (this.batch.length === 1) setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const batch = this.batch;
    this.batch = [];
    try {
      const results = await this.commit(batch.map((call) => call.arg));
      batch.forEach((call, i) => call.resolve(results[i] as R));
    } catch (err) {
      const [only] = batch;
      if (batch.length === 1 && only) return only.reject(err);
      for (const call of batch) this.commit([call.arg]).then((r) => call.resolve(r[0] as R), call.reject);
    }
  }
}
