import type { MembershipEvent } from '../core/message.js';
import { deliverCare } from './deliver.js';
import type { CareDeps } from './deps.js';
import { createCareIntercept } from './intercept.js';
import { listenToShoppers } from './listen.js';
import { createCareOperators } from './operators.js';
import { recordMembership } from './route.js';
import { createScheduler } from './scheduler.js';
import { createCareService } from './service.js';

/**
 * Proactive customer care, wired: the shop-backend operations, the operators' log, the
 * pipeline interceptor (opt-out, feedback answers), the bus listener (held messages) and the
 * durable scheduler.
 *
 * @example
 * ```ts
 * const care = createCare(deps);
 * createPipeline({ ...pipelineDeps, intercept: (turn) => care.intercept(turn) });
 * care.start();
 * await care.service.handleEvent(event, idempotencyKey);
 * ```
 */
export function createCare(deps: CareDeps) {
  const service = createCareService(deps);
  const operators = createCareOperators(deps);
  const scheduler = createScheduler(deps, { deliver: async (job) => void (await deliverCare(deps, String(job.payload.id))) });
  const claims = createCareIntercept(deps);
  let listener: ReturnType<typeof listenToShoppers> | undefined;
  return {
    service,
    operators,
    deps,
    /** The pipeline's `intercept` port: opt-outs and rating answers get care's reply, not the bot's. */
    intercept: claims.intercept,
    async start(): Promise<void> {
      // The embedded database has one owner: jobs a dead process held are ours again.
      if (deps.store.dialect === 'sqlite') await deps.care.releaseJobLeases();
      listener = listenToShoppers(deps, claims);
      scheduler.start();
    },
    /** The email and phone the shop verified for a shopper (phone as digits with the country code). */
    async verifiedContact(shopperId: string): Promise<{ email?: string; phone?: string }> {
      const p = await deps.care.getProfile(shopperId);
      return { ...(p?.email && p.emailVerified ? { email: p.email } : {}), ...(p?.phone && p.phoneVerified ? { phone: p.phone } : {}) };
    },
    /** The pipeline's `membership` port: unfollowing or blocking a channel stops care messages there. */
    membershipChanged: (event: MembershipEvent) => recordMembership(deps, event),
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
