/** The side pane: who the shopper is, their identities across channels, their recent orders. */

import { h } from '../../shared/dom.js';
import { state, ui } from './state.js';
import { languageName, t } from './strings.js';
import type { Order } from './types.js';

// Read-only: id, status, total and, when the carrier gave one, the tracking link.
function orderItem(o: Order): HTMLLIElement {
  const link = /^https?:\/\//i.test(o.trackingUrl || '')
    ? h('a', { href: o.trackingUrl, target: '_blank', rel: 'noopener noreferrer' }, o.carrier || '↗')
    : null;
  return h('li', {}, `${o.id} · ${o.status} · ${o.total}`, link ? [' · ', link] : null);
}

export function renderSide(): void {
  const c = state.current;
  if (!c || !ui.side) return;
  const conv = c.conversation;
  const identities = c.shopper.identities;
  ui.side.replaceChildren(
    h('h2', {}, t('shopper')),
    h(
      'dl',
      { 'data-testid': 'shopper-info' },
      h('dt', {}, t('channel')),
      h('dd', {}, conv.channelId),
      h('dt', {}, t('shopper_language')),
      h('dd', {}, `${languageName(conv.language)} (${conv.language})`),
      h('dt', {}, t('status')),
      h('dd', {}, t(`state.${conv.state}`)),
      conv.agentName ? [h('dt', {}, t('agent')), h('dd', {}, conv.agentName)] : null,
      conv.reason ? [h('dt', {}, t('handoff_reason')), h('dd', {}, t(`reason.${conv.reason.split(':')[0]}`))] : null,
      c.shopper.customerRef ? [h('dt', {}, t('customer_ref')), h('dd', {}, c.shopper.customerRef)] : null,
    ),
    h('h2', {}, t('identities')),
    h(
      'ul',
      {},
      identities.map((i) => h('li', {}, `${i.channelId}: ${i.userId.length > 18 ? `${i.userId.slice(0, 18)}…` : i.userId}`)),
    ),
    h('h2', {}, t('orders')),
    c.shopper.orders.length ? h('ul', { 'data-testid': 'shopper-orders' }, c.shopper.orders.map(orderItem)) : h('p', { class: 'muted' }, t('orders_empty')),
  );
}
