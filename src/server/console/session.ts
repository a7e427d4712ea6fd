/**
 * Console sessions: an opaque random token in an HttpOnly, SameSite=Lax cookie (Secure when
 * the gateway is served over https), stored hashed; and a per-session CSRF secret, kept with the
 * session on the server. @fastify/csrf-protection salts tokens from that secret and checks the
 * one every state-changing request echoes in the `x-csrf-token` header (synchronizer token).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Agent, HandoffStore } from '../../handoff/store.js';

const SESSION_COOKIE = 'parley_console';
export const CSRF_HEADER = 'x-csrf-token';

const hash = (token: string) => createHash('sha256').update(token).digest('base64url');

/** A signed-in agent and their session's CSRF secret. */
export interface ConsoleSession {
  agent: Agent;
  /** Never sent to the browser: tokens are derived from it ({@link csrfFor}). */
  csrf: string;
  id: string;
}

export interface SessionOptions {
  handoffs: HandoffStore;
  ttlMs: number;
  secure: boolean;
  now(): number;
}

/** Starts a session for `agent` and sets its cookie; returns the session's CSRF secret. */
export async function startSession(reply: FastifyReply, agent: Agent, o: SessionOptions): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const csrf = randomBytes(24).toString('base64url');
  await o.handoffs.createSession(hash(token), agent.id, csrf, o.now() + o.ttlMs, o.now());
  reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: o.secure, path: '/console', maxAge: Math.floor(o.ttlMs / 1000) });
  return csrf;
}

/** The cookie's token, from the parsed cookies or the raw header (WebSocket upgrades). */
function sessionToken(req: FastifyRequest): string | undefined {
  const parsed = (req as FastifyRequest & { cookies?: Record<string, string | undefined> }).cookies?.[SESSION_COOKIE];
  if (parsed) return parsed;
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === SESSION_COOKIE) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/** The session behind a request, or undefined (no cookie, expired, agent disabled). */
export async function readSession(req: FastifyRequest, o: SessionOptions): Promise<ConsoleSession | undefined> {
  const token = sessionToken(req);
  if (!token) return undefined;
  const id = hash(token);
  const row = await o.handoffs.getSession(id, o.now());
  if (!row) return undefined;
  const agent = await o.handoffs.getAgent(row.agentId);
  if (!agent || agent.disabled) return undefined;
  return { agent, csrf: row.csrf, id };
}

/** Ends the session and clears the cookie. */
export async function endSession(reply: FastifyReply, session: ConsoleSession | undefined, o: SessionOptions): Promise<void> {
  if (session) await o.handoffs.deleteSession(session.id);
  reply.clearCookie(SESSION_COOKIE, { path: '/console', httpOnly: true, sameSite: 'lax', secure: o.secure });
}

/**
 * A CSRF token for the session with this secret (a fresh salt each time; every one stays valid
 * for the session). @fastify/csrf-protection runs in its `@fastify/session` mode, reading the
 * secret from `req.session.csrf`: the console's own session store plays that part.
 */
export function csrfFor(req: FastifyRequest, reply: FastifyReply, secret: string): string {
  req.session = { csrf: secret };
  return reply.generateCsrf();
}
