/**
 * Frames going out. A message or postback stays pending until acknowledged and is re-sent
 * after every sync, so nothing the shopper sent is lost to a dropped connection.
 */

import { conn, state } from '../state.js';
import type { EphemeralFrame, OutgoingFrame } from '../wire.js';
import { start } from './connection.js';
import { postHttp } from './http.js';

export function enqueue(frame: OutgoingFrame): void {
  state.pending.set(frame.clientId, frame);
  transmit(frame);
}

function transmit(frame: OutgoingFrame): void {
  if (conn.ready) conn.ws?.send(JSON.stringify(frame));
  else if (conn.http) void postHttp(frame);
  else if (!conn.started) start();
  // otherwise it stays pending and is flushed after the next sync
}

/** Sends a frame that only matters now (typing, language) if the socket is open. */
export function sendEphemeral(frame: EphemeralFrame): void {
  if (conn.ready) conn.ws?.send(JSON.stringify(frame));
}

/** Re-sends whatever the gateway has not acknowledged. */
export function flushPending(): void {
  for (const frame of state.pending.values()) transmit(frame);
}
