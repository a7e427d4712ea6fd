/** Admin: export or erase everything Parley holds about one shopper (docs/privacy.md). */

import { h } from '../../../shared/dom.js';
import { api, messageOf } from '../api.js';
import { t } from '../strings.js';
import { toast } from '../toast.js';
import type { AdminPanel } from './form.js';

interface Exported {
  shopper: { id: string };
  conversations: { messages: unknown[] }[];
}

interface Erasure {
  id: string;
  counts: Record<string, number>;
}

/** Saves the export as a JSON file in the browser's downloads. */
function download(doc: Exported): void {
  const url = URL.createObjectURL(new Blob([JSON.stringify(doc, null, 2)], { type: 'application/json' }));
  const link = h('a', { href: url, download: `shopper-${doc.shopper.id}.json` });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function erasureReport(erasure: Erasure): HTMLElement {
  const total = Object.values(erasure.counts).reduce((a, b) => a + b, 0);
  const rows = Object.entries(erasure.counts).map(([kind, n]) => h('li', {}, `${kind}: ${n}`));
  return h('div', {}, h('p', {}, t('privacy_erased', { count: total, id: erasure.id })), h('details', {}, h('summary', {}, erasure.id), h('ul', {}, rows)));
}

export const privacyPanel: AdminPanel = async () => {
  const by = h('select', { 'data-testid': 'privacy-by' }, h('option', { value: 'ref' }, t('privacy_by_ref')), h('option', { value: 'id' }, t('privacy_by_id')));
  const who = h('input', { required: true, autocomplete: 'off', 'data-testid': 'privacy-who' });
  const result = h('div', { 'aria-live': 'polite', 'data-testid': 'privacy-result' });
  const path = (suffix: string) => `/shoppers/${encodeURIComponent(who.value.trim())}${suffix}?by=${by.value}`;
  const run = async (action: () => Promise<HTMLElement | string>) => {
    if (!who.reportValidity()) return;
    try {
      result.replaceChildren(await action());
    } catch (err) {
      result.replaceChildren(h('p', { class: 'error' }, messageOf(err)));
      toast(messageOf(err));
    }
  };
  const exportData = () =>
    run(async () => {
      const doc = await api<Exported>('GET', path('/export'));
      download(doc);
      const messages = doc.conversations.reduce((n, c) => n + c.messages.length, 0);
      return t('privacy_exported', { conversations: doc.conversations.length, messages });
    });
  const erase = () =>
    run(async () => {
      if (!window.confirm(t('privacy_confirm', { who: who.value.trim() }))) return '';
      const { erasure } = await api<{ erasure: Erasure }>('DELETE', path(''));
      return erasureReport(erasure);
    });
  return h(
    'div',
    { 'data-testid': 'privacy' },
    h('p', { class: 'muted' }, t('privacy_intro')),
    h(
      'form',
      { onsubmit: (e: Event) => (e.preventDefault(), void exportData()) },
      h('label', {}, t('shopper'), ' ', by, ' ', who),
      h('button', { type: 'submit', 'data-testid': 'privacy-export' }, t('privacy_export')),
      ' ',
      h('button', { type: 'button', class: 'danger', 'data-testid': 'privacy-erase', onclick: () => void erase() }, t('privacy_erase')),
    ),
    result,
  );
};
