/** What each frame on the console socket changes on screen. */

import { reloadConversation, showQueue } from './app.js';
import { me, state, ui } from './state.js';
import { t } from './strings.js';
import { toast } from './toast.js';
import type { ConsoleFrame, ConsoleMessage } from './types.js';
import { renderTimeline } from './timeline.js';

function setShopperTyping(on: boolean): void {
  state.shopperTyping = on;
  if (ui.typing) ui.typing.textContent = on ? t('shopper_typing') : '';
}

function onMessages(conversationId: string, messages: ConsoleMessage[]): void {
  const current = state.current;
  if (conversationId !== state.currentId || !current) return;
  for (const m of messages) {
    const i = current.messages.findIndex((x) => x.id === m.id);
    if (i >= 0) current.messages[i] = m;
    else current.messages.push(m);
    if (m.role === 'shopper') setShopperTyping(false);
  }
  renderTimeline();
  if (ui.log) ui.log.scrollTop = ui.log.scrollHeight;
}

export function onFrame(f: ConsoleFrame): void {
  switch (f.type) {
    case 'queue': {
      const unread = new Set(state.queue.filter((q) => q.unread).map((q) => q.conversationId));
      state.queue = f.queue.map((q) => ({ ...q, unread: unread.has(q.conversationId) }));
      return showQueue();
    }
    case 'activity': {
      const entry = state.queue.find((q) => q.conversationId === f.conversationId);
      if (entry) entry.unread = true;
      return showQueue();
    }
    case 'messages':
      return onMessages(f.conversationId, f.messages);
    case 'note':
    case 'state':
    case 'assigned':
      if (f.conversationId === state.currentId) return void reloadConversation();
      if (f.type === 'assigned' && f.agentId === me().id) toast(t('assigned_to_you'));
      return;
    case 'typing':
      if (f.conversationId === state.currentId) setShopperTyping(f.on);
      return;
  }
}
