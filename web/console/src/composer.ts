/**
 * The reply box: replies are previewed in the shopper's language while typed, notes stay
 * internal, canned replies are picked from a list, Ctrl+Enter sends.
 */

import { h } from '../../shared/dom.js';
import { api, messageOf } from './api.js';
import { attachControl, attachments, clearAttachments } from './attach.js';
import { sendFrame } from './socket.js';
import { state, ui } from './state.js';
import { languageName, t } from './strings.js';
import { toast } from './toast.js';
import type { Preview } from './types.js';

export interface ComposerActions {
  toggleMode(): void;
  /** A reply or note was stored: show it. */
  sent(): Promise<void>;
}

let previewTimer: ReturnType<typeof setTimeout> | undefined;
let typingSentAt = 0;

function input(): HTMLTextAreaElement {
  if (!ui.input) throw new Error('The composer is not shown.');
  return ui.input;
}

// A canned reply the shop wrote in the shopper's language goes out as written (value
// "shopper:<id>"); one in the agent's language is translated like anything they type.
function cannedSelect(): HTMLSelectElement {
  const pick = (e: Event) => {
    const select = e.target as HTMLSelectElement;
    const [, inShopperLanguage, id] = /^(shopper:)?(.*)$/.exec(select.value) ?? [];
    const reply = state.canned.find((r) => r.id === id);
    if (reply) {
      const box = input();
      const text = inShopperLanguage && reply.shopper ? reply.shopper.text : reply.text;
      if (inShopperLanguage && !box.value.trim()) state.replyLanguage = reply.shopper?.language ?? null;
      else if (!inShopperLanguage && !box.value.trim()) state.replyLanguage = null;
      box.value = box.value ? `${box.value}\n${text}` : text;
      onDraft();
      box.focus();
    }
    select.value = '';
  };
  return h(
    'select',
    { 'aria-label': t('canned_label'), 'data-testid': 'canned', onchange: pick },
    h('option', { value: '' }, t('canned_pick')),
    state.canned.map((r) => h('option', { value: r.id }, r.title)),
    state.canned.flatMap((r) =>
      r.shopper ? [h('option', { value: `shopper:${r.id}`, lang: r.shopper.language }, `${r.title} · ${languageName(r.shopper.language)}`)] : [],
    ),
  );
}

export function composer(draft: string, actions: ComposerActions): HTMLFormElement {
  const noteMode = state.mode === 'note';
  const send = () => void submit(actions);
  ui.input = h('textarea', {
    'aria-label': noteMode ? t('note_label') : t('reply_label'),
    placeholder: noteMode ? t('note_placeholder') : t('reply_placeholder'),
    'data-testid': 'reply-input',
    oninput: onDraft,
    onkeydown: (e: KeyboardEvent) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        send();
      }
    },
  });
  ui.input.value = draft || '';
  ui.preview = h('div', { class: 'preview-box', 'aria-live': 'polite', 'data-testid': 'preview', hidden: true });
  const modeButton = h(
    'button',
    { type: 'button', 'aria-pressed': String(noteMode), 'data-testid': 'note-mode', title: 'Alt+N', onclick: actions.toggleMode },
    noteMode ? t('mode_reply') : t('mode_note'),
  );
  return h(
    'form',
    { class: `composer${noteMode ? ' note-mode' : ''}`, onsubmit: (e: Event) => (e.preventDefault(), send()) },
    ui.input,
    ui.preview,
    h(
      'div',
      { class: 'bar' },
      cannedSelect(),
      noteMode ? null : attachControl(),
      modeButton,
      h('span', { class: 'muted', style: 'margin-inline-start:auto;font-size:12px' }, 'Ctrl+Enter'),
      h('button', { class: 'primary', type: 'submit', 'data-testid': 'send' }, noteMode ? t('add_note') : t('send')),
    ),
  );
}

function onDraft(): void {
  const text = input().value.trim();
  clearTimeout(previewTimer);
  if (state.mode !== 'reply' || !text) {
    if (ui.preview) ui.preview.hidden = true;
    if (!text) state.replyLanguage = null;
    return;
  }
  const now = Date.now();
  if (now - typingSentAt > 3000) {
    typingSentAt = now;
    sendFrame({ type: 'typing', conversationId: state.currentId, on: true });
  }
  clearTimeout(state.typingTimer);
  state.typingTimer = setTimeout(stopTyping, 4000);
  previewTimer = setTimeout(() => void showPreview(text), 350);
}

/** What the shopper will read, translated by the server as it would be sent. */
async function showPreview(text: string): Promise<void> {
  try {
    const { preview } = await api<{ preview: Preview }>('POST', `/conversations/${encodeURIComponent(String(state.currentId))}/preview`, {
      text,
      ...(state.replyLanguage ? { language: state.replyLanguage } : {}),
    });
    // Read the elements now: the conversation may have been re-rendered while the server answered.
    if (input().value.trim() !== text || !ui.preview) return;
    ui.preview.hidden = false;
    ui.preview.replaceChildren(
      h('b', {}, t('preview_label', { language: languageName(preview.language) })),
      ' ',
      h('span', { lang: preview.language, 'data-testid': 'preview-text' }, preview.text),
      ...(preview.untranslated ? [h('span', { class: 'error' }, ` ${t('untranslated')}`)] : []),
    );
  } catch {
    if (ui.preview) ui.preview.hidden = true;
  }
}

function stopTyping(): void {
  if (!typingSentAt) return;
  typingSentAt = 0;
  sendFrame({ type: 'typing', conversationId: state.currentId, on: false });
}

async function submit(actions: ComposerActions): Promise<void> {
  const box = input();
  const text = box.value.trim();
  const media = state.mode === 'reply' ? attachments() : [];
  if ((!text && media.length === 0) || !state.currentId) return;
  const path = `/conversations/${encodeURIComponent(state.currentId)}/${state.mode === 'note' ? 'notes' : 'messages'}`;
  box.value = '';
  if (ui.preview) ui.preview.hidden = true;
  stopTyping();
  try {
    const language = state.mode === 'reply' && state.replyLanguage ? { language: state.replyLanguage } : {};
    state.replyLanguage = null;
    const clientId = `c${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    await api('POST', path, { ...(text ? { text } : {}), clientId, ...language, ...(media.length ? { media } : {}) });
    clearAttachments();
    await actions.sent();
  } catch (err) {
    input().value = text;
    toast(messageOf(err));
  }
}
