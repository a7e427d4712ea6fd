/** The console's live socket (/console/socket): queue changes, messages, typing, reconnected with backoff. */

import { socketOrigin } from '../../shared/dom.js';
import { state } from './state.js';
import type { ConsoleFrame } from './types.js';

export interface SocketHooks {
  frame(frame: ConsoleFrame): void;
  /** The server closed the socket because the session ended. */
  signedOut(): void;
}

let hooks: SocketHooks = { frame: () => undefined, signedOut: () => undefined };

export function setSocketHooks(wiring: SocketHooks): void {
  hooks = wiring;
}

export function openSocket(): void {
  closeSocket();
  const ws = new WebSocket(`${socketOrigin(location.origin)}/console/socket`);
  state.socket = ws;
  ws.onopen = () => {
    state.retry = 0;
    if (state.currentId) sendFrame({ type: 'watch', conversationId: state.currentId });
  };
  ws.onmessage = (e) => hooks.frame(JSON.parse(String(e.data)) as ConsoleFrame);
  ws.onclose = (e) => {
    if (state.socket !== ws || !state.agent) return;
    if (e.code === 4401) return hooks.signedOut();
    state.retry += 1;
    setTimeout(() => state.agent && openSocket(), Math.min(10000, 500 * 2 ** state.retry));
  };
}

export function closeSocket(): void {
  const ws = state.socket;
  state.socket = null;
  if (ws) ws.close();
}

type OutFrame = { type: 'watch'; conversationId: string | null } | { type: 'typing'; conversationId: string | null; on: boolean };

export function sendFrame(frame: OutFrame): void {
  if (state.socket && state.socket.readyState === WebSocket.OPEN) state.socket.send(JSON.stringify(frame));
}
