/**
 * The connection to the gateway: a WebSocket, reconnected with capped exponential backoff,
 * and HTTP polling when the socket keeps failing (a proxy without upgrades, a strict firewall),
 * while the socket is retried in the background.
 */

import { settings } from '../settings.js';
import { conn, state } from '../state.js';
import { setStatus } from '../status.js';
import type { ServerFrame } from '../wire.js';
import { hooks } from './hooks.js';
import { poll } from './http.js';
import { dropToken, ensureSession } from './session.js';

const AUTH_CLOSE_CODES = new Set([4401, 4403]);
const WS_FAILURES_BEFORE_HTTP = 3;
const BACKOFF_CAP_MS = 10_000;

export function start(): void {
  if (conn.started) return;
  conn.started = true;
  void connect();
}

async function connect(): Promise<void> {
  clearTimeout(conn.timer);
  conn.timer = undefined;
  if (conn.ws) return;
  if (!conn.http) setStatus(conn.everReady ? 'reconnecting' : 'connecting');
  try {
    await ensureSession();
  } catch {
    scheduleReconnect(); // gateway unreachable: HTTP would fail too, keep trying the socket
    return;
  }
  if (typeof WebSocket !== 'function') {
    startHttp();
    return;
  }
  openSocket();
}

/** Skips the backoff wait, e.g. when the device comes back online. */
export function reconnectNow(): void {
  if (!conn.started || conn.ws || conn.http) return;
  conn.attempt = 0;
  void connect();
}

function openSocket(): void {
  const ws = new WebSocket(`${settings.wsOrigin}/webchat/socket?token=${encodeURIComponent(String(state.token))}`);
  conn.ws = ws;
  ws.onmessage = (event) => {
    let frame: ServerFrame | null;
    try {
      frame = JSON.parse(String(event.data)) as ServerFrame | null;
    } catch {
      return;
    }
    if (!frame || typeof frame !== 'object') return;
    if (frame.type === 'ready') onReady(ws, frame);
    else hooks.frame(frame);
  };
  ws.onclose = (event) => {
    if (conn.ws !== ws) return;
    const wasReady = conn.ready;
    conn.ws = null;
    conn.ready = false;
    if (!wasReady) conn.wsFailures += 1;
    if (AUTH_CLOSE_CODES.has(event.code)) dropToken();
    if (conn.http) scheduleSocketRetry();
    else if (conn.wsFailures >= WS_FAILURES_BEFORE_HTTP) startHttp();
    else scheduleReconnect();
  };
}

function onReady(ws: WebSocket, frame: { conversationId?: string }): void {
  if (frame.conversationId && state.conversationId && frame.conversationId !== state.conversationId) hooks.conversationChanged();
  if (frame.conversationId) state.conversationId = frame.conversationId;
  conn.ready = true;
  conn.everReady = true;
  conn.attempt = 0;
  conn.wsFailures = 0;
  stopHttp();
  setStatus(null);
  ws.send(JSON.stringify({ type: 'sync', after: state.maxSeq }));
  if (state.languageDirty) {
    state.languageDirty = false;
    ws.send(JSON.stringify({ type: 'language', language: state.lang }));
  }
}

function scheduleReconnect(): void {
  if (conn.timer) return;
  const delay = Math.min(BACKOFF_CAP_MS, 500 * 2 ** conn.attempt) * (0.8 + Math.random() * 0.4);
  conn.attempt += 1;
  if (conn.everReady || conn.attempt > 1) setStatus('reconnecting');
  conn.timer = setTimeout(connect, delay);
}

function startHttp(): void {
  if (conn.http) return;
  conn.http = true;
  setStatus(null);
  void poll();
  scheduleSocketRetry();
}

function stopHttp(): void {
  conn.http = false;
  clearTimeout(conn.pollTimer);
  conn.pollTimer = undefined;
}

function scheduleSocketRetry(): void {
  clearTimeout(conn.timer);
  conn.timer = setTimeout(() => {
    conn.timer = undefined;
    if (conn.http && !conn.ws) openSocket();
  }, 30_000);
}
