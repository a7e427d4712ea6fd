/**
 * `/console/socket`: the live queue and the open conversation, pushed to each agent in their
 * language. Authenticated by the session cookie; a cross-site page cannot open it (Origin is
 * checked against Host).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { ParleyError } from '../../core/errors.js';
import type { ConsoleEvent } from '../../handoff/service.js';
import type { Agent } from '../../handoff/store.js';
import { displayMessages } from '../../handoff/view.js';
import { errorFrame } from '../http.js';
import type { ConsoleDeps } from './index.js';
import { readSession, type SessionOptions } from './session.js';

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
      openConsoleSocket(deps, socket, session.agent);
    })().catch((err) => {
      deps.log.error({ err }, 'console socket failed');
      socket.close(1011, 'internal');
    });
  });
}

/** One agent's socket: what they watch, and the queue pushed at most every 50 ms. */
interface AgentView {
  agent: Agent;
  watching?: string;
  queueTimer?: NodeJS.Timeout;
}

function openConsoleSocket(deps: ConsoleDeps, socket: WebSocket, agent: Agent): void {
  const { service } = deps;
  const view: AgentView = { agent };
  const off = service.on((e) => forward(deps, socket, view, e));
  service.presence(agent.id, { sockets: 1 });
  socket.on('close', () => {
    off();
    clearTimeout(view.queueTimer);
    service.presence(agent.id, { sockets: -1 });
  });
  socket.on('message', (data: Buffer) => onAgentFrame(deps, socket, view, data));
  send(socket, { type: 'ready', agentId: agent.id });
  pushQueue(deps, socket, view);
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
function onAgentFrame(deps: ConsoleDeps, socket: WebSocket, view: AgentView, data: Buffer): void {
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
