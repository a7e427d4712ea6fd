import { type RawRequest, type VerifyResult, markVerified } from '../../src/core/adapter.js';
import type { Clock } from '../../src/core/ports.js';
import type { Session, SessionTokens } from './session.js';

/** The bearer token from `Authorization: Bearer <token>`. */
export function bearer(req: Pick<RawRequest, 'headers'>): string | undefined {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}

/** A web chat send is verified by its signed session token. */
export async function verifyWebchat(req: RawRequest, tokens: SessionTokens, clock: Clock): Promise<VerifyResult<Session>> {
  const session = await tokens.read(bearer(req), clock.now());
  if (!session) return { ok: false, status: 401, reason: 'invalid session token' };
  return { ok: true, request: markVerified(req, session) };
}
