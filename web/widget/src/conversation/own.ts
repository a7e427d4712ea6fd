/**
 * The shopper's own bubbles. A message shows at once as "sending", becomes sent when the
 * gateway acknowledges it, and is replaced by the stored message when that arrives: one
 * bubble per message, however often it is echoed, replayed or re-sent.
 */

import { uuid } from '../links.js';
import { renderMessage } from '../render/message.js';
import type { PartActions } from '../render/parts.js';
import { state } from '../state.js';
import { enqueue } from '../transport/outbox.js';
import { ui } from '../ui.js';
import type { AckFrame, UploadRef, WireChoice, WireMessage } from '../wire.js';
import { insertBySeq, keepAtBottom } from './scroll.js';

export const partActions: PartActions = { postback, mediaLoaded: keepAtBottom };

export function sendText(text: string): void {
  const clean = text.trim();
  if (!clean) return;
  const clientId = uuid();
  addOptimistic(clientId, clean);
  enqueue({ type: 'message', clientId, text: clean, locale: state.lang });
}

/** A file already uploaded, sent by its reference; the bubble shows its name until the stored message replaces it. */
export function sendMedia(media: UploadRef): void {
  const clientId = uuid();
  addOptimistic(clientId, `📎 ${media.name ?? ''}`.trim());
  enqueue({ type: 'message', clientId, media: [media], locale: state.lang });
}

function postback(choice: WireChoice, label: string, group?: HTMLElement): void {
  if (group) {
    for (const b of group.querySelectorAll('button')) b.disabled = true;
    ui.input.focus();
  }
  const clientId = uuid();
  addOptimistic(clientId, label);
  enqueue({ type: 'postback', clientId, payload: String(choice.payload ?? ''), label });
}

function addOptimistic(clientId: string, text: string): void {
  const el = renderMessage({ role: 'shopper', parts: [{ kind: 'text', text }], createdAt: Date.now() }, true, partActions);
  el.dataset.clientId = clientId;
  state.optimistic.set(clientId, el);
  ui.stick = true;
  insertBySeq(el, Number.POSITIVE_INFINITY);
}

/** The bubble a stored message stands for: matched by clientId (echo, history, poll) or by the acked id. */
export function ownBubble(msg: WireMessage & { id: string }): HTMLElement | null {
  const byClient = msg.clientId && (state.optimistic.get(msg.clientId) || state.acked.get(msg.clientId));
  if (byClient) return byClient;
  const known = state.byId.get(msg.id);
  return known && state.acked.get(known.dataset.clientId ?? '') === known ? known : null;
}

export function dropOwnBubble(el: HTMLElement): void {
  const clientId = el.dataset.clientId ?? '';
  state.optimistic.delete(clientId);
  state.acked.delete(clientId);
  state.pending.delete(clientId);
  if (state.byId.get(el.dataset.id ?? '') === el) state.byId.delete(el.dataset.id ?? '');
  el.remove();
}

export function onAck(frame: AckFrame): void {
  state.pending.delete(frame.clientId);
  const el = state.optimistic.get(frame.clientId);
  if (!el) return;
  state.optimistic.delete(frame.clientId);
  state.acked.set(frame.clientId, el);
  el.classList.remove('parley-pending');
  el.querySelector('.parley-state')?.remove();
  if (typeof frame.id === 'string') {
    el.dataset.id = frame.id;
    state.byId.set(frame.id, el);
  }
  const seq = Number(frame.seq);
  if (Number.isFinite(seq)) {
    if (seq > state.maxSeq) state.maxSeq = seq;
    el.remove();
    insertBySeq(el, seq);
  }
}
