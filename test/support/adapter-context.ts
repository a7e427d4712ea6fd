import type { AdapterContext, DeliveryEnvelope } from '../../src/core/adapter.js';
import { isParleyError, type ParleyError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/ports.js';

/** In-memory state with expiry, like the durable one. */
function memoryState(clock: { now(): number }) {
  const values = new Map<string, { value: string; expiresAt?: number }>();
  return {
    values,
    async get(key: string) {
      const v = values.get(key);
      return v && (v.expiresAt === undefined || v.expiresAt > clock.now()) ? v.value : undefined;
    },
    async set(key: string, value: string, expiresAt?: number) {
      values.set(key, { value, expiresAt });
    },
  };
}

/**
 * An adapter context for unit tests: channel `<name>`, a movable clock starting at `start`,
 * in-memory state, leases always granted; `overrides` replace any field.
 */
export function testAdapterContext(name: string, start: number, overrides: Partial<AdapterContext> = {}) {
  const clock = { t: start, now: () => clock.t };
  const state = memoryState(clock);
  const ctx: AdapterContext = {
    channelId: name,
    log: silentLogger,
    clock,
    fetch: globalThis.fetch,
    webhookPath: `/webhooks/${name}`,
    inbox: { accept: async () => {} },
    state,
    leases: { acquire: async () => true, release: async () => {} },
    dataDir: `/tmp/parley-${name}`,
    signingSecret: `${name}-gateway-signing-secret-0123456789`,
    ...overrides,
  };
  return { ctx, clock, state };
}

/** A delivery envelope for a first attempt, with what the test overrides. */
export function envelope(overrides: Partial<DeliveryEnvelope> = {}): DeliveryEnvelope {
  return { idempotencyKey: 'out-1', messageId: 'm-1', seq: 1, role: 'bot', attempt: 1, createdAt: 0, ...overrides };
}

/** The ParleyError a promise rejects with; fails the test if it resolves or rejects with anything else. */
export async function failure(promise: Promise<unknown>): Promise<ParleyError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isParleyError(err)) throw new Error(`expected a ParleyError, got ${String(err)}`);
  return err;
}
