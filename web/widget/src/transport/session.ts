/** The shopper's web-chat session: a token from the gateway, tied to the shop's login when there is one. */

import { settings } from '../settings.js';
import { conn, state } from '../state.js';
import { storage, TOKEN_KEY } from '../storage.js';
import { hooks } from './hooks.js';

export async function ensureSession(identifyRetry = true): Promise<void> {
  const res = await fetch(`${settings.origin}/webchat/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: state.token || undefined, locale: state.lang }),
  });
  if (!res.ok) throw new Error(`session ${res.status}`);
  const body = (await res.json()) as { conversationId: string; token: string };
  if (state.conversationId && body.conversationId !== state.conversationId) hooks.conversationChanged();
  state.conversationId = body.conversationId;
  state.token = body.token;
  storage.set(TOKEN_KEY, body.token);
  await sendIdentity(identifyRetry);
}

// The shop vouches for who is logged in; a session that belongs to someone else is replaced.
export async function sendIdentity(retry = true): Promise<void> {
  const identity = state.identity;
  if (!identity || !state.token || state.identifiedToken === state.token) return;
  const res = await fetch(`${settings.origin}/webchat/identify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${state.token}` },
    body: JSON.stringify(identity),
  }).catch(() => null);
  if (res?.ok) state.identifiedToken = state.token;
  else if (res?.status === 409 && retry) {
    dropToken();
    hooks.conversationChanged();
    await ensureSession(false);
    conn.ws?.close(); // a socket on the old session reconnects on the new one
  }
}

export function dropToken(): void {
  state.token = null;
  storage.set(TOKEN_KEY, null);
}

export function authHeaders(extra?: Record<string, string>): Record<string, string> {
  return { authorization: `Bearer ${state.token}`, ...extra };
}
