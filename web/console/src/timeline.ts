/** The conversation's messages and notes in time order, each message in the agent's language with its original a click away. */

import { h } from '../../shared/dom.js';
import { api, messageOf } from './api.js';
import { mediaEls } from './media.js';
import { agentName, state, ui } from './state.js';
import { languageName, t, time } from './strings.js';
import { showDialog, toast } from './toast.js';
import type { ConsoleMessage, Note } from './types.js';

type Item = { at: number; seq: number; m: ConsoleMessage } | { at: number; seq: number; n: Note };

function timelineItems(): Item[] {
  const c = state.current;
  if (!c) return [];
  const items: Item[] = [
    ...c.messages.map((m) => ({ at: m.createdAt, seq: m.seq, m })),
    ...c.notes.map((n) => ({ at: n.createdAt, seq: Number.MAX_SAFE_INTEGER, n })),
  ];
  return items.sort((a, b) => a.at - b.at || a.seq - b.seq);
}

export function renderTimeline(): void {
  ui.log?.replaceChildren(...timelineItems().map((item) => ('m' in item ? messageEl(item.m) : noteEl(item.n))));
}

function originalToggle(original: HTMLElement): HTMLButtonElement {
  const toggle = h(
    'button',
    {
      type: 'button',
      'aria-expanded': 'false',
      'data-testid': 'show-original',
      onclick: () => {
        const open = original.hidden;
        original.hidden = !open;
        toggle.setAttribute('aria-expanded', String(open));
        toggle.textContent = open ? t('hide_original') : t('show_original');
      },
    },
    t('show_original'),
  );
  return toggle;
}

function messageEl(m: ConsoleMessage): HTMLElement {
  const who = m.role === 'agent' && m.agentId ? agentName(m.agentId) : t(`role.${m.role}`);
  const original = h(
    'div',
    { class: 'original', hidden: true, 'data-testid': 'original' },
    h('small', {}, t('original_in', { language: languageName(m.originalLanguage || '') })),
    h('div', { lang: m.originalLanguage || null }, m.original),
  );
  const tools: HTMLElement[] = [];
  if (m.translated || m.untranslated) tools.push(originalToggle(original));
  if (m.flaggable) tools.push(h('button', { type: 'button', class: 'danger', onclick: () => flagAnswer(m) }, t('flag_wrong')));
  return h(
    'div',
    { class: `msg ${m.role}`, 'data-testid': `msg-${m.role}`, 'data-id': m.id },
    h(
      'div',
      { class: 'who' },
      who,
      h('span', { class: 'muted' }, time(m.createdAt)),
      m.untranslated ? h('span', { class: 'error', 'data-testid': 'untranslated' }, `${t('untranslated')} · ${languageName(m.originalLanguage || '')}`) : null,
    ),
    onlyTranscript(m)
      ? null
      : h('div', { class: 'text', lang: m.translated ? state.lang : m.originalLanguage || null, 'data-testid': 'text' }, m.text || m.original),
    mediaEls(m),
    m.failure
      ? h(
          'div',
          { class: 'error', 'data-testid': 'delivery-failure', title: m.failure.error },
          t('delivery_failed', { reason: t(`delivery_reason.${m.failure.reason}`) }),
        )
      : null,
    m.choices ? h('div', { class: 'choices' }, `[${m.choices.join('] [')}]`) : null,
    tools.length ? h('div', { class: 'tools' }, tools) : null,
    original,
  );
}

/** A voice note with no other words: its transcript and translation show beside the player, not twice. */
function onlyTranscript(m: ConsoleMessage): boolean {
  const heard = m.media?.find((p) => p.kind === 'audio')?.transcript;
  return !!heard && m.original.trim() === heard.trim();
}

function noteEl(n: Note): HTMLElement {
  return h(
    'div',
    { class: 'msg note', 'data-testid': 'note' },
    h('div', { class: 'who' }, `${t('role.note')} · ${n.agentName || agentName(n.agentId)}`, h('span', { class: 'muted' }, time(n.createdAt))),
    h('div', {}, n.text),
  );
}

/** Proposes a better answer for a wrong bot answer (knowledge-base upkeep). */
function flagAnswer(m: ConsoleMessage): void {
  const dialog = h('dialog', { 'aria-label': t('flag_title') });
  const body = h('textarea', { rows: 6, style: 'width:100%', placeholder: t('flag_placeholder'), 'aria-label': t('proposed_answer') });
  const send = async () => {
    if (!body.value.trim()) return body.focus();
    try {
      await api('POST', '/kb/proposals', { conversationId: state.currentId, messageId: m.id, body: body.value.trim() });
      toast(t('flag_sent'));
      dialog.close();
    } catch (err) {
      toast(messageOf(err));
    }
  };
  dialog.append(
    h('h2', {}, t('flag_title')),
    h('p', { class: 'muted' }, m.text),
    body,
    h(
      'p',
      {},
      h('button', { type: 'button', class: 'primary', onclick: send }, t('flag_submit')),
      ' ',
      h('button', { type: 'button', onclick: () => dialog.close() }, t('close')),
    ),
  );
  showDialog(dialog);
  body.focus();
}
