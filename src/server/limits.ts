/**
 * Request limits per route family (`rateLimits:` in the configuration, docs/api.md "Limits"),
 * counted by @fastify/rate-limit in fixed windows. A request over its limit is answered
 * `429 rate_limited` with `Retry-After`; a socket frame over it gets the same error as a frame.
 */
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ParleyError } from '../core/errors.js';

/** At most `max` requests per `windowMs` per key; `max: 0` is no limit. */
export interface Limit {
  max: number;
  windowMs: number;
}

/** Counts one request; throws `RATE_LIMITED` (with `retryAfterMs`) when it is over the limit. */
export type Throttle = (req: FastifyRequest) => Promise<void>;

/** Makes `app.createRateLimit` available; no route is limited unless it asks. */
export async function registerRateLimits(app: FastifyInstance): Promise<void> {
  await app.register(rateLimit, { global: false });
}

/**
 * The client's address as counted: IPv6 clients by their /64, since one host usually owns the
 * whole prefix. Behind a proxy, set `server.trustProxy` or every client is the proxy.
 */
export function clientKey(req: FastifyRequest): string {
  return `ip:${normalizeIP(req.ip)}`;
}

/**
 * A limit on one route family, keyed by `key` (a client address, a session, an API key).
 * `what` names the requests in the refusal: "Too many <what>".
 *
 * @example
 * ```ts
 * const sessions = throttle(app, { max: 60, windowMs: 60_000 }, 'new chat sessions', clientKey);
 * app.post('/webchat/session', { onRequest: sessions }, handler); // the 61st in a minute: 429 rate_limited
 * ```
 */
export function throttle(app: FastifyInstance, limit: Limit, what: string, key: (req: FastifyRequest) => string): Throttle {
  if (limit.max === 0) return async () => undefined;
  const count = app.createRateLimit({ max: limit.max, timeWindow: limit.windowMs, keyGenerator: key });
  const per = limit.windowMs % 60_000 === 0 ? `${limit.windowMs / 60_000} min` : `${limit.windowMs / 1000} s`;
  return async (req) => {
    const result = await count(req);
    if (result.isAllowed || !result.isExceeded) return;
    const seconds = Math.max(1, result.ttlInSeconds);
    throw new ParleyError('RATE_LIMITED', `Too many ${what}: at most ${limit.max} per ${per}. Try again in ${seconds} s.`, {
      retryAfterMs: seconds * 1000,
    });
  };
}
