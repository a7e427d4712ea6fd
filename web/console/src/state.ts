/** The console's state and the elements its views re-render into. */

import type { Agent, CannedReply, ConversationView, QueueEntry, Team } from './types.js';

export type View = 'work' | 'admin' | 'reports';
export type AdminTab = 'agents' | 'teams' | 'kb' | 'ratings' | 'dead' | 'privacy';

export interface ConsoleState {
  agent: Agent | null;
  csrf: string;
  strings: unknown;
  lang: string;
  queue: QueueEntry[];
  agents: Agent[];
  teams: Team[];
  canned: CannedReply[];
  current: ConversationView | null;
  currentId: string | null;
  mode: 'reply' | 'note';
  view: View;
  adminTab: AdminTab;
  typingTimer: ReturnType<typeof setTimeout> | undefined;
  shopperTyping: boolean;
  socket: WebSocket | null;
  retry: number;
  /** The language of a canned reply picked in the shopper's language: sent as written, not translated. */
  replyLanguage: string | null;
}

export const state: ConsoleState = {
  agent: null,
  csrf: '',
  strings: {},
  lang: navigator.language || 'en',
  queue: [],
  agents: [],
  teams: [],
  canned: [],
  current: null,
  currentId: null,
  mode: 'reply',
  view: 'work',
  adminTab: 'agents',
  typingTimer: undefined,
  shopperTyping: false,
  socket: null,
  retry: 0,
  replyLanguage: null,
};

/** Elements of the current screen; absent before the shell is built or when another view shows. */
export interface ConsoleUi {
  status?: HTMLButtonElement;
  queuePane?: HTMLElement;
  center?: HTMLElement;
  side?: HTMLElement;
  admin?: HTMLElement;
  reports?: HTMLElement;
  log?: HTMLDivElement;
  typing?: HTMLDivElement;
  input?: HTMLTextAreaElement;
  preview?: HTMLDivElement;
}

export const ui: ConsoleUi = {};

/** Where the console renders: `<main id="app">` in index.html. */
export function appRoot(): HTMLElement {
  const app = document.getElementById('app');
  if (!app) throw new Error('The console page has no #app element.');
  return app;
}

/** The signed-in agent; the views that call this only render after sign-in. */
export function me(): Agent {
  if (!state.agent) throw new Error('No agent is signed in.');
  return state.agent;
}

export function agentName(id: string): string {
  return state.agents.find((a) => a.id === id)?.name || id.slice(0, 8);
}
