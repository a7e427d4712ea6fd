import { randomUUID } from 'node:crypto';
import { hmac, safeEqual } from '../../src/core/http.js';

/** What a session token carries. */
export interface Session {
  /** Session id: the web chat's chat and user id. */
  sid: string;
  /** Issued at, ms since epoch. */
  iat: number;
  /** Expires at, ms since epoch. */
  exp: number;
}

const b64 = (s: string) => Buffer.from(s).toString('base64url');

/**
 * Signed session tokens: `base64url(json).base64url(hmac-sha256)`. The signature is checked in
 * constant time; forged, truncated or expired tokens read as undefined.
 */
export class SessionTokens {
  constructor(
    private readonly secret: string,
    private readonly ttlMs: number,
  ) {}

  issue(now: number, sid: string = randomUUID()): { token: string; session: Session } {
    const session: Session = { sid, iat: now, exp: now + this.ttlMs };
    const body = b64(JSON.stringify(session));
    return { token: `${body}.${hmac('sha256', this.secret, body, 'base64url')}`, session };
  }

  read(token: string | undefined, now: number): Session | undefined {
    if (!token || token.length > 1024) return undefined;
    const [body, signature, extra] = token.split('.');
    if (!body || !signature || extra !== undefined) return undefined;
    if (!safeEqual(signature, hmac('sha256', this.secret, body, 'base64url'))) return undefined;
    try {
      const session = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Session;
      if (typeof session.sid !== 'string' || typeof session.exp !== 'number' || session.exp <= now) return undefined;
      return session;
    } catch {
      return undefined;
    }
  }
}
