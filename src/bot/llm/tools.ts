/**
 * The functions the model may call. Order tools go through {@link OrderAccessControl}: the model
 * only ever sees an order the conversation is verified for, and never the buyer's contacts.
 */
import type { ShopperContext } from '../../core/answerer.js';
import type { Logger } from '../../core/ports.js';
import { normalizeOrderId, type OrderAccessControl, type OrderRecord } from '../orders/index.js';
import type { ToolCall, ToolSpec } from './model.js';

/** Handoff reasons the model may give (free text would carry shopper words into logs). */
const HANDOFF_REASONS = ['shopper_request', 'complaint', 'upset', 'complex_case', 'other'] as const;

const orderIdParam = {
  type: 'object',
  properties: { order_id: { type: 'string', description: 'The order number, e.g. PS-100234' } },
  required: ['order_id'],
  additionalProperties: false,
};

/** The tools offered to the model; order tools only when an order connector is configured. */
export function toolSpecs(withOrders: boolean): ToolSpec[] {
  const orderTools: ToolSpec[] = [
    {
      name: 'lookup_order',
      description: 'Status, items and amounts of one order. Only returns details the shopper is verified for.',
      parameters: orderIdParam,
    },
    { name: 'track_shipment', description: 'Carrier, tracking link and expected delivery date of one order.', parameters: orderIdParam },
  ];
  return [
    ...(withOrders ? orderTools : []),
    {
      name: 'handoff_to_human',
      description: 'Pass the conversation to a person from the customer service team.',
      parameters: { type: 'object', properties: { reason: { type: 'string', enum: [...HANDOFF_REASONS] } }, required: ['reason'], additionalProperties: false },
    },
    {
      name: 'set_language',
      description: 'The shopper asked to be answered in another language from now on.',
      parameters: {
        type: 'object',
        properties: { language: { type: 'string', description: 'BCP 47 tag, e.g. de, es, zh-CN' } },
        required: ['language'],
        additionalProperties: false,
      },
    },
  ];
}

/** What running the turn's tool calls decided, beside their results. */
export interface ToolEffects {
  handoff?: string;
  language?: string;
  /** Tool results in order, as sent to the model (masked by the caller). */
  results: { call: ToolCall; content: string }[];
}

/** What tools need from the turn. */
export interface ToolContext {
  conversationId: string;
  /** The shopper's verified contacts, looked up when a tool needs them (see {@link AnswerRequest.shopper}). */
  shopper?: () => Promise<ShopperContext | undefined>;
  access?: OrderAccessControl;
  log: Logger;
  /** Registers a masked e-mail hint (`t***@example.com`) and returns its placeholder. */
  hint(maskedEmail: string): string;
}

const money = (value: number, currency: string) => `${value.toFixed(2)} ${currency}`;

function orderView(order: OrderRecord) {
  const { currency } = order.amounts;
  return {
    id: order.id,
    status: order.status,
    items: order.items.map((i) => ({ name: i.name, qty: i.qty, price: money(i.price, currency) })),
    subtotal: money(order.amounts.subtotal, currency),
    shipping: money(order.amounts.shipping, currency),
    total: money(order.amounts.total, currency),
    carrier: order.carrier ?? null,
    eta: order.eta ?? null,
  };
}

function trackingView(order: OrderRecord) {
  return { id: order.id, status: order.status, carrier: order.carrier ?? null, tracking_url: order.trackingUrl ?? null, eta: order.eta ?? null };
}

function parseArgs(call: ToolCall): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(call.arguments || '{}');
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

async function orderTool(call: ToolCall, ctx: ToolContext): Promise<object> {
  const orderId = normalizeOrderId(String(parseArgs(call).order_id ?? ''));
  if (!ctx.access) return { status: 'unavailable', message: 'Order lookups are not available here; offer a person.' };
  if (!orderId) return { status: 'invalid', message: 'That is not an order number. Order numbers look like PS-100234.' };
  try {
    const access = await ctx.access.lookup(ctx.conversationId, orderId, await ctx.shopper?.());
    if (access.kind === 'granted') return { status: 'ok', order: call.name === 'track_shipment' ? trackingView(access.order) : orderView(access.order) };
    if (access.kind === 'not_available') return { status: 'not_available', message: 'No details can be shared for this order number. Say only that.' };
    const to = ctx.hint(access.maskedEmail);
    return {
      status: 'verification_required',
      message: access.codeSent
        ? `Order details are shared only with the buyer. A one-time code was sent to the email address on the order (${to}). Ask the shopper to reply with the 6-digit code.`
        : `Order details are shared only with the buyer. A one-time code was already sent to ${to}; ask the shopper to reply with it.`,
    };
  } catch (err) {
    ctx.log.warn({ err: (err as Error).name, tool: call.name }, 'order lookup failed');
    return { status: 'unavailable', message: 'The order system cannot be reached right now; offer a person.' };
  }
}

/** Runs the model's tool calls in order. Unknown tools get an error result, never an exception. */
export async function runTools(calls: readonly ToolCall[], ctx: ToolContext): Promise<ToolEffects> {
  const effects: ToolEffects = { results: [] };
  for (const call of calls) {
    let result: object;
    switch (call.name) {
      case 'lookup_order':
      case 'track_shipment':
        result = await orderTool(call, ctx);
        break;
      case 'handoff_to_human': {
        const reason = String(parseArgs(call).reason ?? 'other');
        effects.handoff = (HANDOFF_REASONS as readonly string[]).includes(reason) ? reason : 'other';
        result = { status: 'ok' };
        break;
      }
      case 'set_language': {
        const tag = String(parseArgs(call).language ?? '');
        const valid = /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/.test(tag);
        if (valid) effects.language = tag;
        result = valid ? { status: 'ok' } : { status: 'invalid', message: 'Use a BCP 47 tag such as de or zh-CN.' };
        break;
      }
      default:
        result = { status: 'error', message: `There is no tool named ${call.name.slice(0, 40)}.` };
    }
    effects.results.push({ call, content: JSON.stringify(result) });
  }
  return effects;
}
