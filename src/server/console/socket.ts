/**
 * `/console/socket`: the live queue and the open conversation, pushed to each agent in their
 * language. Authenticated by the session cookie; a cross-site page cannot open it (Origin is
 * checked against Host). It lives only as long as its session: signing out or disabling the
 * agent closes it at once, and nothing is pushed once the session has expired.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { ParleyError } from '../../core/errors.js';
import type { ConsoleEvent } from '../../handoff/service.js';
import type { Agent } from '../../handoff/store.js';
import { displayMessages } from '../../handoff/view.js';
import { errorFrame } from '../http.js';
import type { ConsoleDeps } from './index.js';
import { type ConsoleSession, loadSession, readSession, sessionEnd, type SessionOptions, useSession } from './session.js';

// How often a socket asks the store whether its session still stands (sign-out or disabling on
// another instance, idle expiry): a closed session is silent after at most this long.
const RECHECK_MS = 15_000;

function sameOrigin(req: FastifyRequest): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

export function mountConsoleSocket(scope: FastifyInstance, deps: ConsoleDeps, sessions: SessionOptions): void {
  scope.get('/socket', { websocket: true }, (socket, req) => {
    void (async () => {
      const session = sameOrigin(req) ? await readSession(req, sessions) : undefined;
      if (!session) {
        send(socket, errorFrame(new ParleyError('UNAUTHORIZED', 'Sign in first (POST /console/api/login).')));
        socket.close(4401, 'unauthorized');
        return;
      }
      openConsoleSocket(deps, sessions, socket, session);
    })().catch((err) => {
      deps.log.error({ err }, 'console socket failed');
      socket.close(1011, 'internal');
    });
  });
}

/** One agent's socket: its session, what they watch, and the queue pushed at most every 50 ms. */
interface AgentView {
  agent: Agent;
  session: ConsoleSession;
  /** When the store last confirmed the session. */
  checkedAt: number;
  /** Events wait here, in order, while the session is checked. */
  chain: Promise<void>;
  watching?: string;
  queueTimer?: NodeJS.Timeout;
}

function openConsoleSocket(deps: ConsoleDeps, sessions: SessionOptions, socket: WebSocket, session: ConsoleSession): void {
  const { service } = deps;
  const agent = session.agent;
  const view: AgentView = { agent, session, checkedAt: sessions.now(), chain: Promise.resolve() };
  const signedIn = (then: () => void) => whileSignedIn(sessions, socket, view, then);
  const off = service.on((e) => signedIn(() => forward(deps, socket, view, e)));
  const unlist = sessions.live.add(session, () => endSocket(socket));
  const recheck = setInterval(() => signedIn(() => undefined), RECHECK_MS).unref();
  void service.presence(agent.id, { sockets: 1 });
  socket.on('close', () => {
    off();
    unlist();
    clearInterval(recheck);
    clearTimeout(view.queueTimer);
    void service.presence(agent.id, { sockets: -1 });
  });
  socket.on('message', (data: Buffer) => signedIn(() => onAgentFrame(deps, sessions, socket, view, data)));
  send(socket, { type: 'ready', agentId: agent.id });
  pushQueue(deps, socket, view);
}

/** Runs `then` if the socket's session still stands, in the order called; otherwise closes the socket. */
function whileSignedIn(sessions: SessionOptions, socket: WebSocket, view: AgentView, then: () => void): void {
  view.chain = view.chain
    .then(async () => {
      if (socket.readyState !== socket.OPEN) return;
      if (await stillSignedIn(sessions, view)) then();
      else endSocket(socket);
    })
    .catch(() => undefined);
}

/** Whether the session stands: its known end is ahead and it was confirmed lately, or the store says so now. */
async function stillSignedIn(sessions: SessionOptions, view: AgentView): Promise<boolean> {
  const now = sessions.now();
  if (now < sessionEnd(view.session, sessions) && now - view.checkedAt < RECHECK_MS) return true;
  const fresh = await loadSession(view.session.id, sessions);
  if (!fresh) return false;
  view.session = fresh;
  view.checkedAt = now;
  return true;
}

/** The session ended: the console is told why and asks the agent to sign in again. */
function endSocket(socket: WebSocket): void {
  send(socket, errorFrame(new ParleyError('UNAUTHORIZED', 'Your session has ended. Sign in again.')));
  socket.close(4401, 'session ended');
}

function pushQueue(deps: ConsoleDeps, socket: WebSocket, view: AgentView): void {
  clearTimeout(view.queueTimer);
  view.queueTimer = setTimeout(
    () =>
      void deps.service
        .queue()
        .then((queue) => send(socket, { type: 'queue', queue }))
        .catch(() => undefined),
    50,
  );
}

/** What an agent sees of the live events: the queue, the watched conversation, activity elsewhere. */
function forward(deps: ConsoleDeps, socket: WebSocket, view: AgentView, e: ConsoleEvent): void {
  switch (e.type) {
    case 'queue':
      return pushQueue(deps, socket, view);
    case 'messages':
      if (e.conversation.id !== view.watching) return send(socket, { type: 'activity', conversationId: e.conversation.id });
      return void displayMessages(deps, view.agent, e.conversation, e.messages)
        .then((messages) => send(socket, { type: 'messages', conversationId: e.conversation.id, messages }))
        .catch((err) => deps.log.warn({ err }, 'console translation failed'));
    case 'state':
      return send(socket, { type: 'state', conversationId: e.conversation.id, state: e.conversation.state });
    case 'typing':
      if (e.role === 'shopper' && e.conversation.id === view.watching)
        send(socket, { type: 'typing', conversationId: e.conversation.id, role: 'shopper', on: e.on });
      return;
    case 'note':
      if (e.conversationId === view.watching) send(socket, e);
      return;
    case 'assigned':
      return send(socket, e);
  }
}

/** `watch` a conversation, or `typing` in it; anything else is ignored, anything unreadable answered. */
function onAgentFrame(deps: ConsoleDeps, sessions: SessionOptions, socket: WebSocket, view: AgentView, data: Buffer): void {
  // Working in the console is using the session: it does not go idle.
  void useSession(view.session, sessions).catch(() => undefined);
  let frame: { type?: unknown; conversationId?: unknown; on?: unknown } | null;
  try {
    frame = JSON.parse(data.toString('utf8')) as typeof frame;
  } catch {
    frame = null;
  }
  if (!frame || typeof frame !== 'object') return send(socket, errorFrame(new ParleyError('BAD_JSON', 'Frames are JSON objects.')));
  const id = typeof frame.conversationId === 'string' ? frame.conversationId : undefined;
  if (frame.type === 'watch') {
    view.watching = id;
    // The agent may have changed their language since the socket opened.
    void deps.handoffs.getAgent(view.agent.id).then((a) => {
      if (a) view.agent = a;
    });
  } else if (frame.type === 'typing' && id) {
    void deps.service.typing(view.agent, id, frame.on === true).catch(() => undefined);
  }
}

function send(socket: WebSocket, frame: object): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
}
