/** The widget's state: the conversation as shown, and the connection to the gateway. */

import { settings } from './settings.js';
import { LANG_KEY, storage, TOKEN_KEY } from './storage.js';
import { normalizeLanguage } from './strings.js';
import type { Identity, OutgoingFrame } from './wire.js';

type Timer = ReturnType<typeof setTimeout>;

export interface State {
  lang: string;
  token: string | null;
  conversationId: string | null;
  maxSeq: number;
  /** Message id → its element. */
  byId: Map<string, HTMLElement>;
  /** clientId → outgoing frame not yet acknowledged. */
  pending: Map<string, OutgoingFrame>;
  /** clientId → the shopper's bubble while it is being sent. */
  optimistic: Map<string, HTMLElement>;
  /** clientId → an acknowledged bubble awaiting its stored message. */
  acked: Map<string, HTMLElement>;
  open: boolean;
  unread: number;
  historyLoaded: boolean;
  /** The shopper picked a language while offline: tell the gateway on the next connect. */
  languageDirty: boolean;
  /** Who is typing (bot, agent) → the timer that hides the dots if the "off" frame is lost. */
  typing: Map<'bot' | 'agent', Timer>;
  /** A logged-in shopper the shop's server signed for (Parley.identify / window.ParleySettings). */
  identity: Identity | null;
  identifiedToken: string | null;
}

export const state: State = {
  lang: 'en',
  token: null,
  conversationId: null,
  maxSeq: 0,
  byId: new Map(),
  pending: new Map(),
  optimistic: new Map(),
  acked: new Map(),
  open: false,
  unread: 0,
  historyLoaded: false,
  languageDirty: false,
  typing: new Map(),
  identity: null,
  identifiedToken: null,
};

/** Reads the page's and the browser's settings; called once, after configure(). */
export function initState(): void {
  state.lang = normalizeLanguage(settings.options.lang || storage.get(LANG_KEY) || navigator.language);
  state.token = storage.get(TOKEN_KEY);
  state.identity = window.ParleySettings?.identity || null;
}

export interface Connection {
  ws: WebSocket | null;
  /** The socket said `ready`: frames can go out on it. */
  ready: boolean;
  everReady: boolean;
  attempt: number;
  wsFailures: number;
  /** Polling over HTTP because the socket keeps failing. */
  http: boolean;
  started: boolean;
  timer: Timer | undefined;
  pollTimer: Timer | undefined;
  /** clientIds being posted over HTTP right now. */
  inflight: Set<string>;
}

export const conn: Connection = {
  ws: null,
  ready: false,
  everReady: false,
  attempt: 0,
  wsFailures: 0,
  http: false,
  started: false,
  timer: undefined,
  pollTimer: undefined,
  inflight: new Set(),
};
