/** Keeping the log at the bottom while the shopper reads there, and out of their way when they scrolled up. */

import { ui } from '../ui.js';

export function nearBottom(): boolean {
  const s = ui.scroll;
  return s.scrollHeight - s.scrollTop - s.clientHeight < 80;
}

export function keepAtBottom(): void {
  if (ui.stick) ui.scroll.scrollTop = ui.scroll.scrollHeight;
}

/** Inserts by seq so replays and late echoes land in order; pending bubbles stay last. */
export function insertBySeq(el: HTMLElement, seq: number): void {
  el.dataset.seq = Number.isFinite(seq) ? String(seq) : '';
  let before: Element | null = null;
  for (let node = ui.log.lastElementChild; node instanceof HTMLElement; node = node.previousElementSibling) {
    const s = node.dataset.seq === '' ? Number.POSITIVE_INFINITY : Number(node.dataset.seq);
    if (s > seq) before = node;
    else break;
  }
  ui.stick = ui.stick || nearBottom();
  ui.log.insertBefore(el, before);
  ui.empty.hidden = true;
  keepAtBottom();
}
