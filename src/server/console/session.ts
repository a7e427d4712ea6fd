/**
 * Console sessions: an opaque random token in an HttpOnly, SameSite=Lax cookie (Secure when
 * the gateway is served over https), stored hashed; and a per-session CSRF secret, kept with the
 * session on the server. @fastify/csrf-protection salts tokens from that secret and checks the
 * one every state-changing request echoes in the `x-csrf-token` header (synchronizer token).
 *
 * A session ends at sign-out, when its agent is disabled, `ttlMs` after sign-in, or `idleMs`
 * after its last use; whichever comes first. Its open sockets close with it.
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
  /** The absolute end (sign-in + `ttlMs`). */
  expiresAt: number;
  /** The last use this process knows of; idle sessions end `idleMs` after it. */
  lastSeenAt: number;
}

/** An open socket of a session, closed when the session ends. */
interface LiveSocket {
  agentId: string;
  close(): void;
}

/**
 * The sockets open on this instance, by session: signing out or disabling an agent closes
 * theirs at once. Sockets on other instances notice within a recheck (./socket.ts).
 */
export class LiveSessions {
  private readonly bySession = new Map<string, Set<LiveSocket>>();

  /** Registers a socket of `session`; returns its removal. */
  add(session: ConsoleSession, close: () => void): () => void {
    const socket: LiveSocket = { agentId: session.agent.id, close };
    const set = this.bySession.get(session.id) ?? new Set();
    this.bySession.set(session.id, set.add(socket));
    return () => {
      set.delete(socket);
      if (set.size === 0 && this.bySession.get(session.id) === set) this.bySession.delete(session.id);
    };
  }

  closeSession(id: string): void {
    for (const socket of [...(this.bySession.get(id) ?? [])]) socket.close();
  }

  closeAgent(agentId: string): void {
    for (const set of [...this.bySession.values()]) for (const socket of [...set]) if (socket.agentId === agentId) socket.close();
  }
}

export interface SessionOptions {
  handoffs: HandoffStore;
  /** Absolute lifetime from sign-in. */
  ttlMs: number;
  /** Ends a session unused this long; 0: never. */
  idleMs: number;
  secure: boolean;
  now(): number;
  live: LiveSessions;
}

// A session's last use is written at most this often: reads stay reads.
const TOUCH_EVERY_MS = 60_000;

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

/** The session behind a request, or undefined (no cookie, ended, agent disabled); a use keeps it from going idle. */
export async function readSession(req: FastifyRequest, o: SessionOptions): Promise<ConsoleSession | undefined> {
  const token = sessionToken(req);
  if (!token) return undefined;
  const session = await loadSession(hash(token), o);
  if (session) await useSession(session, o);
  return session;
}

/** The session with this id as it stands now (the store is asked), or undefined when it ended. */
export async function loadSession(id: string, o: SessionOptions): Promise<ConsoleSession | undefined> {
  const now = o.now();
  const idle = o.idleMs > 0 ? o.idleMs : Number.POSITIVE_INFINITY;
  const row = await o.handoffs.getSession(id, now, now - idle);
  if (!row) return undefined;
  const agent = await o.handoffs.getAgent(row.agentId);
  if (!agent || agent.disabled) return undefined;
  return { agent, csrf: row.csrf, id, expiresAt: row.expiresAt, lastSeenAt: row.lastSeenAt };
}

/** When the session ends if it is not used again. */
export function sessionEnd(session: ConsoleSession, o: SessionOptions): number {
  return o.idleMs > 0 ? Math.min(session.expiresAt, session.lastSeenAt + o.idleMs) : session.expiresAt;
}

/** Marks a session used now: it stays open another `idleMs` (never past its absolute end). */
export async function useSession(session: ConsoleSession, o: SessionOptions): Promise<void> {
  const now = o.now();
  if (o.idleMs <= 0 || now - session.lastSeenAt < TOUCH_EVERY_MS) return;
  await o.handoffs.touchSession(session.id, now);
  session.lastSeenAt = now;
}

/** Ends the session, closes its sockets and clears the cookie. */
export async function endSession(reply: FastifyReply, session: ConsoleSession | undefined, o: SessionOptions): Promise<void> {
  if (session) {
    await o.handoffs.deleteSession(session.id);
    o.live.closeSession(session.id);
  }
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
