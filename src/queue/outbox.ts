import type { ChannelAdapter } from '../core/adapter.js';
import { DeliveryError, type DeliveryReason, ParleyError, retriesOn } from '../core/errors.js';
import { type Clock, type Logger, withFields } from '../core/ports.js';
import type { OutboxItem, Store } from '../core/store.js';
import { renewEvery } from './heartbeat.js';
import { Pacer } from './pace.js';
import { ClaimLoop } from './worker.js';

const WINDOW_CLOSED =
  "The platform's messaging window has closed (the shopper's last message is too old) and nothing may carry this message after it: no approved template fits this message and language, or the channel lets only a person's reply through. Configure a template or wait for the shopper to write.";

/** Options of the outbox. */
export interface OutboxOptions {
  store: Store;
  channel(id: string): ChannelAdapter | undefined;
  /** Operator overrides of a channel's declared rate limits. */
  rateLimits?: ReadonlyMap<string, { perChatPerSecond?: number; perBotPerSecond?: number }>;
  clock: Clock;
  log: Logger;
  concurrency: number;
  maxAttempts: number;
  retryBaseMs: number;
  /** How long a claim holds a row; renewed every third of it while the delivery runs. */
  leaseMs: number;
  pollMs: number;
  /** Told every attempt's recorded outcome (operator metrics); must be cheap and must not throw. */
  delivered?(item: OutboxItem, outcome: Parameters<Store['recordDelivery']>[1]): void;
}

/**
 * Delivers outbox rows at least once: render, pace, deliver, record the attempt; retry
 * `transient` and `rate_limited` failures with exponential backoff (or the platform's
 * retry-after) and dead-letter with the error and its reason when retries run out or the
 * failure is final (`auth`, `blocked`, `invalid`).
 */
export function createOutbox(options: OutboxOptions) {
  const { store, clock, log } = options;
  const delivery: Delivery = { options, pacer: new Pacer(), adopt: (next) => loop.adopt(next) };
  const loop = new ClaimLoop<OutboxItem>({
    name: 'outbox',
    concurrency: options.concurrency,
    pollMs: options.pollMs,
    claim: (limit) => store.claimOutbox(clock.now(), options.leaseMs, limit),
    handle: (item) => deliverOne(delivery, item),
    renew: renewEvery(options.leaseMs, (ids) => store.renewOutboxLeases(ids, clock.now(), options.leaseMs)),
    log,
  });
  return loop;
}

/** What delivering a row runs on: the options, the pacer, and the loop to hand a claimed successor to. */
interface Delivery {
  options: OutboxOptions;
  pacer: Pacer;
  adopt(items: OutboxItem[]): void;
}

async function deliverOne(d: Delivery, item: OutboxItem): Promise<void> {
  const adapter = d.options.channel(item.channelId);
  const rowLog = withFields(d.options.log, { channel: item.channelId, outbox: item.id, attempt: item.attempts });
  if (!adapter) {
    await record(d, item, { ok: false, error: `Channel "${item.channelId}" is not configured any more.`, reason: 'invalid' });
    return;
  }
  try {
    const payloads = await payloadsFor(d, adapter, item);
    if (!payloads) {
      await record(d, item, { ok: false, error: WINDOW_CLOSED, reason: 'invalid' });
      rowLog.warn({}, 'messaging window closed, no template: undeliverable');
      return;
    }
    await pace(d, adapter, item);
    const receipt = await adapter.deliver(item.ref, payloads, {
      idempotencyKey: item.idempotencyKey,
      messageId: item.messageId,
      seq: item.seq,
      role: item.role,
      attempt: item.attempts,
      createdAt: item.createdAt,
    });
    await record(d, item, { ok: true, platformIds: receipt.platformMessageIds });
    rowLog.debug({}, 'delivered');
  } catch (err) {
    await recordFailure(d, item, err, rowLog);
  }
}

/**
 * Records the attempt. A final outcome also claims the conversation's next due row in the
 * same commit, and it goes out at once: messages of one conversation leave in order.
 */
async function record(d: Delivery, item: OutboxItem, outcome: Parameters<Store['recordDelivery']>[1]): Promise<void> {
  const next = await d.options.store.recordDelivery(item.id, outcome, d.options.clock.now(), { claimNext: { leaseMs: d.options.leaseMs } });
  d.options.delivered?.(item, outcome);
  if (next.length) d.adopt(next);
}

/** The platform payloads, or undefined when the messaging window is closed and nothing may go. */
async function payloadsFor(d: Delivery, adapter: ChannelAdapter, item: OutboxItem): Promise<unknown[] | undefined> {
  const window = adapter.capabilities.messagingWindowMs;
  if (!window) return adapter.render(item.message, item.ref);
  const conversation = await d.options.store.getConversation(item.conversationId);
  const last = conversation?.lastInboundAt;
  if (last !== undefined && d.options.clock.now() - last < window) return adapter.render(item.message, item.ref);
  const language = conversation?.language;
  return adapter.outsideWindow?.(item.message, item.ref, {
    ...(language ? { language } : {}),
    ...(last !== undefined ? { lastInboundAt: last } : {}),
    role: item.role,
    now: d.options.clock.now(),
  });
}

async function pace(d: Delivery, adapter: ChannelAdapter, item: OutboxItem): Promise<void> {
  const limits = d.options.rateLimits?.get(adapter.id) ?? adapter.capabilities.rateLimit;
  if (!limits) return;
  const now = d.options.clock.now();
  const waits = [
    limits.perChatPerSecond ? d.pacer.reserve(`${adapter.id}:${item.ref.chatId}`, limits.perChatPerSecond, now) : 0,
    limits.perBotPerSecond ? d.pacer.reserve(adapter.id, limits.perBotPerSecond, now) : 0,
  ];
  // Timers have millisecond resolution: a sub-millisecond wait would still cost a whole
  // timer tick (≥ 1 ms) per send. The slot stays reserved, so the rate holds to within 1 ms.
  const wait = Math.max(...waits);
  if (wait >= 1) await new Promise((resolve) => setTimeout(resolve, wait));
}

/**
 * Why a send failed: the adapter's {@link DeliveryError} says; another Parley error is final
 * unless it says it may be retried; anything unexpected (a bug, an SDK's own error) may pass.
 */
function reasonOf(err: unknown): DeliveryReason {
  if (err instanceof DeliveryError) return err.reason;
  if (err instanceof ParleyError) return err.retryable ? 'transient' : 'invalid';
  return 'transient';
}

/** Retries what the reason allows, with backoff (or the platform's retry-after); else dead-letters with the reason. */
async function recordFailure(d: Delivery, item: OutboxItem, err: unknown, rowLog: Logger): Promise<void> {
  const error = err instanceof Error ? err.message : String(err);
  const reason = reasonOf(err);
  const code = err instanceof ParleyError ? err.code : undefined;
  const now = d.options.clock.now();
  if (retriesOn(reason) && item.attempts < d.options.maxAttempts) {
    const backoff = d.options.retryBaseMs * 2 ** (item.attempts - 1) * (0.75 + Math.random() * 0.5);
    const after = err instanceof ParleyError && err.retryAfterMs ? Math.max(err.retryAfterMs, backoff) : backoff;
    await record(d, item, { ok: false, error, reason, retryAt: now + Math.round(after) });
    rowLog.warn({ code, reason, retryInMs: Math.round(after) }, 'delivery failed, will retry');
    return;
  }
  const final = retriesOn(reason) ? `${error} (gave up after ${item.attempts} attempts)` : error;
  await record(d, item, { ok: false, error: final, reason });
  rowLog.error({ code, reason }, 'delivery failed, dead-lettered');
}
