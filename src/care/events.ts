import { z } from 'zod';
import type { CareCategory } from './types.js';

/** Every event type the shop backend may post, and whether it is transactional or marketing. */
export const eventCategories = {
  'order.created': 'transactional',
  'order.paid': 'transactional',
  'order.shipped': 'transactional',
  'order.out_for_delivery': 'transactional',
  'order.delivered': 'transactional',
  'order.delayed': 'transactional',
  'refund.issued': 'transactional',
  'customer.birthday': 'marketing',
} as const satisfies Record<string, CareCategory>;

/** An event type the shop backend may post. */
export type CareEventType = keyof typeof eventCategories;

export const eventTypes = Object.keys(eventCategories) as CareEventType[];

/** Whether `type` is a known event type. */
export function isEventType(type: unknown): type is CareEventType {
  return typeof type === 'string' && Object.hasOwn(eventCategories, type);
}

const money = z.object({
  amount: z.coerce.number().finite(),
  currency: z.string().regex(/^[A-Za-z]{3}$/, 'must be an ISO 4217 code like EUR'),
});

/** A calendar day `YYYY-MM-DD` or an ISO 8601 instant. */
const day = z.string().refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) || !Number.isNaN(Date.parse(s)), 'must be YYYY-MM-DD or an ISO 8601 date-time');

const customer = z
  .object({
    /** The shop's customer reference. */
    ref: z.string().min(1).max(200).optional(),
    name: z.string().max(200).optional(),
    email: z.email().optional(),
    phone: z.string().max(40).optional(),
    /** The storefront language the customer uses (a hint when no conversation says better). */
    language: z.string().max(35).optional(),
    timezone: z.string().max(64).optional(),
    /** Birthday, `YYYY-MM-DD` or `MM-DD` (customer.birthday). */
    birthday: z
      .string()
      .regex(/^(\d{4}-)?\d{2}-\d{2}$/, 'must be YYYY-MM-DD or MM-DD')
      .optional(),
  })
  .refine((c) => c.ref || c.email || c.phone, { message: 'needs ref, email or phone to find the shopper', path: ['ref'] });

const order = z.object({
  id: z.string().min(1, 'must not be empty').max(200),
  items: z
    .array(z.object({ name: z.string(), quantity: z.coerce.number().int().positive().default(1), sku: z.string().optional(), price: money.optional() }))
    .default([]),
  total: money.optional(),
  carrier: z.string().max(100).optional(),
  trackingUrl: z.url().optional(),
  /** Expected delivery day (shipped, out for delivery, delayed). */
  eta: day.optional(),
  deliveredAt: day.optional(),
});

/** The body of `POST /api/v1/events`. */
export const eventSchema = z
  .object({
    type: z.enum(eventTypes as [CareEventType, ...CareEventType[]]),
    customer,
    order: order.optional(),
    refund: money.extend({ reason: z.string().max(500).optional() }).optional(),
  })
  .superRefine((e, ctx) => {
    const need = (path: string[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    if (e.type.startsWith('order.') || e.type === 'refund.issued') {
      if (!e.order) need(['order', 'id'], 'required: the order this event is about');
    }
    if (!e.order) return;
    if (['order.created', 'order.paid', 'order.shipped'].includes(e.type) && !e.order.total) need(['order', 'total'], `required for ${e.type}`);
    if (e.type === 'order.shipped') {
      if (!e.order.carrier) need(['order', 'carrier'], 'required for order.shipped');
      if (!e.order.trackingUrl) need(['order', 'trackingUrl'], 'required for order.shipped');
      if (!e.order.eta) need(['order', 'eta'], 'required for order.shipped');
    }
    if (e.type === 'order.delayed' && !e.order.eta) need(['order', 'eta'], 'required for order.delayed (the new expected day)');
    if (e.type === 'refund.issued' && !e.refund) need(['refund'], 'required for refund.issued: { amount, currency }');
  });

/** A validated event. */
export type CareEvent = z.output<typeof eventSchema>;

/** The body of `POST /api/v1/messages`. */
export const messageSchema = z
  .object({
    customerRef: z.string().min(1).optional(),
    conversationId: z.string().min(1).optional(),
    text: z.string().min(1, 'must not be empty').max(4000),
    /** The language `text` is written in; translated into the shopper's. The shop's working language when absent. */
    language: z.string().max(35).optional(),
    /** Greetings, offers, news: needs opt-in, respects the weekly cap. */
    marketing: z.boolean().default(false),
  })
  .refine((m) => m.customerRef || m.conversationId, { message: 'required: customerRef or conversationId', path: ['customerRef'] });

/** A validated message request. */
export type CareMessageRequest = z.output<typeof messageSchema>;

/** The body of `PUT /api/v1/shoppers/{ref}/identities`. */
export const identitiesSchema = z
  .array(z.object({ channelId: z.string().min(1), platformUserId: z.string().min(1) }))
  .min(1, 'list at least one { channelId, platformUserId }');

/** The body of `PUT /api/v1/shoppers/{ref}`: what the shop knows and the consent it collected. */
export const profileSchema = z
  .object({
    email: z.email().optional(),
    emailVerified: z.boolean().optional(),
    phone: z.string().max(40).optional(),
    phoneVerified: z.boolean().optional(),
    language: z.string().max(35).optional(),
    timezone: z.string().max(64).optional(),
    /** The channel the shopper chose for updates (a channel id). */
    preferredChannel: z.string().optional(),
    /** The shopper agreed to marketing messages (this also lifts an earlier opt-out). */
    marketingOptIn: z.boolean().optional(),
  })
  .strict();

/** Turns zod issues into one sentence that names each field. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const path = i.path.join('.') || 'body';
      const missing = i.code === 'invalid_type' && /received undefined/.test(i.message);
      return `${path}: ${missing ? 'required' : i.message}`;
    })
    .join('; ');
}
