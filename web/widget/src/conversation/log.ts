/** The conversation log: stored messages in seq order, replies streamed while written, the unread count. */

import { renderMessage } from '../render/message.js';
import { state } from '../state.js';
import { renderUnread } from '../status.js';
import { ui } from '../ui.js';
import type { WireMessage } from '../wire.js';
import { dropOwnBubble, ownBubble, partActions } from './own.js';
import { insertBySeq, keepAtBottom, nearBottom } from './scroll.js';
import { setTyping } from './typing.js';

export function addMessage(msg: WireMessage | undefined): void {
  if (!msg || typeof msg.id !== 'string') return;
  const stored = msg as WireMessage & { id: string };
  dropStreamed(stored.id); // the stored reply replaces what was streamed while it was written
  const seq = Number(stored.seq);
  const own = ownBubble(stored);
  if (!own && state.byId.has(stored.id)) return;
  if (seq > state.maxSeq) state.maxSeq = seq;
  const el = renderMessage(stored, false, partActions);
  // The stored message replaces the shopper's own bubble (sending or acked): never both.
  if (own) dropOwnBubble(own);
  state.byId.set(stored.id, el);
  ui.stick = nearBottom() || stored.role === 'shopper';
  insertBySeq(el, seq);
  if (stored.role === 'bot' || stored.role === 'agent') setTyping(stored.role, false);
  if (!state.open && state.historyLoaded && stored.role !== 'shopper') {
    state.unread += 1;
    renderUnread();
  }
}

export function resetConversation(): void {
  // Unsent messages survive: they are re-sent into the new conversation.
  ui.log.replaceChildren(...state.optimistic.values());
  ui.empty.hidden = state.optimistic.size > 0;
  state.byId.clear();
  state.acked.clear();
  state.maxSeq = 0;
  state.historyLoaded = false;
}

/** A bot reply as it is written: a plain-text bubble under the reply's id, grown by each delta at its offset. */
export function onDelta(frame: { id?: unknown; text?: unknown; at?: unknown }): void {
  if (typeof frame.id !== 'string' || typeof frame.text !== 'string') return;
  let el = state.byId.get(frame.id);
  if (el && !el.dataset.streaming) return; // the final message is already here
  if (!el) {
    el = renderMessage({ id: frame.id, role: 'bot', parts: [{ kind: 'text', text: '', markup: 'plain' }], createdAt: Date.now() }, false, partActions);
    el.dataset.streaming = 'true';
    el.setAttribute('aria-busy', 'true'); // screen readers hear the final message, not every piece
    state.byId.set(frame.id, el);
    setTyping('bot', false);
    ui.stick = nearBottom();
    insertBySeq(el, Number.POSITIVE_INFINITY);
  }
  const text = el.querySelector('.parley-text');
  // `at` is where the piece goes: a retried turn streams again from 0, and what it rewrites
  // is cut first rather than shown twice.
  if (text) text.textContent = (text.textContent ?? '').slice(0, typeof frame.at === 'number' ? frame.at : undefined) + frame.text;
  ui.stick = ui.stick || nearBottom();
  keepAtBottom();
}

function dropStreamed(id: string): void {
  const el = state.byId.get(id);
  if (!el?.dataset.streaming) return;
  state.byId.delete(id);
  el.remove();
}
