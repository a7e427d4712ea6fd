/**
 * Photos, voice notes, videos and files in the timeline: stored media load from the console's
 * media route (same origin, the agent's session); what intake could not keep says why.
 */

import { h } from '../../shared/dom.js';
import { API } from './api.js';
import { state } from './state.js';
import { languageName, t } from './strings.js';
import type { ConsoleMedia, ConsoleMessage } from './types.js';

const src = (id: string) => `${API}/media/${encodeURIComponent(id)}`;

/** "1.2 MB" in the agent's language. */
export function fileSize(bytes: number | undefined): string {
  if (bytes === undefined) return '';
  const [n, unit] = bytes >= 1e6 ? [bytes / 1e6, 'megabyte'] : bytes >= 1e3 ? [bytes / 1e3, 'kilobyte'] : [bytes, 'byte'];
  return new Intl.NumberFormat(state.lang, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1 }).format(n);
}

/** The timeline's media of one message. */
export function mediaEls(m: ConsoleMessage): HTMLElement[] {
  return (m.media ?? []).map((part) => h('div', { class: `media ${part.kind}`, 'data-testid': `media-${part.kind}` }, mediaBody(part, m)));
}

function mediaBody(part: ConsoleMedia, m: ConsoleMessage): HTMLElement | HTMLElement[] {
  if (!part.id) {
    const reason = t(`media_error.${part.error ?? 'unsupported'}`);
    return h('div', { class: 'error', 'data-testid': 'media-error' }, t('media_not_kept', { kind: t(`media_kind.${part.kind}`), reason }));
  }
  const label = part.caption || part.name || t(`media_kind.${part.kind}`);
  if (part.kind === 'image') return thumbnail(part.id, label);
  if (part.kind === 'audio')
    return [h('audio', { controls: true, preload: 'metadata', src: src(part.id), 'aria-label': label }), transcript(part, m)].filter(isEl);
  if (part.kind === 'video') return h('video', { controls: true, preload: 'metadata', src: src(part.id), 'aria-label': label, width: 320 });
  const size = fileSize(part.size);
  return h(
    'a',
    { href: src(part.id), download: part.name || '', 'data-testid': 'media-download' },
    `${part.name || t('media_kind.file')}${size ? ` (${size})` : ''}`,
  );
}

const isEl = (el: HTMLElement | null): el is HTMLElement => el !== null;

/** The voice note's words as heard, and in the agent's language beside them when they differ. */
function transcript(part: ConsoleMedia, m: ConsoleMessage): HTMLElement | null {
  const heard = part.transcript;
  if (!heard) return h('p', { class: 'muted', 'data-testid': 'no-transcript' }, t('media_no_transcript'));
  // The transcript is the message's text: the turn translated it with everything else said.
  const translation = m.translated && m.text && m.text !== heard ? m.text : null;
  return h(
    'dl',
    { class: 'transcript' },
    h('dt', {}, t('media_transcript', { language: languageName(m.originalLanguage || '') })),
    h('dd', { lang: m.originalLanguage || null, 'data-testid': 'transcript' }, heard),
    translation
      ? [
          h('dt', {}, t('media_translation', { language: languageName(state.lang) })),
          h('dd', { lang: state.lang, 'data-testid': 'transcript-translation' }, translation),
        ]
      : null,
  );
}

function thumbnail(id: string, label: string): HTMLElement {
  const img = h('img', { src: src(id), alt: label, loading: 'lazy', decoding: 'async', width: 160, height: 120, class: 'thumb' });
  return h(
    'button',
    {
      type: 'button',
      class: 'thumb-button',
      'data-testid': 'media-thumb',
      'aria-label': t('media_open', { name: label }),
      onclick: () => openViewer(id, label),
    },
    img,
  );
}

/** The photo at full size in a modal dialog: Escape or the close button closes it, focus stays inside and returns to the thumbnail. */
function openViewer(id: string, label: string): void {
  const opener = document.activeElement as HTMLElement | null;
  const close = h('button', { type: 'button', 'data-testid': 'viewer-close' }, t('close'));
  const dialog = h(
    'dialog',
    { class: 'viewer', 'aria-label': label, 'data-testid': 'viewer' },
    h('img', { src: src(id), alt: label }),
    h('p', {}, h('a', { href: src(id), target: '_blank', rel: 'noopener' }, t('media_full_size')), ' ', close),
  );
  close.addEventListener('click', () => dialog.close());
  // A modal <dialog> keeps focus inside and closes on Escape; Tab wraps between its controls.
  dialog.addEventListener('keydown', (e) => trapTab(e, dialog));
  dialog.addEventListener('close', () => {
    dialog.remove();
    opener?.focus();
  });
  document.body.append(dialog);
  dialog.showModal();
  close.focus();
}

function trapTab(e: KeyboardEvent, dialog: HTMLDialogElement): void {
  if (e.key !== 'Tab') return;
  const stops = [...dialog.querySelectorAll<HTMLElement>('a[href], button')];
  const first = stops[0];
  const last = stops.at(-1);
  if (e.shiftKey && document.activeElement === first) {
    e.preventDefault();
    last?.focus();
  } else if (!e.shiftKey && document.activeElement === last) {
    e.preventDefault();
    first?.focus();
  }
}
