/**
 * What the order help says about one order, in the shopper's language: status, expected
 * delivery, items, total and the tracking link for "where is it?", and what applies to *this*
 * order for cancelling, returning, a new address or an invoice, beside the shop's own policy.
 */
import type { Answer, AnswerRequest } from '../../core/answerer.js';
import type { Choice, Part } from '../../core/message.js';
import { HANDOFF_PAYLOAD } from '../../core/translate-parts.js';
import type { OrderRecord } from './types.js';

/** What the shopper wants done with their order. */
export type OrderIntent = 'status' | 'cancel' | 'return' | 'address' | 'invoice';

/** Where an order is, as far as what may still be done with it goes. */
type Stage = 'open' | 'packing' | 'underway' | 'delivered' | 'closed';

const STAGES: Readonly<Record<string, Stage>> = {
  pending: 'open',
  confirmed: 'open',
  paid: 'open',
  processing: 'open',
  on_hold: 'open',
  packing: 'packing',
  shipped: 'underway',
  in_transit: 'underway',
  out_for_delivery: 'underway',
  delivered: 'delivered',
  completed: 'delivered',
  cancelled: 'closed',
  canceled: 'closed',
  refunded: 'closed',
  returned: 'closed',
  failed: 'closed',
};

const KNOWN_STATUSES = new Set([
  'pending',
  'confirmed',
  'paid',
  'processing',
  'packing',
  'shipped',
  'out_for_delivery',
  'delivered',
  'cancelled',
  'refunded',
  'returned',
]);

function stageOf(order: OrderRecord): Stage {
  return STAGES[order.status.toLowerCase().replace(/[\s-]+/g, '_')] ?? 'open';
}

/** "martes, 24 de noviembre": the expected date in the shopper's locale (an ISO date is a calendar day, not an instant). */
function day(iso: string, language: string): string {
  const date = new Date(`${iso.slice(0, 10)}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(language, { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }).format(date);
}

function money(value: number, currency: string, language: string): string {
  try {
    return new Intl.NumberFormat(language, { style: 'currency', currency }).format(value);
  } catch {
    return `${value.toFixed(2)} ${currency}`;
  }
}

/**
 * The status of an order as text and buttons: what it is, when it arrives, what is in it, what
 * it cost, and "Track parcel" (a link button; a "Track parcel: <url>" line where the channel has
 * no buttons) when there is a tracking link.
 *
 * @example
 * ```ts
 * describeOrder(order, { t, language: 'es' });
 * // [{ kind: 'text', text: 'Tu pedido PS-100234 está en camino con DHL.\nEntrega prevista: viernes, 27 de noviembre. ...' }, { kind: 'choices', ... }]
 * ```
 */
function describeOrder(order: OrderRecord, request: Pick<AnswerRequest, 't' | 'language'>): Part[] {
  const { t, language } = request;
  const status = order.status.toLowerCase().replace(/[\s-]+/g, '_');
  const key = status === 'shipped' && !order.carrier ? 'shipped_no_carrier' : KNOWN_STATUSES.has(status) ? status : 'other';
  const lines = [t(`orders.status.${key}`, { orderId: order.id, carrier: order.carrier ?? '', status: order.status })];
  if (order.eta && stageOf(order) !== 'delivered' && stageOf(order) !== 'closed') lines.push(t('orders.eta', { date: day(order.eta, language) }));
  if (order.items.length) lines.push(t('orders.items', { items: order.items.map((i) => `${i.qty} × ${i.name}`).join(', ') }));
  lines.push(t('orders.total', { total: money(order.amounts.total, order.amounts.currency, language) }));
  const buttons: Choice[] = [
    ...(order.trackingUrl ? [{ label: t('orders.track'), payload: 'orders.track', url: order.trackingUrl }] : []),
    { label: t('bot.talk_to_person'), payload: HANDOFF_PAYLOAD },
  ];
  return [
    { kind: 'text', text: lines.join('\n') },
    { kind: 'choices', choices: buttons },
  ];
}

/**
 * The answer to an intent about one verified order. Where a person must act (cancelling an
 * order not packed yet, a new address, an invoice) the answer hands the conversation over,
 * with the reason naming the intent; the console shows the order the conversation mentions.
 */
export function replyFor(intent: OrderIntent, order: OrderRecord, request: Pick<AnswerRequest, 't' | 'language'>, policy: Part[]): Answer {
  const { t } = request;
  const say = (key: string): Part => ({ kind: 'text', text: t(key, { orderId: order.id }) });
  const stage = stageOf(order);
  const person = (parts: Part[]): Answer => ({ parts, confidence: 1, sources: [], handoff: { reason: `order_${intent}` } });
  const answer = (parts: Part[]): Answer => ({ parts, confidence: 1, sources: [] });
  switch (intent) {
    case 'status':
      return answer(describeOrder(order, request));
    case 'cancel':
      if (stage === 'open') return person([say('orders.cancel.possible')]);
      if (stage === 'closed') return answer([say('orders.cancel.done')]);
      return answer([say(stage === 'packing' ? 'orders.cancel.packing' : 'orders.cancel.too_late'), ...policy]);
    case 'return':
      if (stage === 'closed') return answer([say('orders.return.closed')]);
      return answer([say(stage === 'delivered' ? 'orders.return.possible' : 'orders.return.not_yet'), ...policy]);
    case 'address':
      if (stage === 'open') return person([say('orders.address.possible')]);
      return answer([say(stage === 'closed' ? 'orders.address.closed' : 'orders.address.too_late'), ...policy]);
    case 'invoice':
      return policy.length ? answer([...policy]) : person([say('orders.invoice')]);
  }
}
