/** The HTTP fallback: polling for messages and posting frames while the socket keeps failing. */

import { settings } from '../settings.js';
import { conn, state } from '../state.js';
import { setStatus } from '../status.js';
import type { OutgoingFrame, WireMessage } from '../wire.js';
import { hooks } from './hooks.js';
import { authHeaders, ensureSession } from './session.js';

export async function poll(): Promise<void> {
  clearTimeout(conn.pollTimer);
  try {
    const res = await fetch(`${settings.origin}/webchat/messages?after=${state.maxSeq}`, { headers: authHeaders() });
    if (res.status === 401) await ensureSession();
    else if (!res.ok) throw new Error(`poll ${res.status}`);
    else {
      const body = (await res.json()) as { messages?: WireMessage[] };
      hooks.messages(body.messages || []);
      state.historyLoaded = true;
      setStatus(null);
      for (const frame of state.pending.values()) if (!conn.inflight.has(frame.clientId)) void postHttp(frame);
    }
  } catch {
    setStatus('reconnecting');
  }
  if (conn.http) conn.pollTimer = setTimeout(poll, state.open ? 3000 : 10_000);
}

export async function postHttp(frame: OutgoingFrame): Promise<void> {
  if (conn.inflight.has(frame.clientId)) return;
  conn.inflight.add(frame.clientId);
  try {
    const res = await fetch(`${settings.origin}/webhooks/webchat`, {
      method: 'POST',
      headers: authHeaders({ 'content-type': 'application/json' }),
      body: JSON.stringify(frame),
    });
    if (!res.ok) throw new Error(`post ${res.status}`);
    // The body's id is the event's, not the stored message's: the poll's echo matches by clientId.
    hooks.frame({ type: 'ack', clientId: frame.clientId });
    clearTimeout(conn.pollTimer);
    conn.pollTimer = setTimeout(poll, 500);
  } catch {
    // stays pending; the next poll retries it
  } finally {
    conn.inflight.delete(frame.clientId);
  }
}
