/** The "Assistant is typing…" dots. */

import { state } from '../state.js';
import { t } from '../strings.js';
import { ui } from '../ui.js';
import { keepAtBottom, nearBottom } from './scroll.js';

export function setTyping(role: 'bot' | 'agent', on: boolean): void {
  clearTimeout(state.typing.get(role));
  state.typing.delete(role);
  // A lost "off" frame must not leave the dots running forever.
  if (on)
    state.typing.set(
      role,
      setTimeout(() => setTyping(role, false), 20_000),
    );
  const who = state.typing.has('agent') ? 'typingAgent' : state.typing.has('bot') ? 'typingBot' : null;
  ui.typing.hidden = !who;
  ui.typingText.dataset.i18n = who || 'typingBot';
  ui.typingText.textContent = who ? t(who) : '';
  if (who) {
    ui.stick = nearBottom();
    keepAtBottom();
  }
}
