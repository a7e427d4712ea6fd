import { createHash } from 'node:crypto';
import type { Clock } from '../core/ports.js';
import type { Shopper } from '../core/store.js';
import { deliverCare } from './deliver.js';
import { ParleyError } from '../core/errors.js';
import { type CareDeps, DAY_MS } from './deps.js';
import { type CareEvent, type CareMessageRequest, eventCategories } from './events.js';
import { isTimeZone, safeZone } from './format.js';
import { localMonthDay, nextYearly, phoneDigits, zoneOfPhone } from './timezone.js';
import type { CareMessage, CarePayload, CareProfile } from './types.js';

/** What the API answers about one care message. */
export interface CareMessageSummary {
  id: string;
  kind: string;
  status: string;
  reason?: string;
  channelId?: string;
  language?: string;
  scheduledFor?: string;
}

export function summarize(m: CareMessage): CareMessageSummary {
  return {
    id: m.id,
    kind: m.kind,
    status: m.status,
    ...(m.reason ? { reason: m.reason } : {}),
    ...(m.channelId ? { channelId: m.channelId } : {}),
    ...(m.language ? { language: m.language } : {}),
    ...(m.scheduledFor ? { scheduledFor: new Date(m.scheduledFor).toISOString() } : {}),
  };
}

/** A short stable id from the parts that make a request unique. */
function stableId(prefix: string, ...parts: string[]): string {
  return `${prefix}-${createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 22)}`;
}

/** The template name and variables of an event. */
function payloadOf(event: CareEvent, now: number): CarePayload {
  const o = event.order;
  const name = event.customer.name;
  const vars: Record<string, unknown> = {
    orderId: o?.id,
    total: o?.total,
    carrier: o?.carrier,
    trackingUrl: o?.trackingUrl,
    eta: o?.eta,
    name,
  };
  if (event.type === 'order.delivered') vars.date = o?.deliveredAt ?? now;
  if (event.type === 'refund.issued') vars.amount = event.refund ? { amount: event.refund.amount, currency: event.refund.currency } : undefined;
  const template = event.type === 'customer.birthday' && !name ? 'customer_birthday_anonymous' : event.type.replace('.', '_');
  return { template, vars, ...(event.customer.language ? { languageHint: event.customer.language } : {}) };
}

/** Shop-backend operations of proactive care. Each returns what the API answers. */
export function createCareService(deps: CareDeps) {
  return {
    handleEvent: (event: CareEvent, requestId: string) => handleEvent(deps, event, requestId),
    sendMessage: (req: CareMessageRequest, requestId: string) => sendMessage(deps, req, requestId),
    findShopper: (c: CareEvent['customer']) => findShopper(deps, c),
  };
}

/** `POST /api/v1/events`: one care message now (or at its date), and a feedback request after delivery. */
async function handleEvent(deps: CareDeps, event: CareEvent, requestId: string): Promise<{ status: number; body: unknown }> {
  const { care, clock } = deps;
  const shopper = await findShopper(deps, event.customer);
  if (!shopper) {
    const who = event.customer.ref ? `customer ref "${event.customer.ref}"` : 'this customer';
    throw new ParleyError(
      'UNKNOWN_SHOPPER',
      `No shopper is linked to ${who}, and no verified email or phone matches. Link their chat identities first with PUT /api/v1/shoppers/{ref}/identities.`,
    );
  }
  await rememberContact(deps, shopper, event.customer, await care.getProfile(shopper.id));
  const profile = await care.getProfile(shopper.id);
  const payload = payloadOf(event, clock.now());
  const orderId = event.order?.id;
  const extra = orderId ? { orderId } : {};
  const id = stableId('evt', requestId);
  const scheduledFor = birthdayGreetingAt(deps, event, profile);
  const messages = [
    await createAndDeliver(
      deps,
      newMessage(clock, id, event.type, eventCategories[event.type], shopper, payload, { ...extra, ...(scheduledFor ? { scheduledFor } : {}) }),
    ),
  ];
  const feedback = feedbackRequest(deps, event, shopper, payload);
  if (feedback) messages.push(await createAndDeliver(deps, feedback));
  return { status: 202, body: { event: event.type, ...(orderId ? { orderId } : {}), messages: messages.map(summarize) } };
}

/** When a birthday greeting is scheduled for; undefined sends it now. */
function birthdayGreetingAt(deps: CareDeps, event: CareEvent, profile: CareProfile | undefined): number | undefined {
  if (event.type !== 'customer.birthday' || !event.customer.birthday) return undefined;
  const zone = safeZone(profile?.timezone ?? zoneOfPhone(profile?.phone) ?? deps.shop.timezone);
  // On the day itself the greeting goes now (quiet hours still apply); else on the day.
  if (event.customer.birthday.endsWith(localMonthDay(deps.clock.now(), zone))) return undefined;
  return nextYearly(event.customer.birthday, deps.settings.greetingTime, deps.clock.now(), zone);
}

