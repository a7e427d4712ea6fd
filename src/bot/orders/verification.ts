/**
 * Who may see an order: the buyer, proven either by the channel identity (the WhatsApp number
 * or the signed web-chat login matches the order's buyer) or by a one-time code sent to the
 * order's email. Typing an email address proves nothing. Pending codes, sends and grants live
 * in the store (`AccessState`), so they survive a restart and expire on their own; both the
 * offline order help and the model's tools go through this one path.
 */
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { ShopperContext } from '../../core/answerer.js';
import type { Clock, Logger } from '../../core/ports.js';
import type { OrderConnector, OrderRecord } from './types.js';

/**
 * Sends a one-time code to the buyer's email, in the shopper's language (the shop's mailer).
 *
 * @example
 * ```ts
 * await sender.send({ to: 'emma@example.com', code: '493817', orderId: 'PS-100234', language: 'nl' });
 * ```
 */
export interface OtpSender {
  send(message: { to: string; code: string; orderId: string; language?: string; validMinutes?: number }): Promise<void>;
}

/** Development sender: logs that a code was made (never the code or the address). Tests and tools only. */
export function createLogOtpSender(log: Logger): OtpSender {
  return {
    async send({ to, orderId }) {
      log.warn({ orderId, to: maskEmail(to) }, 'one-time code not mailed: no mailer configured');
    },
  };
}

/** `t***@example.com`: enough for the buyer to recognise, useless to anyone else. */
export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  if (at < 1) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

/**
 * Where access state lives: the store's key-value table, with expiry (`Store.kvGet/kvSet`).
 *
 * @example
 * ```ts
 * const state: AccessState = { get: (k) => store.kvGet(k, clock.now()), set: (k, v, exp) => store.kvSet(k, v, exp) };
 * ```
 */
export interface AccessState {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, expiresAt: number): Promise<void>;
}

/** Access state in memory (tests, tools). */
export function memoryAccessState(clock: Clock): AccessState {
  const items = new Map<string, { value: string; expiresAt: number }>();
  return {
    async get(key) {
      const item = items.get(key);
      return item && item.expiresAt > clock.now() ? item.value : undefined;
    },
    async set(key, value, expiresAt) {
      items.set(key, { value, expiresAt });
    },
  };
}

/** What a lookup may disclose. */
export type OrderAccess =
  | { kind: 'granted'; order: OrderRecord; via: 'identity' | 'code' }
  | { kind: 'verification_required'; orderId: string; maskedEmail: string; codeSent: boolean; limited?: boolean }
  | { kind: 'not_available' };

/** What a code check found. */
export type CodeCheck =
  { kind: 'verified'; orderId: string } | { kind: 'wrong_code'; orderId: string; attemptsLeft: number } | { kind: 'expired' } | { kind: 'none_pending' };

/** Options of {@link createOrderAccess}. */
export interface OrderAccessOptions {
  orders: OrderConnector;
  sender: OtpSender;
  clock: Clock;
  /** Where pending codes and grants are kept. Default: in memory (lost on restart). */
  state?: AccessState;
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
  hash: string;
  expiresAt: number;
  attempts: number;
}

const hash = (code: string) => createHash('sha256').update(code).digest('hex');
const HOUR = 3600_000;

const keys = {
  pending: (c: string) => `orders:otp:${c}`,
  sends: (c: string) => `orders:otp-sent:${c}`,
  grant: (c: string, orderId: string) => `orders:grant:${c}:${orderId.toUpperCase()}`,
};

/** The options with their defaults filled in: what the code flow runs on. */
interface CodeFlow {
  sender: OtpSender;
  clock: Clock;
  state: AccessState;
  codeTtl: number;
  maxAttempts: number;
  maxPerHour: number;
  grantTtl: number;
  newCode(): string;
}

/**
 * Decides whether a conversation may see an order, and runs the one-time-code flow.
 *
 * @example
 * ```ts
 * const access = createOrderAccess({ orders, sender, clock, state });
 * await access.lookup('c1', 'PS-100234', { phone: '+31612345678' }); // { kind: 'granted', ... }
 * await access.lookup('c2', 'PS-100234');                           // { kind: 'verification_required', maskedEmail: 'e***@example.com', ... }
 * await access.checkCode('c2', '493817');                           // { kind: 'verified', orderId: 'PS-100234' }
 * ```
 */
