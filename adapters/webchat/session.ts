import { randomUUID } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';

/** What a session token carries. */
export interface Session {
  /** Session id: the web chat's chat and user id. */
  sid: string;
  /** Issued at, ms since epoch (whole seconds: JWT times are seconds). */
  iat: number;
  /** Expires at, ms since epoch (whole seconds). */
  exp: number;
}

/** Tokens for web chat sessions, not for anything else signed with the same secret. */
const audience = 'parley:webchat';

// A shopper sends the same token with every message: a token checked once is remembered (its
// expiry still checked each time), since a WebCrypto HMAC check costs ~90 µs and this one ~0.
const REMEMBERED = 10_000;

/**
 * Signed session tokens: HS256 JWTs (`sub` = session id, `iat`, `exp`), signed and checked by
 * jose with the injected clock. Forged, truncated, foreign or expired tokens read as undefined.
 */
export class SessionTokens {
  // Imported once: jose imports a raw key on every call otherwise (twice the cost of a check).
  private readonly key: Promise<CryptoKey>;
  private readonly checked = new Map<string, Session>();

  constructor(
    secret: string,
    private readonly ttlMs: number,
  ) {
    this.key = crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  }

  async issue(now: number, sid: string = randomUUID()): Promise<{ token: string; session: Session }> {
    const iat = Math.floor(now / 1000);
    const exp = Math.floor((now + this.ttlMs) / 1000);
    const token = await new SignJWT()
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(sid)
      .setAudience(audience)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(await this.key);
    return { token, session: { sid, iat: iat * 1000, exp: exp * 1000 } };
  }

  async read(token: string | undefined, now: number): Promise<Session | undefined> {
    if (!token || token.length > 1024) return undefined;
    const known = this.checked.get(token);
    if (known) return known.exp > now ? known : undefined;
    const session = await this.verify(token, now);
    if (session) {
      if (this.checked.size >= REMEMBERED) this.checked.delete(this.checked.keys().next().value as string);
      this.checked.set(token, session);
    }
    return session;
  }

  private async verify(token: string, now: number): Promise<Session | undefined> {
    try {
      const { payload } = await jwtVerify(token, await this.key, {
        algorithms: ['HS256'],
        audience,
        currentDate: new Date(now),
        requiredClaims: ['sub', 'iat', 'exp'],
      });
      const { sub, iat, exp } = payload;
      if (!sub || iat === undefined || exp === undefined) return undefined;
      return { sid: sub, iat: iat * 1000, exp: exp * 1000 };
    } catch {
      return undefined;
    }
  }
}