/** A delivered order asks for feedback `feedback.delayDays` after delivery (when feedback is on). */
function feedbackRequest(deps: CareDeps, event: CareEvent, shopper: Shopper, payload: CarePayload): CareMessage | undefined {
  const orderId = event.order?.id;
  if (event.type !== 'order.delivered' || !orderId || !deps.settings.feedback.enabled) return undefined;
  const now = deps.clock.now();
  const deliveredAt = event.order?.deliveredAt ? Date.parse(event.order.deliveredAt) : Number.NaN;
  const base = Number.isNaN(deliveredAt) ? now : Math.min(deliveredAt, now);
  const at = base + deps.settings.feedback.delayDays * DAY_MS;
  return newMessage(
    deps.clock,
    `feedback-${orderId}`,
    'feedback.request',
    'transactional',
    shopper,
    { template: 'feedback_request', vars: { orderId }, rating: true, ...(payload.languageHint ? { languageHint: payload.languageHint } : {}) },
    { orderId, scheduledFor: at },
  );
}

/** `POST /api/v1/messages`: free text to a shopper or into a conversation. */
async function sendMessage(deps: CareDeps, req: CareMessageRequest, requestId: string): Promise<{ status: number; body: unknown }> {
  const shopper = await recipientOf(deps, req);
  const payload: CarePayload = {
    template: 'care_message',
    vars: {},
    text: req.text,
    textLanguage: req.language ?? deps.shop.workingLanguage,
    ...(req.conversationId ? { conversationId: req.conversationId } : {}),
  };
  const kind = req.marketing ? 'marketing' : 'transactional';
  const m = await createAndDeliver(deps, newMessage(deps.clock, stableId('msg', requestId), 'message', kind, shopper, payload));
  return { status: 202, body: { message: summarize(m) } };
}

/** The conversation's shopper, or the one linked to the customer ref; neither: undefined. */
async function recipientOf({ care, store }: CareDeps, req: CareMessageRequest): Promise<Shopper | undefined> {
  if (req.conversationId) {
    const conversation = await store.getConversation(req.conversationId);
    if (!conversation) throw new ParleyError('UNKNOWN_CONVERSATION', `No conversation "${req.conversationId}".`);
    return care.getShopper(conversation.shopperId);
  }
  if (!req.customerRef) return undefined;
  const shopper = await care.shopperByRef(req.customerRef);
  if (!shopper)
    throw new ParleyError(
      'UNKNOWN_SHOPPER',
      `No shopper is linked to customer ref "${req.customerRef}". Link their chat identities first with PUT /api/v1/shoppers/{ref}/identities.`,
    );
  return shopper;
}

async function findShopper(deps: CareDeps, c: CareEvent['customer']): Promise<Shopper | undefined> {
  const { care } = deps;
  if (c.ref) {
    const byRef = await care.shopperByRef(c.ref);
    if (byRef) return byRef;
  }
  // Channels whose user id is a phone number the platform proved (WhatsApp).
  const channels = deps.channelIds().filter((id) => deps.channel(id)?.capabilities.verifiedPhone);
  const found = await care.shopperByContact(
    { ...(c.email ? { email: c.email } : {}), ...(phoneDigits(c.phone) ? { phoneDigits: phoneDigits(c.phone) } : {}) },
    channels,
  );
  if (found && c.ref && !found.customerRef) {
    // A verified match links the shop's reference for next time.
    const { shopper } = await care.linkCustomer(c.ref, await care.identitiesOf(found.id), deps.clock.now());
    return shopper;
  }
  return found;
}

/** Keeps what the event tells about the shopper, never overwriting what the shop verified. */
async function rememberContact({ care, clock }: CareDeps, shopper: Shopper, c: CareEvent['customer'], profile: CareProfile | undefined): Promise<void> {
  const patch: Parameters<typeof care.patchProfile>[1] = {};
  if (c.email && !profile?.email) patch.email = c.email;
  if (c.phone && !profile?.phone && phoneDigits(c.phone)) patch.phone = phoneDigits(c.phone);
  if (c.timezone && isTimeZone(c.timezone) && !profile?.timezone) patch.timezone = c.timezone;
  if (c.language && !profile?.language) patch.language = c.language;
  if (Object.keys(patch).length) await care.patchProfile(shopper.id, patch, clock.now());
}

async function createAndDeliver(deps: CareDeps, m: CareMessage): Promise<CareMessage> {
  const { care, clock } = deps;
  const fresh = await care.insertMessage(m);
  if (!fresh) return (await care.getMessage(m.id)) as CareMessage;
  if (m.status === 'scheduled' && m.scheduledFor !== undefined) {
    await care.addJob({ id: `deliver:${m.id}:${m.scheduledFor}`, kind: 'deliver', runAt: m.scheduledFor, payload: { id: m.id } }, clock.now());
    return m;
  }
  return (await deliverCare(deps, m.id)) ?? m;
}

function newMessage(
  clock: Clock,
  id: string,
  kind: string,
  category: CareMessage['category'],
  shopper: Shopper | undefined,
  payload: CarePayload,
  extra: Partial<CareMessage> = {},
): CareMessage {
  const now = clock.now();
  return {
    id,
    kind,
    category,
    payload,
    status: 'scheduled',
    attempts: 0,
    createdAt: now,
    updatedAt: now,
    ...(shopper ? { shopperId: shopper.id } : {}),
    ...(shopper?.customerRef ? { customerRef: shopper.customerRef } : {}),
    ...extra,
  };
}
