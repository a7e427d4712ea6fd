/**
 * Who may see an order: the buyer, proven either by the channel identity (the WhatsApp number
 * or logged-in email matches the order's buyer) or by a one-time code sent to the order's email.
 */
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { ShopperContext } from '../../core/answerer.js';
import type { Clock, Logger } from '../../core/ports.js';
import type { OrderConnector, OrderRecord } from './types.js';

/**
 * Sends a one-time code to the buyer's email (the shop's mailer in production).
 *
 * @example
 * ```ts
 * await sender.send({ to: 'emma@example.com', code: '493817', orderId: 'PS-100234' });
 * ```
 */
export interface OtpSender {
  send(message: { to: string; code: string; orderId: string }): Promise<void>;
}

/** Development sender: logs the code (and a masked address) instead of mailing it. Never in production. */
export function createLogOtpSender(log: Logger): OtpSender {
  return {
    async send({ to, code, orderId }) {
      log.warn({ orderId, to: maskEmail(to), devCode: code }, 'one-time code (development sender: not mailed)');
    },
  };
}

/** `t***@example.com`: enough for the buyer to recognise, useless to anyone else. */
export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  if (at < 1) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

/** What a lookup may disclose. */
export type OrderAccess =
  | { kind: 'granted'; order: OrderRecord; via: 'identity' | 'code' }
  | { kind: 'verification_required'; orderId: string; maskedEmail: string; codeSent: boolean }
  | { kind: 'not_available' };

/** What a code check found. */
export type CodeCheck =
  | { kind: 'verified'; orderId: string }
  | { kind: 'wrong_code'; orderId: string; attemptsLeft: number }
  | { kind: 'expired' }
  | { kind: 'none_pending' };

/** Options of {@link createOrderAccess}. */
export interface OrderAccessOptions {
  orders: OrderConnector;
  sender: OtpSender;
  clock: Clock;
  /** A code is valid this long. Default 10 minutes. */
  codeTtlMs?: number;
  /** Wrong codes before the code is void. Default 5. */
  maxAttempts?: number;
  /** Codes sent per conversation per hour. Default 3. */
  maxCodesPerHour?: number;
  /** A verified conversation keeps access this long. Default 24 hours. */
  grantTtlMs?: number;
  /** Region for buyer phone numbers written without a country code. */
  defaultCountry?: CountryCode;
  /** Code generator (tests). Default: 6 random digits. */
  newCode?: () => string;
}

interface Pending {
  orderId: string;
  hash: Buffer;
  expiresAt: number;
  attempts: number;
}

const hash = (code: string) => createHash('sha256').update(code).digest();

/**
 * Decides whether a conversation may see an order, and runs the one-time-code flow.
 *
 * @example
 * ```ts
 * const access = createOrderAccess({ orders, sender, clock });
 * await access.lookup('c1', 'PS-100234', { phone: '+31612345678' }); // { kind: 'granted', ... }
 * await access.lookup('c2', 'PS-100234');                           // { kind: 'verification_required', maskedEmail: 'e***@example.com', ... }
 * await access.checkCode('c2', '493817');                           // { kind: 'verified', orderId: 'PS-100234' }
 * ```
 */
export function createOrderAccess(options: OrderAccessOptions) {
  const { orders, sender, clock } = options;
  const codeTtl = options.codeTtlMs ?? 10 * 60_000;
  const maxAttempts = options.maxAttempts ?? 5;
  const maxPerHour = options.maxCodesPerHour ?? 3;
  const grantTtl = options.grantTtlMs ?? 24 * 3600_000;
  const newCode = options.newCode ?? (() => String(randomInt(0, 1_000_000)).padStart(6, '0'));
  const pending = new Map<string, Pending>();
  const sends = new Map<string, number[]>();
  const grants = new Map<string, number>();

  const grantKey = (conversationId: string, orderId: string) => `${conversationId}\u0000${orderId.toUpperCase()}`;

  function sweep(now: number): void {
    for (const [k, p] of pending) if (p.expiresAt <= now) pending.delete(k);
    for (const [k, until] of grants) if (until <= now) grants.delete(k);
  }

  function ownsByIdentity(order: OrderRecord, shopper: ShopperContext | undefined): boolean {
    if (!shopper) return false;
    const email = order.buyer.email?.trim().toLowerCase();
    if (email && shopper.email && shopper.email.trim().toLowerCase() === email) return true;
    const phone = normalizePhone(order.buyer.phone, options.defaultCountry);
    return Boolean(phone && shopper.phone && normalizePhone(shopper.phone, options.defaultCountry) === phone);
  }

  async function sendCode(conversationId: string, order: OrderRecord, email: string): Promise<boolean> {
    const now = clock.now();
    const recent = (sends.get(conversationId) ?? []).filter((t) => now - t < 3600_000);
    const current = pending.get(conversationId);
    // Asking again for the same order while a code is valid does not mail a new one.
    if (current && current.orderId === order.id && current.expiresAt > now) return false;
    if (recent.length >= maxPerHour) return false;
    const code = newCode();
    await sender.send({ to: email, code, orderId: order.id });
    pending.set(conversationId, { orderId: order.id, hash: hash(code), expiresAt: now + codeTtl, attempts: 0 });
    sends.set(conversationId, [...recent, now]);
    return true;
  }

  return {
    /** Whether the conversation may see the order; starts the code flow when it may not yet. */
    async lookup(conversationId: string, orderId: string, shopper?: ShopperContext): Promise<OrderAccess> {
      sweep(clock.now());
      const order = await orders.get(orderId);
      if (!order) return { kind: 'not_available' };
      if ((grants.get(grantKey(conversationId, order.id)) ?? 0) > clock.now()) return { kind: 'granted', order, via: 'code' };
      if (ownsByIdentity(order, shopper)) return { kind: 'granted', order, via: 'identity' };
      const email = order.buyer.email?.trim();
      if (!email) return { kind: 'not_available' };
      const codeSent = await sendCode(conversationId, order, email);
      return { kind: 'verification_required', orderId: order.id, maskedEmail: maskEmail(email), codeSent };
    },

    /** The order a code is awaited for in this conversation, if any. */
    pendingOrder(conversationId: string): string | undefined {
      const p = pending.get(conversationId);
      return p && p.expiresAt > clock.now() ? p.orderId : undefined;
    },

    /** Checks a code the shopper typed; a match grants the conversation access to that order. */
    checkCode(conversationId: string, code: string): CodeCheck {
      const now = clock.now();
      const p = pending.get(conversationId);
      if (!p) return { kind: 'none_pending' };
      if (p.expiresAt <= now) {
        pending.delete(conversationId);
        return { kind: 'expired' };
      }
      if (timingSafeEqual(hash(code.trim()), p.hash)) {
        pending.delete(conversationId);
        grants.set(grantKey(conversationId, p.orderId), now + grantTtl);
        return { kind: 'verified', orderId: p.orderId };
      }
      p.attempts += 1;
      if (p.attempts >= maxAttempts) pending.delete(conversationId);
      return { kind: 'wrong_code', orderId: p.orderId, attemptsLeft: Math.max(0, maxAttempts - p.attempts) };
    },
  };
}

/** What {@link createOrderAccess} returns. */
export type OrderAccessControl = ReturnType<typeof createOrderAccess>;

function normalizePhone(phone: string | null | undefined, country: CountryCode | undefined): string | undefined {
  if (!phone) return undefined;
  const parsed = parsePhoneNumberFromString(phone, country);
  return parsed?.number ?? (phone.replace(/\D/g, '') || undefined);
}
