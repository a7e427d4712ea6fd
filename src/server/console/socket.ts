/**
 * `/console/socket`: the live queue and the open conversation, pushed to each agent in their
 * language. Authenticated by the session cookie; a cross-site page cannot open it (Origin is
 * checked against Host).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { ConsoleEvent } from '../../handoff/service.js';
import type { Agent } from '../../handoff/store.js';
import { displayMessages } from '../../handoff/view.js';
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
        send(socket, { type: 'error', code: 'unauthorized', message: 'Sign in first (POST /console/api/login).' });
        socket.close(4401, 'unauthorized');
        return;
      }
      open(socket, session.agent);
    })().catch((err) => {
      deps.log.error({ err }, 'console socket failed');
      socket.close(1011, 'internal');
    });
  });

  function open(socket: WebSocket, initial: Agent): void {
    const { service } = deps;
    let agent = initial;
    let watching: string | undefined;
    let queueTimer: NodeJS.Timeout | undefined;
    const pushQueue = () => {
      clearTimeout(queueTimer);
      queueTimer = setTimeout(
        () =>
          void service
            .queue()
            .then((queue) => send(socket, { type: 'queue', queue }))
            .catch(() => undefined),
        50,
      );
    };
    const onEvent = (e: ConsoleEvent) => {
      switch (e.type) {
        case 'queue':
          return pushQueue();
        case 'messages':
          if (e.conversation.id !== watching) return send(socket, { type: 'activity', conversationId: e.conversation.id });
          return void displayMessages(deps, agent, e.conversation, e.messages)
            .then((messages) => send(socket, { type: 'messages', conversationId: e.conversation.id, messages }))
            .catch((err) => deps.log.warn({ err }, 'console translation failed'));
        case 'state':
          return send(socket, { type: 'state', conversationId: e.conversation.id, state: e.conversation.state });
        case 'typing':
          if (e.role === 'shopper' && e.conversation.id === watching)
            send(socket, { type: 'typing', conversationId: e.conversation.id, role: 'shopper', on: e.on });
          return;
        case 'note':
          if (e.conversationId === watching) send(socket, e);
          return;
        case 'assigned':
          return send(socket, e);
      }
    };
    const off = service.on(onEvent);
    service.presence(agent.id, { sockets: 1 });
    socket.on('close', () => {
      off();
      clearTimeout(queueTimer);
      service.presence(agent.id, { sockets: -1 });
    });
    socket.on('message', (data: Buffer) => {
      let frame: { type?: unknown; conversationId?: unknown; on?: unknown };
      try {
        frame = JSON.parse(data.toString('utf8'));
      } catch {
        return send(socket, { type: 'error', code: 'bad_json', message: 'Frames are JSON objects.' });
      }
      const id = typeof frame.conversationId === 'string' ? frame.conversationId : undefined;
      if (frame.type === 'watch') {
        watching = id;
        // The agent may have changed their language since the socket opened.
        void deps.handoffs.getAgent(agent.id).then((a) => {
          if (a) agent = a;
        });
      } else if (frame.type === 'typing' && id) {
        void service.typing(agent, id, frame.on === true).catch(() => undefined);
      }
    });
    send(socket, { type: 'ready', agentId: agent.id });
    pushQueue();
  }
}

function send(socket: WebSocket, frame: object): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
}
