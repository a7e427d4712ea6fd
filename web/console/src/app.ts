/**
 * The console's flow: sign-in, the shell, the queue, opening and acting on a conversation.
 * The views (shell, queue, conversation, composer, admin, reports) render and report clicks through
 * the actions passed to them; this module decides what happens next.
 */

import { renderAdmin } from './admin/admin.js';
import { api, messageOf } from './api.js';
import { type ConversationActions, type HandoffAction, renderConversation } from './conversation.js';
import { renderReports } from './load-reports.js';
import { renderLogin } from './login.js';
import { renderQueue } from './queue.js';
import { type ShellActions, renderShell } from './shell.js';
import { showShortcuts } from './shortcuts.js';
import { openSocket, sendFrame } from './socket.js';
import { state, ui, type View } from './state.js';
import { loadStrings, t } from './strings.js';
import { toast } from './toast.js';
import type { Agent, CannedReply, ConversationView, QueueEntry, Team } from './types.js';

export function showLogin(): void {
  renderLogin(start);
}

export async function start(agent: Agent): Promise<void> {
  state.agent = agent;
  await loadStrings(agent.language);
  const [agents, teams, canned] = await Promise.all([
    api<{ agents: Agent[] }>('GET', '/agents'),
    api<{ teams: Team[] }>('GET', '/teams'),
    api<{ replies: CannedReply[] }>('GET', '/canned'),
  ]);
  state.agents = agents.agents;
  state.teams = teams.teams;
  state.canned = canned.replies;
  showShell();
  openSocket();
  void refreshQueue();
}

const shellActions: ShellActions = {
  toggleAdmin: () => switchView(state.view === 'admin' ? 'work' : 'admin'),
  toggleReports: () => switchView(state.view === 'reports' ? 'work' : 'reports'),
  toggleAway: () => void toggleAway(),
  changeLanguage: (language) => void changeLanguage(language),
  showShortcuts,
  signOut: () => void signOut(),
};

function showShell(): void {
  renderShell(shellActions);
  showQueue();
  if (state.view === 'admin') void renderAdmin();
  else if (state.view === 'reports') void renderReports();
  else showConversation(false);
}

function switchView(view: View): void {
  state.view = view;
  showShell();
}

async function toggleAway(): Promise<void> {
  const button = ui.status;
  if (!button) return;
  const away = button.getAttribute('aria-pressed') === 'true';
  await api('PATCH', '/me', { status: away ? 'away' : 'online' });
  button.setAttribute('aria-pressed', String(!away));
  button.textContent = away ? t('status_away') : t('status_online');
}

async function changeLanguage(language: string): Promise<void> {
  const data = await api<{ agent: Agent }>('PATCH', '/me', { language });
  state.agent = data.agent;
  await loadStrings(language);
  if (!state.currentId) state.canned = (await api<{ replies: CannedReply[] }>('GET', '/canned')).replies;
  sendFrame({ type: 'watch', conversationId: state.currentId });
  showShell();
  if (state.currentId) void openConversation(state.currentId);
}

async function signOut(): Promise<void> {
  await api('POST', '/logout').catch(() => undefined);
  state.agent = null;
  showLogin();
}

async function refreshQueue(): Promise<void> {
  const data = await api<{ queue: QueueEntry[] }>('GET', '/queue').catch(() => null);
  if (data) {
    state.queue = data.queue;
    showQueue();
  }
}

export function showQueue(): void {
  renderQueue((id) => void openConversation(id));
}

async function openConversation(id: string): Promise<void> {
  if (state.view !== 'work') switchView('work');
  state.currentId = id;
  const entry = state.queue.find((q) => q.conversationId === id);
  if (entry) entry.unread = false;
  sendFrame({ type: 'watch', conversationId: id });
  showQueue();
  try {
    state.current = await api<ConversationView>('GET', `/conversations/${encodeURIComponent(id)}`);
    // Canned replies with their text in this shopper's language, where the shop has one.
    const language = state.current.conversation.language;
    state.canned = (await api<{ replies: CannedReply[] }>('GET', `/canned?language=${encodeURIComponent(language)}`)).replies;
  } catch (err) {
    toast(messageOf(err));
    return;
  }
  state.replyLanguage = null;
  state.shopperTyping = false;
  showConversation(false);
  ui.input?.focus();
}

export async function reloadConversation(): Promise<void> {
  if (!state.currentId) return;
  state.current = await api<ConversationView>('GET', `/conversations/${encodeURIComponent(state.currentId)}`).catch(() => state.current);
  showConversation(true);
}

const conversationActions: ConversationActions = { act: action, toggleMode, sent: reloadConversation };

function showConversation(keepDraft: boolean): void {
  renderConversation(keepDraft, conversationActions);
}

export async function action(name: HandoffAction, body?: { agentId: string } | { teamId: string }): Promise<void> {
  if (!state.currentId) return;
  try {
    await api('POST', `/conversations/${encodeURIComponent(state.currentId)}/${name}`, body || {});
    await Promise.all([reloadConversation(), refreshQueue()]);
  } catch (err) {
    toast(messageOf(err));
  }
}

export function toggleMode(): void {
  state.mode = state.mode === 'note' ? 'reply' : 'note';
  showConversation(true);
  ui.input?.focus();
}

/** Opens the next (1) or previous (-1) conversation in the queue. */
export function step(delta: number): void {
  const ids = state.queue.map((q) => q.conversationId);
  if (!ids.length) return;
  const i = ids.indexOf(state.currentId ?? '');
  const next = ids[(i + delta + ids.length) % ids.length];
  if (next) void openConversation(next);
}
