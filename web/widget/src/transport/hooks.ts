/**
 * What the transport reports to the conversation. The transport (session, socket, HTTP
 * fallback, outbox) knows nothing of the DOM; index.ts wires these to the conversation log.
 */

import type { ServerFrame, WireMessage } from '../wire.js';

export interface TransportHooks {
  /** A frame from the gateway (every type but `ready`, which the socket handles itself). */
  frame(frame: ServerFrame): void;
  /** Messages fetched over HTTP while the socket is down. */
  messages(messages: WireMessage[]): void;
  /** The session now belongs to another conversation: what is shown belongs to the old one. */
  conversationChanged(): void;
}

export const hooks: TransportHooks = {
  frame: () => undefined,
  messages: () => undefined,
  conversationChanged: () => undefined,
};

export function setTransportHooks(wiring: TransportHooks): void {
  Object.assign(hooks, wiring);
}