export function createOrderAccess(options: OrderAccessOptions) {
  const { orders, clock } = options;
  const flow: CodeFlow = {
    sender: options.sender,
    clock,
    state: options.state ?? memoryAccessState(clock),
    codeTtl: options.codeTtlMs ?? 10 * 60_000,
    maxAttempts: options.maxAttempts ?? 5,
    maxPerHour: options.maxCodesPerHour ?? 3,
    grantTtl: options.grantTtlMs ?? 24 * HOUR,
    newCode: options.newCode ?? (() => String(randomInt(0, 1_000_000)).padStart(6, '0')),
  };

  return {
    /** Whether the conversation may see the order; starts the code flow when it may not yet. */
    async lookup(conversationId: string, orderId: string, shopper?: ShopperContext, language?: string): Promise<OrderAccess> {
      const order = await orders.get(orderId);
      if (!order) return { kind: 'not_available' };
      if (await flow.state.get(keys.grant(conversationId, order.id))) return { kind: 'granted', order, via: 'code' };
      if (ownsByIdentity(order, shopper, options.defaultCountry)) return { kind: 'granted', order, via: 'identity' };
      const email = order.buyer.email?.trim();
      if (!email) return { kind: 'not_available' };
      const sent = await sendCode(flow, conversationId, order, email, language);
      return {
        kind: 'verification_required',
        orderId: order.id,
        maskedEmail: maskEmail(email),
        codeSent: sent === 'sent',
        ...(sent === 'limited' ? { limited: true } : {}),
      };
    },

    /** The order a code is awaited for in this conversation, if any. */
    async pendingOrder(conversationId: string): Promise<string | undefined> {
      const p = await readPending(flow, conversationId);
      return p && p.expiresAt > clock.now() ? p.orderId : undefined;
    },

    /** Checks a code the shopper typed; a match grants the conversation access to that order. */
    checkCode(conversationId: string, code: string): Promise<CodeCheck> {
      return verifyCode(flow, conversationId, code);
    },
  };
}

async function readPending(flow: CodeFlow, conversationId: string): Promise<Pending | undefined> {
  const raw = await flow.state.get(keys.pending(conversationId));
  return raw ? (JSON.parse(raw) as Pending) : undefined;
}

/** A pending code is kept an hour past its deadline, so a late code is told "expired", not "unknown". */
async function writePending(flow: CodeFlow, conversationId: string, pending: Pending | undefined): Promise<void> {
  const now = flow.clock.now();
  await flow.state.set(keys.pending(conversationId), pending ? JSON.stringify(pending) : '', pending ? Math.max(now, pending.expiresAt) + HOUR : now);
}

function ownsByIdentity(order: OrderRecord, shopper: ShopperContext | undefined, country: CountryCode | undefined): boolean {
  if (!shopper) return false;
  const email = order.buyer.email?.trim().toLowerCase();
  if (email && shopper.email && shopper.email.trim().toLowerCase() === email) return true;
  const phone = normalizePhone(order.buyer.phone, country);
  return Boolean(phone && shopper.phone && normalizePhone(shopper.phone, country) === phone);
}

/** Mails a code unless one is still valid for this order or the hourly limit is reached. */
async function sendCode(
  flow: CodeFlow,
  conversationId: string,
  order: OrderRecord,
  email: string,
  language: string | undefined,
): Promise<'sent' | 'pending' | 'limited'> {
  const now = flow.clock.now();
  const current = await readPending(flow, conversationId);
  // Asking again for the same order while a code is valid does not mail a new one.
  if (current && current.orderId === order.id && current.expiresAt > now) return 'pending';
  const recent = (JSON.parse((await flow.state.get(keys.sends(conversationId))) ?? '[]') as number[]).filter((t) => now - t < HOUR);
  if (recent.length >= flow.maxPerHour) return 'limited';
  const code = flow.newCode();
  await flow.sender.send({ to: email, code, orderId: order.id, ...(language ? { language } : {}), validMinutes: Math.round(flow.codeTtl / 60_000) });
  await writePending(flow, conversationId, { orderId: order.id, hash: hash(code), expiresAt: now + flow.codeTtl, attempts: 0 });
  await flow.state.set(keys.sends(conversationId), JSON.stringify([...recent, now]), now + HOUR);
  return 'sent';
}

async function verifyCode(flow: CodeFlow, conversationId: string, code: string): Promise<CodeCheck> {
  const now = flow.clock.now();
  const p = await readPending(flow, conversationId);
  if (!p) return { kind: 'none_pending' };
  if (p.expiresAt <= now) {
    await writePending(flow, conversationId, undefined);
    return { kind: 'expired' };
  }
  if (timingSafeEqual(Buffer.from(hash(code.trim()), 'hex'), Buffer.from(p.hash, 'hex'))) {
    await writePending(flow, conversationId, undefined);
    await flow.state.set(keys.grant(conversationId, p.orderId), '1', now + flow.grantTtl);
    return { kind: 'verified', orderId: p.orderId };
  }
  const attempts = p.attempts + 1;
  await writePending(flow, conversationId, attempts >= flow.maxAttempts ? undefined : { ...p, attempts });
  return { kind: 'wrong_code', orderId: p.orderId, attemptsLeft: Math.max(0, flow.maxAttempts - attempts) };
}

/** What {@link createOrderAccess} returns. */
export type OrderAccessControl = ReturnType<typeof createOrderAccess>;

function normalizePhone(phone: string | null | undefined, country: CountryCode | undefined): string | undefined {
  if (!phone) return undefined;
  const parsed = parsePhoneNumberFromString(phone, country);
  return parsed?.number ?? (phone.replace(/\D/g, '') || undefined);
}
