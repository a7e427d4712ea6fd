/** The open conversation: its header with the hand-off actions, the timeline, the composer, the side pane. */

import { h } from '../../shared/dom.js';
import { type ComposerActions, composer } from './composer.js';
import { renderSide } from './side.js';
import { me, state, ui } from './state.js';
import { languageName, t } from './strings.js';
import { renderTimeline } from './timeline.js';
import type { ConversationView } from './types.js';

export type HandoffAction = 'take' | 'release' | 'resolve' | 'transfer';

export interface ConversationActions extends ComposerActions {
  act(name: HandoffAction, body?: { agentId: string } | { teamId: string }): Promise<void>;
}

function transferControl(actions: ConversationActions): HTMLElement {
  const others = state.agents.filter((a) => a.id !== me().id && !a.disabled);
  const select = h(
    'select',
    { 'aria-label': t('transfer_to'), 'data-testid': 'transfer-to' },
    h('option', { value: '' }, t('transfer_to')),
    others.map((a) => h('option', { value: `agent:${a.id}` }, `${a.name}${a.online ? ' ●' : ''}`)),
    state.teams.map((team) => h('option', { value: `team:${team.id}` }, `${t('team')}: ${team.name}`)),
  );
  const transfer = async () => {
    const [kind, id] = select.value.split(':');
    if (!id) return select.focus();
    await actions.act('transfer', kind === 'agent' ? { agentId: id } : { teamId: id });
  };
  return h('span', {}, select, ' ', h('button', { type: 'button', 'data-testid': 'transfer', onclick: transfer }, t('transfer')));
}

function head(c: ConversationView, actions: ConversationActions): HTMLElement {
  const conv = c.conversation;
  const mine = conv.state === 'assigned' && conv.agentId === me().id;
  const owned = conv.state === 'assigned' || conv.state === 'awaiting_agent';
  const button = (name: HandoffAction, shortcut: string, primary = false) =>
    h('button', { type: 'button', class: primary ? 'primary' : null, 'data-testid': name, onclick: () => actions.act(name), title: shortcut }, t(name));
  return h(
    'div',
    { class: 'conv-head' },
    h(
      'span',
      { class: 'title' },
      `${conv.channelId} · ${languageName(conv.language)} · `,
      h('span', { 'data-testid': 'conv-state' }, t(`state.${conv.state}`)),
    ),
    !mine ? button('take', 'Alt+T', true) : null,
    owned ? transferControl(actions) : null,
    owned ? button('release', 'Alt+B') : null,
    owned ? button('resolve', 'Alt+R') : null,
  );
}

/** Re-renders the center and side panes; `keepDraft` keeps what the agent was typing. */
export function renderConversation(keepDraft: boolean, actions: ConversationActions): void {
  if (!ui.center) return;
  const c = state.current;
  if (!c) {
    ui.center.replaceChildren(h('p', { class: 'empty' }, t('no_conversation')));
    ui.side?.replaceChildren();
    return;
  }
  const draft = keepDraft && ui.input ? ui.input.value : '';
  const header = head(c, actions);
  const log = h('div', { class: 'log', role: 'log', 'aria-label': t('conversation'), 'data-testid': 'messages' });
  ui.log = log;
  renderTimeline();
  ui.typing = h('div', { class: 'typing', role: 'status', 'data-testid': 'shopper-typing' }, state.shopperTyping ? t('shopper_typing') : '');
  ui.center.replaceChildren(header, h('div', { style: 'display:flex;flex-direction:column;min-height:0' }, log, ui.typing), composer(draft, actions));
  log.scrollTop = log.scrollHeight;
  renderSide();
}
