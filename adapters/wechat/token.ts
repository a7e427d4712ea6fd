import type { AdapterContext } from '../../src/core/adapter.js';
import { DeliveryError } from '../../src/core/errors.js';

/** A token as the platform issued it. */
export interface IssuedToken {
  token: string;
  expiresInSec: number;
}

/** Timing knobs; the defaults suit production, tests shorten them. */
export interface TokenOptions {
  /** Refresh this long before expiry (WeChat keeps the old token valid 5 min after a refresh). */
  refreshMarginMs?: number;
  /** How long a non-owner waits for the owner's new token. */
  waitMs?: number;
  pollMs?: number;
}

/** The shared access_token of one channel instance. */
export interface AccessTokens {
  /** A valid token, from the shared state when possible. */
  get(): Promise<string>;
  /** A new token after the platform rejected `rejected` (40001/42001); reuses one another instance already fetched. */
  renew(rejected: string): Promise<string>;
}

interface Cached {
  token: string;
  expiresAt: number;
}

type Ctx = Pick<AdapterContext, 'channelId' | 'state' | 'leases' | 'clock'>;

const LEASE_TTL_MS = 30_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Caches the access_token in `ctx.state` and lets one gateway instance at a time refresh it,
 * under the lease `wechat:token:<channelId>`: a new Official Account token invalidates the
 * old one (after 5 min), so two instances refreshing in turn would keep breaking each other.
 * Others use the still-valid old token, or poll the state until the owner has stored the new one.
 *
 * @example
 * ```ts
 * const tokens = createAccessTokens(ctx, () => fetchAccessToken(ctx.fetch, settings.api));
 * await tokens.get();
 * ```
 */
export function createAccessTokens(ctx: Ctx, issue: () => Promise<IssuedToken>, options: TokenOptions = {}): AccessTokens {
  const key = `wechat:token:${ctx.channelId}`;
  const margin = options.refreshMarginMs ?? 5 * 60_000;
  const waitMs = options.waitMs ?? 15_000;
  const pollMs = options.pollMs ?? 250;

  const read = async (): Promise<Cached | undefined> => {
    const raw = await ctx.state.get(key);
    if (!raw) return undefined;
    try {
      const cached = JSON.parse(raw) as Cached;
      return typeof cached.token === 'string' && cached.expiresAt > ctx.clock.now() ? cached : undefined;
    } catch {
      return undefined;
    }
  };
  const usable = (c: Cached | undefined, rejected?: string): c is Cached => !!c && c.token !== rejected;
  const due = (c: Cached) => c.expiresAt - ctx.clock.now() < margin;

  async function refreshAsOwner(rejected?: string): Promise<string> {
    try {
      const current = await read();
      if (usable(current, rejected) && !due(current)) return current.token;
      const issued = await issue();
      const expiresAt = ctx.clock.now() + issued.expiresInSec * 1000;
      await ctx.state.set(key, JSON.stringify({ token: issued.token, expiresAt } satisfies Cached), expiresAt);
      return issued.token;
    } finally {
      await ctx.leases.release(key);
    }
  }

  async function refresh(rejected?: string): Promise<string> {
    // Counted in polls, not clock time: the injected clock may stand still in tests.
    for (let poll = 0; ; poll++) {
      if (await ctx.leases.acquire(key, LEASE_TTL_MS)) return refreshAsOwner(rejected);
      const current = await read();
      if (usable(current, rejected)) return current.token;
      if (poll * pollMs >= waitMs)
        throw new DeliveryError('transient', 'WeChat access_token is being refreshed by another gateway instance that did not finish. Retrying.');
      await sleep(pollMs);
    }
  }

  return {
    async get() {
      const current = await read();
      if (usable(current) && !due(current)) return current.token;
      return refresh();
    },
    renew: (rejected) => refresh(rejected),
  };
}
