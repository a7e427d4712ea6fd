import type { Capabilities } from '../core/capabilities.js';
import type { Part } from '../core/message.js';
import type { Localize } from '../core/ports.js';
import { formatDay, formatMoney, type Money } from './format.js';
import { OPT_OUT_PAYLOAD } from './optout.js';
import type { CarePayload } from './types.js';

/**
 * The order of the body parameters of each approved WhatsApp template (`{{1}}`, `{{2}}`, …),
 * per template key. Operators create templates whose placeholders follow this order
 * (docs/care.md lists them with an example text).
 */
const templateParams: Record<string, readonly string[]> = {
  order_created: ['orderId', 'total'],
  order_paid: ['orderId', 'total'],
  order_shipped: ['orderId', 'total', 'carrier', 'eta', 'trackingUrl'],
  order_out_for_delivery: ['orderId'],
  order_delivered: ['orderId', 'date'],
  order_delayed: ['orderId', 'eta'],
  refund_issued: ['orderId', 'amount'],
  customer_birthday: ['name'],
  feedback_request: ['orderId'],
  care_message: ['text'],
};

/** A care message ready for `gateway.send`: parts in the shopper's language and its template. */
export interface Composed {
  parts: Part[];
  /** The language the parts are written in (for free text: the backend's). */
  language: string;
  template: { key: string; params: string[] };
}

/** Where and to whom a care message is composed. */
export interface ComposeContext {
  /** The shopper's locale (a `locales/` folder name). */
  locale: string;
  t: Localize;
  timeZone: string;
  capabilities?: Capabilities;
  marketing: boolean;
}

/** Formats the raw event values for the locale: money and days become text. */
function formatVars(vars: Record<string, unknown>, ctx: ComposeContext): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(vars)) {
    if (value === undefined || value === null) continue;
    if (typeof value === 'object' && 'amount' in value && 'currency' in value) out[key] = formatMoney(value as Money, ctx.locale);
    else if (['eta', 'date'].includes(key) && (typeof value === 'string' || typeof value === 'number')) out[key] = formatDay(value, ctx.locale, ctx.timeZone);
    else out[key] = String(value);
  }
  return out;
}

/** The 1–5 rating choices, labelled in the shopper's language. */
function ratingChoices(t: Localize): Part {
  return {
    kind: 'choices',
    title: t('care.rating_title'),
    choices: [1, 2, 3, 4, 5].map((n) => ({ label: t(`care.rating.${n}`), payload: `care.rating.${n}` })),
  };
}

/**
 * Writes a care message in the shopper's language: the locale template with the order data
 * formatted for the locale, the rating choices of a feedback request, and for marketing an
 * unsubscribe button (or, on channels without buttons, a "reply STOP" line).
 *
 * @example
 * ```ts
 * compose({ template: 'order_shipped', vars: { orderId: 'A-1', total: { amount: 12.9, currency: 'EUR' }, ... } }, ctx);
 * // { parts: [{ kind: 'text', text: 'Tu pedido A-1 (12,90 €) ya está en camino …' }], template: { key: 'order_shipped', params: [...] } }
 * ```
 */
export function compose(payload: CarePayload, ctx: ComposeContext): Composed {
  const vars = formatVars(payload.vars, ctx);
  const key = payload.template;
  const text = payload.text ?? ctx.t(`care.${key}`, vars);
  const parts: Part[] = [{ kind: 'text', text }];
  if (payload.rating) parts.push(ratingChoices(ctx.t));
  if (ctx.marketing) {
    if (ctx.capabilities?.buttons) parts.push({ kind: 'choices', choices: [{ label: ctx.t('care.optout_button'), payload: OPT_OUT_PAYLOAD }] });
    else parts.push({ kind: 'text', text: ctx.t('care.optout_hint') });
  }
  const names = templateParams[key] ?? [];
  const params = names.map((name) => (name === 'text' ? text : (vars[name] ?? '')));
  return { parts, language: payload.text ? (payload.textLanguage ?? ctx.locale) : ctx.locale, template: { key, params } };
}
