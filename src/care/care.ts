import { deliverCare } from './deliver.js';
import type { CareDeps } from './deps.js';
import { listenToShoppers } from './listen.js';
import { createCareOperators } from './operators.js';
import { createScheduler } from './scheduler.js';
import { createCareService } from './service.js';


/**
 * Proactive customer care, wired: the shop-backend operations, the operators' log, the bus
 * listener (opt-out, feedback answers) and the durable scheduler.
 *
 * @example
 * ```ts
 * const care = createCare(deps);
 * care.start();
 * await care.service.handleEvent(event, idempotencyKey);
 * ```
 */
export function createCare(deps: CareDeps) {
  const service = createCareService(deps);
  const operators = createCareOperators(deps);
  const scheduler = createScheduler(deps, { deliver: async (job) => void (await deliverCare(deps, String(job.payload.id))) });
  let listener: ReturnType<typeof listenToShoppers> | undefined;
  return {
    service,
    operators,
    deps,
    async start(): Promise<void> {
      // The embedded database has one owner: jobs a dead process held are ours again.
      if (deps.store.dialect === 'sqlite') await deps.care.releaseJobLeases();
      listener = listenToShoppers(deps);
      scheduler.start();
    },
    /** Looks for due jobs now (after the clock moved, in tests). */
    wake: () => scheduler.wake(),
    async idle(): Promise<void> {
      await listener?.idle();
      await scheduler.idle();
    },
    async stop(): Promise<void> {
      listener?.stop();
      await scheduler.stop();
      await listener?.idle();
    },
  };
}

/** A wired care module (see {@link createCare}). */
export type Care = ReturnType<typeof createCare>;
