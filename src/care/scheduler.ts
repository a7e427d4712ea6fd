import { renewEvery } from '../queue/heartbeat.js';
import { ClaimLoop } from '../queue/worker.js';
import type { CareDeps } from './deps.js';
import type { ScheduledJob } from './types.js';

/** Runs one kind of job; throwing retries it with backoff. */
export type JobHandler = (job: ScheduledJob) => Promise<void>;

/**
 * Runs durable jobs from `scheduled_jobs` when they are due, on the injected clock: delayed
 * sends (feedback requests), dated greetings, messages deferred by quiet hours. A job is
 * claimed with a short lease renewed while it runs, so after a crash another instance runs it
 * within a lease; handlers are idempotent (stable message ids), so a job that ran but was not
 * marked done still sends once.
 *
 * @example
 * ```ts
 * const scheduler = createScheduler(deps, { deliver: (job) => deliverCare(deps, String(job.payload.id)) });
 * scheduler.start();
 * ```
 */
export function createScheduler(deps: CareDeps, handlers: Record<string, JobHandler>) {
  const { care, clock, log } = deps;
  const s = deps.settings.scheduler;

  async function run(job: ScheduledJob): Promise<void> {
    const handler = handlers[job.kind];
    try {
      if (!handler) throw new Error(`No handler for job kind "${job.kind}".`);
      await handler(job);
      await care.completeJob(job.id, clock.now());
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      const retry = job.attempts < s.maxAttempts ? clock.now() + 30_000 * 2 ** (job.attempts - 1) : undefined;
      await care.failJob(job.id, error, retry, clock.now()).catch(() => {});
      log.warn({ job: job.id, kind: job.kind, attempt: job.attempts, retry: retry !== undefined, err }, 'scheduled job failed');
    }
  }

  return new ClaimLoop<ScheduledJob>({
    name: 'care-scheduler',
    concurrency: Math.max(1, s.concurrency),
    pollMs: Math.max(10, s.pollMs),
    claim: (limit) => care.claimJobs(clock.now(), s.leaseMs, limit),
    handle: run,
    // Renewed while a job runs, so a short lease never lets another instance run it twice.
    renew: renewEvery<ScheduledJob>(s.leaseMs, (ids) => care.renewJobLeases(ids, clock.now(), s.leaseMs)),
    log,
  });
}
