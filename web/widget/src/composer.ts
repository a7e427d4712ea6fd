/** The message box: Enter sends (not while an IME is composing), typing is signalled, the box grows with its text. */

import { sendText } from './conversation/own.js';
import { sendEphemeral } from './transport/outbox.js';
import { ui } from './ui.js';

let typingSentAt = 0;
let typingStop: ReturnType<typeof setTimeout> | undefined;

export function onComposerInput(): void {
  autosize();
  const now = Date.now();
  if (now - typingSentAt > 3000) {
    sendEphemeral({ type: 'typing', on: true });
    typingSentAt = now;
  }
  clearTimeout(typingStop);
  typingStop = setTimeout(stopTyping, 4000);
}

function stopTyping(): void {
  clearTimeout(typingStop);
  if (!typingSentAt) return;
  typingSentAt = 0;
  sendEphemeral({ type: 'typing', on: false });
}

function autosize(): void {
  ui.input.style.height = 'auto';
  ui.input.style.height = `${Math.min(ui.input.scrollHeight, 132)}px`;
}

export function onComposerKey(event: KeyboardEvent): void {
  // isComposing: Enter confirms an IME candidate (Chinese, Japanese) and must not send.
  if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
  event.preventDefault();
  onSubmit(event);
}

export function onSubmit(event: Event): void {
  event.preventDefault();
  const text = ui.input.value;
  if (!text.trim()) return;
  ui.input.value = '';
  autosize();
  stopTyping();
  sendText(text);
  ui.input.focus();
}
