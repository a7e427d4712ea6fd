/**
 * The composer's attach control: a picked photo or file is uploaded at once
 * (`POST /console/api/media`) and listed above the send button until the reply carries it.
 */

import { h } from '../../shared/dom.js';
import { API } from './api.js';
import { fileSize } from './media.js';
import { state } from './state.js';
import { t } from './strings.js';
import { toast } from './toast.js';

interface Attached {
  id: string;
  name: string;
  size: number;
}

let attached: Attached[] = [];
let list: HTMLElement | undefined;

/** What the next reply carries. */
export function attachments(): { id: string; name: string }[] {
  return attached.map(({ id, name }) => ({ id, name }));
}

export function clearAttachments(): void {
  attached = [];
  renderList();
}

/** Why the server refused a file, in the agent's language. */
function refusal(status: number): string {
  if (status === 413) return t('upload_too_large');
  if (status === 415) return t('upload_type');
  return t('upload_failed');
}

async function upload(file: File, button: HTMLButtonElement): Promise<void> {
  button.disabled = true;
  list?.setAttribute('aria-busy', 'true');
  try {
    const res = await fetch(`${API}/media`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': file.type || 'application/octet-stream', 'x-file-name': encodeURIComponent(file.name), 'x-csrf-token': state.csrf },
      body: file,
    });
    if (!res.ok) return toast(refusal(res.status));
    const body = (await res.json()) as { id: string; size: number; name?: string };
    attached = [...attached, { id: body.id, name: body.name ?? file.name, size: body.size }].slice(-4);
    renderList();
  } catch {
    toast(t('upload_failed'));
  } finally {
    button.disabled = false;
    list?.removeAttribute('aria-busy');
    button.focus();
  }
}

function renderList(): void {
  list?.replaceChildren(
    ...attached.map((a) =>
      h(
        'li',
        { 'data-testid': 'attachment' },
        `${a.name} (${fileSize(a.size)}) `,
        h(
          'button',
          {
            type: 'button',
            class: 'link',
            'aria-label': t('attach_remove', { name: a.name }),
            onclick: () => {
              attached = attached.filter((x) => x !== a);
              renderList();
            },
          },
          '×',
        ),
      ),
    ),
  );
}

/** The button, its hidden file input, and the list of what is attached (announced as it changes). */
export function attachControl(): HTMLElement {
  const input = h('input', { type: 'file', hidden: true, tabindex: -1, 'data-testid': 'attach-file' });
  const button = h('button', { type: 'button', 'data-testid': 'attach', onclick: () => input.click() }, t('attach'));
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    input.value = '';
    if (file) void upload(file, button);
  });
  list = h('ul', { class: 'attachments', 'aria-live': 'polite', 'aria-label': t('attachments') });
  renderList();
  return h('span', { class: 'attach' }, button, input, list);
}
