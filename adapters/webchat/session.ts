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

/**
 * Signed session tokens: HS256 JWTs (`sub` = session id, `iat`, `exp`), signed and checked by
 * jose with the injected clock. Forged, truncated, foreign or expired tokens read as undefined.
 */
export class SessionTokens {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    private readonly ttlMs: number,
  ) {
    this.key = new TextEncoder().encode(secret);
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
      .sign(this.key);
    return { token, session: { sid, iat: iat * 1000, exp: exp * 1000 } };
  }

  async read(token: string | undefined, now: number): Promise<Session | undefined> {
    if (!token || token.length > 1024) return undefined;
    try {
      const { payload } = await jwtVerify(token, this.key, {
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
