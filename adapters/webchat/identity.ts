import { hmac, safeEqual } from '../../src/core/http.js';

/** A logged-in shopper as the shop's page reports them, signed by the shop's server. */
interface SignedIdentity {
  /** The shop's own customer id. */
  userId: string;
  email?: string;
  name?: string;
  /** Hex HMAC-SHA256 of {@link identityPayload} with the identity secret. */
  signature: string;
}

/** A verified identity: what the shop vouches for. */
export interface VerifiedIdentity {
  userId: string;
  email?: string;
  name?: string;
}

/**
 * What the shop's server signs: the customer id, a line break, and the email in lower case
 * (empty when there is none), so neither can be swapped without the secret.
 *
 * @example
 * ```ts
 * identityPayload('C-1001', 'Emma@Example.com'); // 'C-1001\nemma@example.com'
 * ```
 */
function identityPayload(userId: string, email?: string): string {
  return `${userId}\n${(email ?? '').trim().toLowerCase()}`;
}

/**
 * The signature a shop's server computes (shown in docs; tests use it too).
 *
 * @example
 * ```ts
 * identitySignature(secret, 'C-1001', 'emma@example.com'); // '3f1c…' (64 hex characters)
 * ```
 */
export function identitySignature(secret: string, userId: string, email?: string): string {
  return hmac('sha256', secret, identityPayload(userId, email), 'hex');
}

/**
 * Checks a signed identity in constant time; anything malformed, unsigned or wrongly signed
 * reads as undefined.
 */
export function verifyIdentity(secret: string, raw: unknown): VerifiedIdentity | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const { userId, email, name, signature } = raw as Partial<Record<keyof SignedIdentity, unknown>>;
  if (typeof userId !== 'string' || !/^[\w.:@+-]{1,128}$/.test(userId)) return undefined;
  if (email !== undefined && (typeof email !== 'string' || email.length > 254 || !/^[^\s@]+@[^\s@]+$/.test(email))) return undefined;
  if (typeof signature !== 'string' || !/^[0-9a-f]{64}$/i.test(signature)) return undefined;
  if (!safeEqual(signature.toLowerCase(), identitySignature(secret, userId, email))) return undefined;
  const display = typeof name === 'string' ? name.trim().slice(0, 80) : undefined;
  return { userId, ...(email ? { email: email.trim().toLowerCase() } : {}), ...(display ? { name: display } : {}) };
}
